"""Bad input never crashes, leaks or loses a file: the hostile corpus, and where each concern is pinned.

Every case runs the command line in-process (booklet.cli.main) and pins what a person sees: the exit code and
every line on stderr, ``file:line:column: message`` where there is a place. A case is a small project (MINIMAL,
the smallest valid booklet, with one thing changed) or a change to a copy of layouts/ or fonts/. By concern:

- tests/roots/ (run by test_hostile_roots.py): the cases that are a booklet.yaml, its pictures and maybe
  additions to layouts/, with the exact lines they give; the id says the concern (``yaml-``, ``text-``,
  ``path-``, ``links-``, ``values-``, ``layout-``/``layouts-``);
- test_hostile_text.py: invisible characters and encodings, markup printed as text, a word longer than a line;
- test_hostile_paths.py: links, pipes and folders where a picture was meant; nothing outside the project
  reaches an output file;
- test_hostile_limits.py: data too large or too deep, layouts asking too much, the page limit;
- test_hostile_time.py: --timeout, wherever the alarm lands;
- test_hostile_output.py: failed writes, a full disk, a killed build: the previous files stay whole;
- test_hostile_layouts.py, _fonts, _pictures, _pdfs, _preview, _signals: the rest, one concern a file.

Many cases were pinned before this corpus and are not repeated; EXISTING lists them by test id, so that the
corpus can be counted as a whole. A case marked ``bug`` (hostile_kit.bug) would pin the behaviour a
communications officer needs while it is wrong (xfail, strict: fixing the bug makes it pass, and the mark must
then go); there is none today.

Hypothesis properties (any text in any field) are in test_properties.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

#: Cases of the corpus pinned in other files (exact lines there), by bullet.
EXISTING = {
    "yaml": [
        "test_validation.py::test_problems[yaml-syntax-error]",
        "test_validation.py::test_problems[unclosed-quote]",
        "test_validation.py::test_problems[unclosed-bracket]",
        "test_validation.py::test_problems[key-without-colon]",
        "test_validation.py::test_problems[dedented-key]",
        "test_validation.py::test_problems[quote-in-middle-of-text]",
        "test_validation.py::test_problems[tab-for-indenting]",
        "test_validation.py::test_problems[tab-inside-indenting]",
        "test_validation.py::test_problems[duplicate-key]",
        "test_validation.py::test_problems[duplicate-kind]",
        "test_validation.py::test_problems[text-for-number]",
        "test_validation.py::test_problems[list-for-map]",
        "test_validation.py::test_problems[map-for-text]",
        "test_validation.py::test_problems[list-for-text]",
        "test_validation.py::test_problems[text-for-list]",
        "test_validation.py::test_problems[text-for-section]",
        "test_validation.py::test_problems[python-tag-is-not-constructed]",
        "test_validation.py::test_problems[unknown-key-near-miss]",
        "test_validation.py::test_problems[unknown-key-no-near-miss]",
        "test_validation.py::test_problems[unknown-kind-near-miss]",
        "test_validation.py::test_problems[yes-no-off-as-text]",
        "test_validation.py::test_problems[page-size-bool-ish]",
        "test_validation.py::test_problems[invalid-date]",
        "test_validation.py::test_problems[empty-file]",
        "test_validation.py::test_problems[only-comment]",
        "test_validation.py::test_problems[list-at-top]",
        "test_validation.py::test_problems[not-utf-8]",
        "test_validation.py::test_problems[utf-8-bom]",
        "test_validation.py::test_problems[utf-8-bom-keeps-columns]",
        "test_validation.py::test_problems[alias]",
        "test_validation.py::test_alias_bomb_is_refused_quickly",
    ],
    "text": [
        "test_validation.py::test_problems[emoji]",
        "test_validation.py::test_problems[cjk]",
        "test_validation.py::test_problems[format-characters]",
        "test_validation.py::test_problems[empty-text]",
        "test_validation.py::test_problems[blank-text]",
        "test_validation.py::test_problems[empty-list-item]",
    ],
    "path": [
        "test_validation.py::test_image_paths[missing-file]",
        "test_validation.py::test_image_paths[dot-dot-escape]",
        "test_validation.py::test_image_paths[absolute-path]",
        "test_validation.py::test_image_paths[https-url]",
        "test_validation.py::test_image_paths[file-url]",
        "test_validation.py::test_image_paths[directory]",
        "test_validation.py::test_image_paths[symlink-outside-data]",
        "test_validation.py::test_image_paths[not-a-picture]",
        "test_pictures.py::test_unusable_picture_is_refused_with_its_place[truncated]",
        "test_safety.py::test_refuses_url[data]",
    ],
    "layout": [
        "test_layouts.py::test_undefined_template_variable",
        "test_layouts.py::test_template_syntax_error",
        "test_layouts.py::test_unknown_css_property_and_unparsable_value",
        "test_layouts.py::test_missing_font_file",
        "test_safety.py::test_refusal_lines[background-names-the-stylesheet]",
    ],
    "output": [
        "test_safety.py::test_failed_write_leaves_old_pdfs",
        "test_safety.py::test_failed_write_leaves_old_html",
    ],
}


@pytest.mark.parametrize("case", [case for cases in EXISTING.values() for case in cases])
def test_the_cases_pinned_elsewhere_are_there(case: str) -> None:
    """EXISTING counts cases of other files: each must still be a test there, with that id."""
    file, _, test = case.partition("::")
    name, _, case_id = test.rstrip("]").partition("[")
    text = (Path(__file__).parent / file).read_text(encoding="utf-8")
    assert f"def {name}(" in text, case
    assert not case_id or f'id="{case_id}"' in text, case
