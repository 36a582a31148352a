"""Every kind of picture Pillow opens, made into one a PDF holds, or refused with a reason.

WeasyPrint writes a picture's pixels as they are for RGB, grey and CMYK (with
or without alpha), and converts palettes and black-and-white; any other mode
(16-bit grey from a scanner, 32-bit integers, floats) it writes as RGB bytes
that are not ("unknown image mode: I;16"). Embedded colour profiles it
ignores; the press separation reads them, and a profile for other colours than
the picture's (an RGB JPEG carrying a CMYK profile) is dropped, as a viewer would.
"""

from __future__ import annotations

import io

from PIL import Image, ImageCms

#: Modes WeasyPrint writes correctly as they are (it converts 1 and P itself).
SAFE_MODES = {"1", "L", "LA", "P", "RGB", "RGBA", "CMYK"}
#: ICC colour spaces by the modes they describe.
_SPACES = {"RGB": "RGB", "RGBA": "RGB", "P": "RGB", "L": "GRAY", "LA": "GRAY", "CMYK": "CMYK"}


class Unsupported(Exception):
    """The picture's kind of pixels cannot be prepared; the message says what to do."""


def odd(image: Image.Image) -> bool:
    """Whether ``image`` must be converted before a PDF can hold it (its mode, or a profile that does not fit)."""
    return image.mode not in SAFE_MODES or _profile_misfits(image)


def usable(image: Image.Image) -> Image.Image:
    """``image`` (decoded) in a mode of SAFE_MODES, its profile kept only when it fits; or Unsupported."""
    if _profile_misfits(image):
        image.info.pop("icc_profile", None)
    mode = image.mode
    if mode in SAFE_MODES:
        return image
    if mode.startswith("I;16") or mode in ("I", "F"):
        return _scaled_grey(image)
    if mode in ("PA", "La", "RGBa", "RGBX", "YCbCr", "LAB", "HSV"):
        alpha = mode in ("PA", "La", "RGBa")
        try:
            converted = image.convert("RGBA" if alpha else "RGB")
        except (ValueError, OSError):
            pass
        else:
            converted.info = {k: v for k, v in image.info.items() if k != "icc_profile"}
            return converted
    raise Unsupported(
        f"has pixels of a kind a PDF cannot hold (Pillow's mode {mode}); save it as an 8-bit RGB JPEG or PNG"
    )


def profile(image: Image.Image) -> ImageCms.ImageCmsProfile | None:
    """The picture's own colour profile, if it has one that is readable and describes RGB colours."""
    embedded = image.info.get("icc_profile")
    if not embedded:
        return None
    try:
        parsed = ImageCms.ImageCmsProfile(io.BytesIO(embedded))
    except (OSError, ImageCms.PyCMSError, TypeError, ValueError):
        return None
    return parsed if parsed.profile.xcolor_space.strip() == "RGB" else None


def _profile_misfits(image: Image.Image) -> bool:
    embedded = image.info.get("icc_profile")
    if not embedded:
        return False
    try:
        space = ImageCms.ImageCmsProfile(io.BytesIO(embedded)).profile.xcolor_space.strip()
    except (OSError, ImageCms.PyCMSError, TypeError, ValueError):
        return True  # unreadable: dropped
    return _SPACES.get(image.mode) not in (None, space)


def _scaled_grey(image: Image.Image) -> Image.Image:
    """16-bit, 32-bit or float grey as 8-bit grey, its darkest and lightest kept where they are."""
    wide = image.convert("F") if image.mode == "F" else image.convert("I")
    if image.mode.startswith("I;16"):
        low, high = 0, 65535
    else:
        low, high = wide.getextrema()
        if high <= low:
            high = low + 1
    scale = 255 / (high - low)
    grey = wide.point(lambda value: (value - low) * scale).convert("L")
    grey.info = {k: v for k, v in image.info.items() if k != "icc_profile"}
    return grey
