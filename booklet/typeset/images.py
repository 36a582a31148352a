"""Prepare the data's pictures before typesetting: checked, upright, and light copies for the screen."""

from __future__ import annotations

import hashlib
import io
import os
import re
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pydyf
from PIL import Image, ImageCms, ImageFile, ImageOps, UnidentifiedImageError

from booklet import output
from booklet.data.placed import PlacedPicture
from booklet.editions import SCREEN_PICTURE_PPI, Edition
from booklet.errors import BookletError, Problem
from booklet.typeset import picturecache, pictureformats, svgcheck, svgpicture
from booklet.typeset.fetcher import MAX_RESOURCE_BYTES

#: Pictures above this many pixels are refused: a 20,000 x 20,000 image would
#: take gigabytes of memory to decode, far more than any page can show.
MAX_PIXELS = 64_000_000
# Pillow warns past this and raises DecompressionBombError past twice this.
# _prepare refuses anything past MAX_PIXELS itself, with a plain message, so
# WeasyPrint (which decodes pictures with Pillow too) never meets a warning.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

#: A picture file larger than this is refused before it is read (WeasyPrint's own bound, fetcher.py).
MAX_PICTURE_BYTES = MAX_RESOURCE_BYTES

#: Bump when the way copies are made changes, so that old copies are not reused.
_RECIPE = "3"
_MM_PER_INCH = 25.4
_ORIENTATION = 0x0112  # the EXIF tag
_PAGE_MM = {"A5": (148, 210), "A4": (210, 297)}
#: The modes (as read, before pictureformats.usable) of the pictures separated for the press:
#: colour, with or without transparency. Grey stays grey (one ink), CMYK as it is.
_SEPARATED = ("RGB", "RGBA", "RGBa", "RGBX", "P", "PA", "YCbCr")


@dataclass(frozen=True)
class Prepared:
    """The files each edition reads for one picture, and its size in pixels."""

    #: The press's copy: separated into its CMYK when a press edition is built, else the upright file.
    print_file: Path
    #: The light copy: RGB, cut down to SCREEN_PICTURE_PPI over the whole page
    #: (the largest place a picture can take); WeasyPrint fits it to its place.
    screen_file: Path
    pixels: tuple[int, int]
    #: The picture as given, or turned upright (a drawing with its labels made right): never separated.
    upright_file: Path

    def file_for(self, edition: Edition) -> Path:
        """The file ``edition`` lays out: the light copy when it takes light pictures, the press's copy for a
        press edition, else the picture in its own colours."""
        if edition.light_pictures:
            return self.screen_file
        return self.print_file if edition.press else self.upright_file


def prepare(
    pictures: list[PlacedPicture], cache: Path, page_size: str, press: bytes | None = None
) -> dict[Path, Prepared]:
    """Check and prepare every picture; raise BookletError naming each one that cannot be used.

    ``press`` is the press edition's CMYK output profile (ICC bytes): RGB
    pictures are separated into it for print, as a PDF/X file for a CMYK press
    expects. Copies are kept in ``cache`` under a name made of the picture's
    content hash and the recipe, so an unchanged picture is never processed twice.
    """
    page_mm = _PAGE_MM[page_size]
    screen_box = tuple(round((mm + 6) / _MM_PER_INCH * SCREEN_PICTURE_PPI) for mm in page_mm)
    picturecache.remove_temporaries(cache)
    sources = list(dict.fromkeys(picture.source for picture in pictures))

    # Whether Pillow warned about a picture's header is read here, one picture
    # after another: warnings.catch_warnings swaps process-wide state, so in the
    # pool below one picture could record another's warning, and the same input
    # would not always give the same copies.
    warned = {source: _header_warned(source) for source in sources}

    def attempt(source: Path) -> Prepared | _Unusable:
        try:
            return _prepare(source, cache, screen_box, press, warned[source])
        except _Unusable as error:
            return error

    # Pictures are prepared side by side: Pillow lets go of the interpreter
    # while it decodes, separates, resizes and encodes, so a booklet of many
    # photographs is ready in about half the time on two cores. What _prepare
    # changes for the whole process is set here once around all of them:
    # truncated pictures refused, and library warnings (a broken EXIF block)
    # silenced, as they are not the person's to read: the picture is either
    # prepared right or refused with a reason.
    truncated_allowed = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workers = max(1, min(len(sources), os.cpu_count() or 1))
            with ThreadPoolExecutor(max_workers=workers) as pool:
                results = dict(zip(sources, pool.map(attempt, sources), strict=True))
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = truncated_allowed
    prepared: dict[Path, Prepared] = {}
    problems = []
    for picture in pictures:
        result = results[picture.source]
        if isinstance(result, _Unusable):
            problems.append(Problem(picture.place, f"{picture.where}: {result}"))
        else:
            prepared[picture.source] = result
    if problems:
        raise BookletError(problems)
    used = (
        f for p in prepared.values() for f in (p.print_file, p.screen_file, alpha_file(p.print_file), p.upright_file)
    )
    picturecache.prune(cache, set(used))
    return prepared


class _Unusable(Exception):
    """The picture cannot be used; the message says why and what to do."""


def _header_warned(source: Path) -> bool:
    """Whether Pillow warns while reading ``source``'s header and EXIF block (a broken EXIF, say).

    Anything else wrong with the file is _prepare's to find and say.
    """
    try:
        if source.suffix.lower() == ".svg" or source.stat().st_size > MAX_PICTURE_BYTES:
            return False  # a drawing, or a file refused before anything of it is read
    except OSError:
        return False
    truncated_allowed = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with warnings.catch_warnings(record=True) as warned:
            warnings.simplefilter("always")
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(source) as image:
                image.getexif()
    except Exception:  # noqa: BLE001 - an unreadable picture is refused by _prepare, with its reason
        return False
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = truncated_allowed
    return bool(warned)


def _prepare(source: Path, cache: Path, screen_box: tuple[int, int], press: bytes | None, warned: bool) -> Prepared:
    size = source.stat().st_size
    if size > MAX_PICTURE_BYTES:
        raise _Unusable(
            f"is {size / 1048576:.0f} MB; a picture may have at most {MAX_PICTURE_BYTES // 1048576} MB: "
            "save it again as a JPEG (photos) or PNG (drawings)"
        )
    if source.suffix.lower() == ".svg":
        try:
            svgcheck.check(source)
        except svgcheck.Refused as error:
            raise _Unusable(str(error)) from None
        # Drawn as vectors: its labels, fonts and (for the press) colours made right, once per edition.
        try:
            print_file, screen_file = svgpicture.prepare(source, source.read_bytes(), cache, press)
        except svgpicture.Unusable as error:
            raise _Unusable(str(error)) from None
        return Prepared(print_file, screen_file, (0, 0), screen_file)  # the screen's drawing is not separated
    recipe = f"{_RECIPE}:{screen_box[0]}x{screen_box[1]}".encode()
    hashed = _hashed(source)  # in pieces: the header is checked before the whole file is decoded
    hashed.update(recipe)
    digest = hashed.hexdigest()[:20]
    # prepare() refuses truncated pictures (WeasyPrint allows them for the
    # whole process) and silences warnings around every call of this one.
    try:
        image = Image.open(source)  # reads the header only
        with image:
            if image.width * image.height > MAX_PIXELS:
                raise _Unusable(
                    f"{image.width} x {image.height} pixels is too large; "
                    f"save it at most {MAX_PIXELS // 1_000_000} million pixels"
                )
            turned = image.getexif().get(_ORIENTATION, 1) not in (1, None)
            # A mode a PDF cannot hold (16-bit grey), a profile that does not
            # fit the picture's colours, or a header Pillow warned about: the
            # print edition takes a clean copy, not the file as it is.
            odd = pictureformats.odd(image) or warned
            turned = turned or odd
            # Colour pictures are separated, those with transparency too: a CMYK
            # JPEG and its alpha beside it, which soft_masks() puts back in the PDF.
            separate = press is not None and image.mode in _SEPARATED
            if separate:
                hashed.update(press)  # the same digest as of data + recipe + press, without hashing data again
            digest_print = hashed.hexdigest()[:20]
            print_file = _cached(cache, f"{digest_print}-print") if turned or separate else source
            screen_file = _cached(cache, f"{digest}-screen")
            upright_file = _cached(cache, f"{digest}-print") if turned else source
            # A print copy is written after its alpha (if it has one): found, it vouches for it.
            alpha = alpha_file(print_file) if print_file and separate else None
            found = print_file and screen_file and upright_file
            if found and (alpha is None or not alpha.exists() or picturecache.sound(alpha)):
                return Prepared(print_file, screen_file, image.size, upright_file)  # made by an earlier build
            image.load()  # decodes everything: finds truncated and corrupt files
            image = pictureformats.usable(image)
            return _copies(image, turned, source, cache, screen_box, digest, digest_print, press if separate else None)
    except Image.DecompressionBombError:
        message = f"is too large to decode safely; save it at most {MAX_PIXELS // 1_000_000} million pixels"
        raise _Unusable(message) from None
    except UnidentifiedImageError:
        raise _Unusable("is not a picture Pillow can read; save it as JPEG or PNG") from None
    except pictureformats.Unsupported as error:
        raise _Unusable(str(error)) from None
    except (OSError, SyntaxError, ValueError) as error:  # truncated or corrupt data
        raise _Unusable(f"cannot be read as a picture ({error}); export it again") from None


def _hashed(source: Path) -> hashlib._Hash:
    """sha256 of the file, read a megabyte at a time (never whole)."""
    hashed = hashlib.sha256()
    with open(source, "rb") as file:
        while chunk := file.read(1024 * 1024):
            hashed.update(chunk)
    return hashed


def _write(image: Image.Image, target: Path, quality: int) -> None:
    try:
        _save(image, target, quality)
    except OSError as error:
        # The output folder, not the picture: say so, and stop the build here.
        raise output.cannot_write_folder(target.parent, error) from None


def _cached(cache: Path, stem: str) -> Path | None:
    return picturecache.find(cache, stem)


def _copies(
    image: Image.Image,
    turned: bool,
    source: Path,
    cache: Path,
    screen_box: tuple[int, int],
    digest: str,
    digest_print: str,
    press: bytes | None,
) -> Prepared:
    upright = _upright(image, turned)

    # The original file, unless it must be turned upright first (CMYK stays CMYK); for the
    # press, separated into its CMYK when ``press`` is given.
    upright_file = source
    if turned:
        upright_file = cache / f"{digest}-print{_suffix(upright)}"
        _write(_without_orientation(upright), upright_file, quality=95)
    print_file = upright_file
    if press is not None:
        print_file = cache / f"{digest_print}-print.jpg"
        alpha = pictureformats.alpha(upright)
        if alpha is not None:
            _write(alpha, alpha_file(print_file), quality=95)
        _write(_separated(upright, press, alpha), print_file, quality=95)

    # Screen: RGB, SCREEN_PICTURE_PPI wherever the picture can be shown: a picture fills
    # a page (a cover, a photo page) cropped to the page's shape, so the copy
    # must cover the whole page and its bleed at SCREEN_PICTURE_PPI, not fit inside it:
    # a 3000 x 2000 photograph on a portrait page fitted inside the page would
    # be 71 ppi once cropped. Never larger than the original.
    screen = upright.copy()
    scale = min(1.0, max(box / side for box, side in zip(screen_box, screen.size, strict=True)))
    if scale < 1.0:
        size = tuple(max(1, round(side * scale)) for side in screen.size)
        screen = screen.resize(size, Image.Resampling.LANCZOS)
    screen_file = cache / f"{digest}-screen{_suffix(screen)}"
    _write(_to_rgb(screen), screen_file, quality=82)
    return Prepared(print_file, screen_file, upright.size, upright_file)


def _upright(image: Image.Image, turned: bool) -> Image.Image:
    return ImageOps.exif_transpose(image) if turned else image


def _separated(image: Image.Image, press: bytes, alpha: Image.Image | None = None) -> Image.Image:
    """The picture in the press's CMYK, from its own RGB profile (sRGB if it has none).

    With ``alpha``, its colours where it is clear are its edges' (pictureformats.bled).
    """
    # The picture's own profile when it describes RGB colours (pictureformats.profile), else sRGB.
    embedded = image.info.get("icc_profile") if pictureformats.profile(image) is not None else None
    rgb = image if image.mode == "RGB" else image.convert("RGBA" if alpha is not None else "RGB")
    if alpha is not None:
        rgb = pictureformats.bled(rgb.convert("RGB"), alpha)
    cmyk = ImageCms.applyTransform(rgb, _separation(embedded, press))
    cmyk.info.pop("icc_profile", None)  # the output intent says what CMYK means
    return _without_orientation(cmyk)


@lru_cache(maxsize=8)
def _separation(embedded: bytes | None, press: bytes) -> ImageCms.ImageCmsTransform:
    """The transform from a picture's RGB profile to the press's CMYK, made once per pair of profiles.

    Without LittleCMS's one-pixel cache: pictures are separated on several
    threads at once with the same transform (prepare), and only an uncached
    transform may be shared.
    """
    source = ImageCms.ImageCmsProfile(io.BytesIO(embedded)) if embedded else ImageCms.createProfile("sRGB")
    target = ImageCms.ImageCmsProfile(io.BytesIO(press))
    return ImageCms.buildTransform(
        source, target, "RGB", "CMYK", renderingIntent=ImageCms.Intent.PERCEPTUAL, flags=ImageCms.Flags.NOCACHE
    )


_PRINT_COPY = re.compile(r"[0-9a-f]{20}-print\.jpg")


def alpha_file(print_file: Path) -> Path:
    """Where the alpha of a separated picture with transparency is kept: beside its CMYK copy."""
    return print_file.with_name(f"{print_file.stem}-alpha.png")


def soft_masks(pdf: pydyf.PDF) -> None:
    """Give each separated picture with transparency its alpha again, as the soft mask of its CMYK image.

    WeasyPrint 70 (images.py, RasterImage.get_x_object) makes a soft mask only
    for RGBA and LA pictures; a CMYK picture, which Pillow holds without alpha
    and only a JPEG carries, it writes opaque. So the press copy is a CMYK JPEG
    and its alpha a grey PNG beside it (alpha_file), joined here, in the
    finisher WeasyPrint calls before the file is written. WeasyPrint embeds a
    local JPEG as it is, through a LazyLocalImage that names the file (in the
    print edition: no dpi, jpeg_quality nor optimize_images to make it
    re-encode): that name finds the alpha. tests/test_pictures.py reads the
    mask back from the PDF, should a later WeasyPrint embed pictures otherwise.
    """
    for obj in list(pdf.objects):
        if not isinstance(obj, pydyf.Stream) or obj.extra.get("Subtype") != "/Image" or "SMask" in obj.extra:
            continue
        source = getattr(obj.stream[0], "_filename", None) if len(obj.stream) == 1 else None
        # Only the copies made here (never a file of the data that happens to have a name like theirs).
        if not source or not _PRINT_COPY.fullmatch(Path(source).name):
            continue
        alpha = alpha_file(Path(source))
        if not alpha.is_file():
            continue
        with Image.open(alpha) as mask:
            if mask.size != (obj.extra["Width"], obj.extra["Height"]):
                continue
            data = mask.convert("L").tobytes()
        stream = pydyf.Stream(
            [data],
            pydyf.Dictionary(
                {
                    "Type": "/XObject",
                    "Subtype": "/Image",
                    "Width": mask.width,
                    "Height": mask.height,
                    "ColorSpace": "/DeviceGray",
                    "BitsPerComponent": 8,
                    "Interpolate": obj.extra.get("Interpolate", "false"),
                }
            ),
            compress=True,
        )
        pdf.add_object(stream)
        obj.extra["SMask"] = stream.reference


def _suffix(image: Image.Image) -> str:
    return ".png" if image.mode in ("RGBA", "LA", "P") or "transparency" in image.info else ".jpg"


def _to_rgb(image: Image.Image) -> Image.Image:
    if image.mode in ("RGB", "RGBA", "L", "LA"):
        return image
    if image.mode == "CMYK" and image.info.get("icc_profile"):
        # Convert through the picture's own CMYK profile to sRGB.
        profile = ImageCms.ImageCmsProfile(io.BytesIO(image.info["icc_profile"]))
        return ImageCms.profileToProfile(image, profile, ImageCms.createProfile("sRGB"), outputMode="RGB")
    return image.convert("RGBA" if "transparency" in image.info else "RGB")


def _without_orientation(image: Image.Image) -> Image.Image:
    exif = image.getexif()
    exif.pop(_ORIENTATION, None)
    image.info["exif"] = exif.tobytes()
    return image


def _save(image: Image.Image, target: Path, quality: int) -> None:
    if target.suffix == ".png":
        picturecache.save(image, target, {"format": "PNG", "optimize": True})
    else:
        # Optimised Huffman tables cost a second pass over the picture: worth it for the light screen
        # copies, not for the press's (quality 95), whose few per cent of size matter to no one.
        options = {"format": "JPEG", "quality": quality, "optimize": quality < 90}
        if image.info.get("icc_profile"):
            options["icc_profile"] = image.info["icc_profile"]
        if image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
        picturecache.save(image, target, options)


def placements(document, urls: dict[str, str]) -> list[tuple[str, int, float, float, float]]:  # noqa: ANN001
    """Each picture's effective resolution where it stands: (url, page, width mm, height mm, ppi).

    Only pictures whose URL is a key of ``urls`` (the data's pictures) count.
    """
    found = []
    for number, page in enumerate(document.pages, start=1):
        for box in page._page_box.descendants():  # noqa: SLF001 - WeasyPrint keeps the boxes here
            image = getattr(box, "replacement", None)
            element = getattr(box, "element", None)
            if image is None or element is None or element.get("src") not in urls:
                continue
            width_px, height_px = getattr(image, "width", 0), getattr(image, "height", 0)
            if not width_px or not box.width or not box.height:
                continue
            fit = box.style["object_fit"]
            sx, sy = box.width / width_px, box.height / height_px  # CSS px per image pixel
            # cover and fill show the picture at the larger scale of the two axes
            scale = min(sx, sy) if fit in ("contain", "scale-down") else max(sx, sy)
            ppi = 96 / scale
            found.append((element.get("src"), number, box.width * 25.4 / 96, box.height * 25.4 / 96, ppi))
    return found
