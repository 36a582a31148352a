"""Properties: whatever text goes into the data, the build gives a PDF or a clean BookletError, never a crash.

Hypothesis puts generated text into every kind of text field of one booklet (plain text, Markdown, chart labels,
list items, a picture's alt text...). Most examples stop after validation (booklet.check), which is cheap; some
render the merged HTML (Markdown, charts, the labels' bidi); a handful typeset the screen edition in full. Every
run is derandomized, so a failure found once is found again, on any machine.

Nothing is excluded: ANY_TEXT is any code point, surrogates included. DRAWABLE is biased towards what the fonts
cover, so that examples get past the font check and reach the renderer and the typesetter; it adds control and
format characters, separators and markup signs. What Hypothesis found is pinned as hostile cases: control
characters and U+2028 pass validation and fail the build with a message that names booklet.html instead of their
place in the data (tests/roots/text-control-character, text-line-separator), zero-width characters alone pass as
a text (test_hostile_text.py, text-only-invisible-characters).
"""

from __future__ import annotations

from pathlib import Path

import markupsafe
import pytest
from conftest import MINIMAL, ROOT
from hostile_kit import quoted
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

import booklet
from booklet.design import context, render
from booklet.typeset import fonts

#: A booklet with the generated text in every text field ({t}, written as a YAML double-quoted string).
TEMPLATE = """\
document:
  title: {t}
  subtitle: {t}
  organisation: {t}
  subject: {t}
  keywords: [{t}]
sections:
  - kind: cover
    kicker: {t}
    tagline: {t}
  - kind: chapter
    title: {t}
    lead: {t}
    body: {t}
    figures:
      - value: 3
        label: {t}
        qualifier: {t}
    charts:
      - kind: bars
        title: {t}
        alt: {t}
        items:
          - label: {t}
            value: 4
      - kind: timeline
        title: {t}
        alt: {t}
        items:
          - label: {t}
            value: 2020
            note: {t}
      - kind: dots
        title: {t}
        alt: {t}
        items:
          - label: {t}
            value: 3
    groups:
      - title: {t}
        items: [{t}]
  - kind: back-cover
    body: {t}
"""

COVERED = sorted(chr(c) for c in fonts.coverage(ROOT / "fonts") if not 0xD800 <= c < 0xE000)
SIGNS = list("<>&\"'*_[]()!`#{}%\\:-|~\n\t ")
ANY_TEXT = st.text(max_size=200)
DRAWABLE = st.text(
    alphabet=st.one_of(
        st.sampled_from(COVERED),
        st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp"]),
        st.sampled_from(SIGNS),
    ),
    max_size=80,
)
#: YAML's own signs, so that generated files get past the first character more often.
YAML_TEXT = st.text(alphabet=st.one_of(st.characters(), st.sampled_from(list(":-[]{}&*!|>'\"%@`#,?\n\t "))))

CHEAP = settings(
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("properties")


def _check(data: Path, source: str | bytes) -> booklet.pipeline.Validated | None:
    """Validate ``source``: the validated booklet, or None for a clean BookletError. Anything else propagates."""
    file = data / "booklet.yaml"
    file.write_bytes(source if isinstance(source, bytes) else source.encode("utf-8", "surrogatepass"))
    try:
        validated = booklet.check(booklet.Project(data))
    except booklet.BookletError as error:
        assert error.problems, "a BookletError says what is wrong"
        event("refused")
        return None
    event("valid")
    return validated


@settings(CHEAP, max_examples=250)
@given(ANY_TEXT)
@example("")
@example("\u202e\u2066")
@example("\ud800")
@example("\x00\x85\u2028\ufeff")
def test_any_text_in_every_field_is_validated_cleanly(data: Path, text: str) -> None:
    validated = _check(data, TEMPLATE.format(t=quoted(text)))
    if validated is not None:
        # Accepted text is kept as written, trimmed: no YAML type guessing, no escapes left behind.
        assert validated.booklet.document.title == text.strip()
        assert validated.booklet.sections[1].charts[0].items[0].label == text.strip()


@settings(CHEAP, max_examples=200)
@given(YAML_TEXT)
def test_any_file_is_validated_cleanly(data: Path, text: str) -> None:
    _check(data, text)


@settings(CHEAP, max_examples=200)
@given(st.integers(0, len(MINIMAL)), YAML_TEXT.filter(lambda t: len(t) <= 12), st.integers(0, 12))
def test_any_change_to_a_valid_file_is_validated_cleanly(data: Path, at: int, inserted: str, removed: int) -> None:
    _check(data, MINIMAL[:at] + inserted + MINIMAL[at + removed :])


@settings(CHEAP, max_examples=200)
@given(st.integers(0, len(MINIMAL.encode())), st.binary(max_size=12), st.integers(0, 12))
def test_any_bytes_in_a_valid_file_are_validated_cleanly(data: Path, at: int, inserted: bytes, removed: int) -> None:
    raw = MINIMAL.encode()
    _check(data, raw[:at] + inserted + raw[at + removed :])


@settings(CHEAP, max_examples=60)
@given(DRAWABLE)
@example("<script>alert(1)</script> {{ 7*7 }} **قوي** [رابط](javascript:x)")
@example("IOM \u2067(المنظمة)\u2069")
@example("لا\u200dم\u200c")
def test_drawable_text_renders_as_written(data: Path, text: str) -> None:
    """Text that passes validation renders (Markdown, charts, bidi of the labels) and shows escaped, as typed."""
    validated = _check(data, TEMPLATE.format(t=quoted(text)))
    if validated is None:
        return
    layouts = ROOT / "layouts"
    values = context.make_context(validated.booklet, [], layouts, {}, "screen.css")
    merged = render.render(render.environment(layouts), values, "layouts")
    assert str(markupsafe.escape(text.strip())) in merged


@settings(CHEAP, max_examples=6)
@given(DRAWABLE)
@example("\x1b[31m")
@example("\u2028")
@example("<img src='file:///etc/passwd'> {% raw %}")
def test_build_gives_a_pdf_or_a_clean_error(data: Path, text: str) -> None:
    """A full build of the screen edition: a PDF, or a BookletError (the build itself never crashes)."""
    (data / "booklet.yaml").write_text(TEMPLATE.format(t=quoted(text)), encoding="utf-8", errors="surrogatepass")
    out = data / "out"
    try:
        (built,) = booklet.build(booklet.Project(data), out, ["screen"])
    except booklet.BookletError as error:
        assert error.problems
        event(
            f"refused at {'typesetting' if error.problems[0].place.path.startswith('booklet.html') else 'validation'}"
        )
        return
    event("PDF")
    assert built.path.read_bytes().startswith(b"%PDF-")
