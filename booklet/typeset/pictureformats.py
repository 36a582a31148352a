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

from PIL import Image, ImageChops, ImageCms, ImageFilter, ImageMath

#: Modes WeasyPrint writes correctly as they are (it converts 1 and P itself).
SAFE_MODES = {"1", "L", "LA", "P", "RGB", "RGBA", "CMYK"}
#: How far (in pixels) the visible colours of a picture with transparency spread into its clear
#: parts (bled): a JPEG block is 8 pixels wide.
BLEED = 8
#: ICC colour spaces by the modes they describe.
_SPACES = {"RGB": "RGB", "RGBA": "RGB", "P": "RGB", "L": "GRAY", "LA": "GRAY", "CMYK": "CMYK"}


class Unsupported(Exception):
    """The picture's kind of pixels cannot be prepared; the message says what to do."""


def odd(image: Image.Image) -> bool:
    """Whether ``image`` must be converted before a PDF can hold it (its mode, or a profile that does not fit)."""
    return image.mode not in SAFE_MODES or _profile_misfits(image) or _grey_keyed(image)


def usable(image: Image.Image) -> Image.Image:
    """``image`` (decoded) in a mode of SAFE_MODES, its profile kept only when it fits; or Unsupported."""
    if _profile_misfits(image):
        image.info.pop("icc_profile", None)
    mode = image.mode
    if _grey_keyed(image):
        # WeasyPrint would make it RGBA, and RGB in the press's file: grey with its alpha stays one ink.
        converted = image.convert("LA")
        converted.info = {k: v for k, v in image.info.items() if k != "transparency"}
        return converted
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


def alpha(image: Image.Image) -> Image.Image | None:
    """The transparency of ``image`` (decoded) as a grey picture, 0 where it is clear; None if it is opaque."""
    if image.mode not in ("RGBA", "LA", "PA") and "transparency" not in image.info:
        return None
    channel = image.convert("RGBA").getchannel("A")
    return None if channel.getextrema() == (255, 255) else channel


def bled(rgb: Image.Image, alpha: Image.Image) -> Image.Image:
    """``rgb`` with the colours of its visible edges spread into where it is clear.

    The press copy of a picture with transparency is a JPEG (WeasyPrint writes
    CMYK pictures only so), whose compression mixes each pixel with its
    neighbours in blocks of 8: the clear pixels' colours, often black, would
    tint a logo's soft edges. So the clear pixels up to BLEED pixels from a
    visible one take the mean colour of the visible ones around them, ring by
    ring (one ring a step keeps the mean exact in 8-bit); the others white.
    """
    seen = alpha.point(lambda a: 255 if a else 0)
    result = rgb
    for _ring in range(BLEED):
        if seen.getextrema()[0] == 255:
            break
        weights = seen.filter(ImageFilter.BoxBlur(1))
        kept = ImageChops.multiply(result, Image.merge("RGB", [seen] * 3)).filter(ImageFilter.BoxBlur(1))
        spread = [
            ImageMath.lambda_eval(lambda a: a["c"] * 255 / a["w"], c=band, w=weights).convert("L")
            for band in kept.split()
        ]
        ring = ImageChops.subtract(weights.point(lambda w: 255 if w else 0), seen)
        result = Image.composite(Image.merge("RGB", spread), result, ring)
        seen = ImageChops.lighter(seen, ring)
    return Image.composite(result, Image.new("RGB", rgb.size, (255, 255, 255)), seen)


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


def _grey_keyed(image: Image.Image) -> bool:
    """A grey picture with one grey made clear (a PNG's tRNS), which WeasyPrint writes as RGB."""
    return image.mode in ("1", "L") and "transparency" in image.info


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
