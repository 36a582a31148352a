"""Typeset the merged HTML with WeasyPrint into one PDF per edition.

The Typesetter keeps what every build reuses (the fonts, the parsed
stylesheets) and lays out and writes an edition as its Edition says. What
WeasyPrint reports becomes problems in diagnostics.py, the stylesheets are
checked in stylesheets.py, and the PDF is finished in pdfwrite.py (WeasyPrint's
own objects) and finishing.py (the written file).
"""

from __future__ import annotations

import hashlib
from functools import partial
from pathlib import Path

import pydyf
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration, get_hb_object_data

from booklet import readfile
from booklet.design import contract, tokencheck
from booklet.editions import Edition
from booklet.errors import BookletError, Place, Problem, display_path
from booklet.typeset import drawings, finishing, fonts, pdfstructure, pdfwrite, stylesheets
from booklet.typeset.diagnostics import edition_source, problems_from, weasyprint_failure
from booklet.typeset.fetcher import ProjectFetcher

pdfstructure.install()  # what the HTML says and WeasyPrint's tagging leaves out (see the module)

#: More pages than this is a runaway layout, not a booklet.
MAX_PAGES = 400


class Typesetter:
    """One font configuration and one set of parsed stylesheets, reused for every edition."""

    def __init__(
        self, root: Path, layouts: Path, data: Path, fonts_dir: Path, extra_roots: tuple[Path, ...] = ()
    ) -> None:
        self.root = root
        self.layouts = layouts
        self.fonts_dir = fonts_dir
        self.fetcher = ProjectFetcher([layouts, data, fonts_dir], extra_roots)
        self.font_config = FontConfiguration()
        # Filled by each stylesheet's @color-profile rules while it is parsed,
        # by stylesheet: print.css's CMYK output intent must not reach the
        # screen edition.
        self.color_profiles: dict[str, dict] = {}
        self._font_digests = fonts.digests(fonts_dir)
        self._stylesheets: dict[str, CSS] = {}

    def stylesheet(self, name: str, problems: list[Problem]) -> CSS:
        """Parse one stylesheet of layouts/ on its own, so its problems carry its name.

        It is kept for later builds only when it had no problem: one that had
        is read, and its problems reported, again until it is mended.
        """
        if name in self._stylesheets:
            return self._stylesheets[name]
        path = self.layouts / name
        shown = display_path(path, self.root)
        if not path.is_file():
            problems.append(Problem(Place(shown), "no such stylesheet in layouts/"))
            return CSS(string="")
        try:
            data = readfile.read_bytes(path, self.layouts)
        except readfile.Refused as refused:
            problems += readfile.problem(path, refused, self.root).problems
            return CSS(string="")
        found: list[Problem] = []
        rules = stylesheets.parse(data)
        refused = stylesheets.check_urls(path, rules, shown, self.fetcher, found)
        stylesheets.check_selectors(rules, shown, found)
        profiles: dict = {}
        with problems_from(shown, self.fetcher, found, refused, data.decode("utf-8", errors="replace")):
            css = CSS(
                filename=str(path), url_fetcher=self.fetcher, font_config=self.font_config, color_profiles=profiles
            )
        self.color_profiles[name] = profiles
        problems += found
        if not found:
            self._stylesheets[name] = css
        return css

    def restyle(self) -> None:
        """Forget the parsed stylesheets, as the layouts changed; the fonts stay loaded."""
        self._stylesheets.clear()
        self.color_profiles.clear()

    def press_profile(self, edition: Edition) -> bytes | None:
        """The CMYK output profile ``edition``'s stylesheet declares (@color-profile device-cmyk), if any.

        The file as the designer gave it: pictures are separated with it, and
        it is the output intent (WeasyPrint would embed a re-encoding twice its size).
        """
        problems: list[Problem] = []
        self.stylesheet(edition.stylesheet, problems)
        if problems:
            raise BookletError(problems)
        profile = self.color_profiles.get(edition.stylesheet, {}).get("device-cmyk")
        return self.fetcher.check(profile.src).read_bytes() if profile else None

    def layout(self, html: str, base_url: str, edition: Edition, images: dict | None = None):  # noqa: ANN201
        """Lay out ``html`` for ``edition``: the pages (a weasyprint Document), ready to be written.

        ``images``, when given, is WeasyPrint's cache of loaded pictures, kept
        between two layouts of the same build (booklet/typeset/flow.py lays a booklet
        out twice): each picture is then read and converted once.
        """
        problems: list[Problem] = []
        sheets = [self.stylesheet(contract.STYLESHEET, problems), self.stylesheet(edition.stylesheet, problems)]
        if problems:
            raise BookletError(problems)
        with problems_from(edition_source(edition), self.fetcher, problems), weasyprint_failure(edition):
            html, self.fetcher.drawings = drawings.as_images(html)
            document = HTML(string=html, base_url=base_url, url_fetcher=self.fetcher).render(
                stylesheets=sheets,
                font_config=self.font_config,
                color_profiles={**self.color_profiles[contract.STYLESHEET], **self.color_profiles[edition.stylesheet]},
                **edition.weasyprint_options,
                **({"cache": images} if images is not None else {}),
            )
        self._blame_tokens(problems, edition)
        if len(document.pages) > MAX_PAGES:
            problems.append(
                Problem(
                    Place(edition_source(edition)),
                    f"has {len(document.pages)} pages; a booklet may have at most {MAX_PAGES} "
                    "(look for a text or a picture that runs away)",
                )
            )
        if problems:
            raise BookletError(problems)
        return document

    def _blame_tokens(self, problems: list[Problem], edition: Edition) -> None:
        """A token set to nonsense makes every declaration using it ignored: said once, at the token.

        WeasyPrint checks some values while laying out and others while drawing.
        The stylesheets booklet.css imports are looked in too; the edition's,
        whose tokens win, last.
        """
        if problems:
            problems[:] = tokencheck.blamed(problems, stylesheets.token_texts(self.layouts, self.root, edition))

    def write(self, document, target: Path, edition: Edition, identity: str, linearize: bool = True) -> None:  # noqa: ANN001
        """Write the laid-out ``document`` as PDF to ``target``.

        ``identity`` (a digest of the merged HTML) becomes the PDF/X document
        ID, which WeasyPrint would otherwise draw at random: the same input
        gives the same bytes.
        """
        problems: list[Problem] = []
        if edition.press:
            pdfwrite.both_dates(document.metadata)  # WeasyPrint would use the clock
        profile = self.press_profile(edition) if edition.press else None
        finish = partial(self._finish, identity=identity, press=edition.press, profile=profile)
        with (
            problems_from(edition_source(edition), self.fetcher, problems),
            pdfwrite.fixed_font_time(),
            weasyprint_failure(edition),
        ):
            written = document.write_pdf(None, finisher=finish, **edition.weasyprint_options)
        self._blame_tokens(problems, edition)
        problems += self._foreign_fonts(document)
        if problems:
            raise BookletError(problems)
        finishing.finish(written, target, edition, linearize)

    def _finish(self, _document, pdf: pydyf.PDF, identity: str, press: bool, profile: bytes | None) -> None:  # noqa: ANN001
        """WeasyPrint's finisher (pdfwrite.py)."""
        pdfwrite.finish(pdf, identity, press, profile)

    def _foreign_fonts(self, document) -> list[Problem]:  # noqa: ANN001
        """Fonts that Pango took from the system because no bundled font had a glyph."""
        problems = []
        for font in document.fonts.values():
            blob = get_hb_object_data(font.hb_face)
            if hashlib.sha256(blob).hexdigest() not in self._font_digests:
                problems.append(
                    Problem(
                        Place("fonts/"),
                        f"the system font {font.family!r} was used for text that no font in fonts/ covers; "
                        f"add a font with those characters to fonts/ and to {contract.STYLESHEET}",
                    )
                )
        return problems
