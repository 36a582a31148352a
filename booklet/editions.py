"""The editions of a booklet, each with everything that makes it itself.

A booklet is written as one PDF per edition. What differs between them lives
here and nowhere else: code elsewhere asks an edition what it needs to know
(``edition.press``, ``edition.share_image``...), never its name. A third
edition is one more entry in ``EDITIONS``.

- **print**: for the press. PDF/X-4 with the CMYK output intent of print.css,
  pictures separated to CMYK at full resolution, crop marks outside the bleed,
  a page count the binder can fold (a multiple of four).
- **screen**: for the web and messaging apps. PDF/UA-1, tagged for screen
  readers, pictures in RGB at about 150 ppi, linearized for fast web view,
  light enough to send, with a picture of its cover for sharing.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Preflight:
    """What the preflight expects of an edition's PDF."""

    #: Lowest resolution, at the placed size, that a picture may have.
    min_ppi: int
    #: What that resolution is for, in the preflight's words.
    ppi_use: str
    #: The heaviest file worth sending; None: no limit.
    max_bytes: int | None = None
    #: The page count must be a multiple of this (saddle stitching folds sheets of four pages).
    pages_multiple: int = 1


@dataclass(frozen=True)
class Edition:
    name: str
    #: The edition's own stylesheet in layouts/, after booklet.css.
    stylesheet: str
    #: Options for WeasyPrint's HTML.render() and write_pdf(): it applies dpi
    #: and image options only at render(), the PDF variant at write_pdf().
    options: dict = field(default_factory=dict)
    #: For the press: CMYK pictures and black, the stylesheet's output intent,
    #: crop marks, both PDF dates (PDF/X needs them), no links.
    press: bool = False
    #: Tagged for assistive technology (PDF/UA): a structure tree to mend and check.
    tagged: bool = False
    #: Rewrite the file for fast web view (first page first), with qpdf.
    linearize: bool = False
    #: Write the cover as a PNG beside the PDF, for messages and posts.
    share_image: bool = False
    #: Pictures from their light copies: RGB, cut down to SCREEN_PICTURE_PPI
    #: over the page. Otherwise from the files as given, separated into the
    #: press's CMYK when a press edition is built at the same time.
    light_pictures: bool = False
    preflight: Preflight = field(default_factory=lambda: Preflight(min_ppi=0, ppi_use=""))
    #: What the edition is for, in a few words (the command line's help).
    summary: str = ""

    def __post_init__(self) -> None:
        if self.options.get("pdf_variant", "").startswith("pdf/ua") and not self.tagged:
            raise ValueError(f"the {self.name} edition is PDF/UA, which is tagged: say tagged=True")

    @property
    def pdf_name(self) -> str:
        """The file name of this edition's PDF in the build folder."""
        return f"booklet-{self.name}.pdf"

    @property
    def weasyprint_options(self) -> dict:
        """What WeasyPrint's render() and write_pdf() are given: the options, and tags when the edition is tagged."""
        return {**self.options, "pdf_tags": self.tagged}


#: About 150 ppi at the placed size is sharp on any screen and keeps the file
#: light for messaging apps.
SCREEN_PICTURE_PPI = 150

EDITIONS: dict[str, Edition] = {
    "print": Edition(
        "print",
        "print.css",
        {"pdf_variant": "pdf/x-4"},
        press=True,
        summary="bleed, crop marks",
        preflight=Preflight(min_ppi=300, ppi_use="the press needs", pages_multiple=4),
    ),
    "screen": Edition(
        "screen",
        "screen.css",
        {"pdf_variant": "pdf/ua-1", "dpi": SCREEN_PICTURE_PPI, "jpeg_quality": 82, "optimize_images": True},
        tagged=True,
        linearize=True,
        share_image=True,
        light_pictures=True,
        summary="light",
        preflight=Preflight(min_ppi=100, ppi_use="screens need", max_bytes=3 * 1024 * 1024),
    ),
}


def press_edition(names: list[str]) -> Edition | None:
    """The first of ``names`` made for the press, if any: its stylesheet names the CMYK profile of the pictures."""
    return next((EDITIONS[name] for name in names if EDITIONS[name].press), None)


def for_screens() -> Edition:
    """The edition read on screens: the pages trimmed, without press marks, in a light file.

    The preview shows it; proof and impose start from its PDF.
    """
    return next(e for e in EDITIONS.values() if e.light_pictures and not e.press)
