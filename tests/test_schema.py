"""The data's JSON Schema: made from the model, committed, named by every booklet.yaml, and right about data.

Editors validate while the team types; these tests validate the same data with
the jsonschema package: every booklet of the project passes, typical mistakes fail.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import MINIMAL, ROOT, edit

import booklet
import booklet.cli
from booklet.tools import schema

SCHEMA = ROOT / schema.SCHEMA_FILE
FIRST_LINE = "# yaml-language-server: $schema="


_INT = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")


def _core(node: yaml.Node) -> object:
    """A node as YAML 1.2's core schema reads it, as editors do: yes, no and dates stay text."""
    if isinstance(node, yaml.MappingNode):
        return {_core(key): _core(value) for key, value in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [_core(item) for item in node.value]
    text = node.value
    if node.style not in (None, ""):
        return text  # quoted or a block: text
    if text in ("", "~", "null", "Null", "NULL"):
        return None
    if text in ("true", "True", "TRUE", "false", "False", "FALSE"):
        return text.lower() == "true"
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    return text


def _load(text: str) -> object:
    # libyaml, as booklet check reads the data (a tab after a colon is allowed).
    return _core(yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    published = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(published)
    return jsonschema.Draft202012Validator(published, format_checker=jsonschema.FormatChecker())


def _booklets() -> list[Path]:
    """Every booklet.yaml of the project: the sample, the examples, the test booklets."""
    skip = {".venv", "build", ".git", "node_modules"}
    return sorted(p for p in ROOT.rglob("booklet.yaml") if not skip & set(p.relative_to(ROOT).parts))


def _published() -> list[Path]:
    """The booklets people read and copy (the sample, the examples, the identity booklet): each names the schema."""
    return [p for p in _booklets() if p.relative_to(ROOT).parts[0] in ("data", "examples") or p.parent == IDENTITY]


def _fixtures() -> list[Path]:
    """The other test booklets: data made to test one thing, some of it wrong on purpose."""
    return [p for p in _booklets() if p not in _published()]


IDENTITY = ROOT / "tests" / "identity"


def test_the_committed_schema_is_the_one_the_model_makes():
    assert SCHEMA.read_text(encoding="utf-8") == schema.text(ROOT / "layouts"), (
        "schema/booklet.schema.json is out of date: run `make schema` and commit it"
    )


def test_the_schema_command_writes_it(cli, tmp_path, monkeypatch):
    (tmp_path / "layouts").symlink_to(ROOT / "layouts")
    monkeypatch.setattr(booklet.cli, "ROOT", tmp_path)
    code, out, err = cli("schema")
    assert (code, err) == (0, [])
    assert out == f"wrote {tmp_path / 'schema' / 'booklet.schema.json'}\n"
    assert (tmp_path / schema.SCHEMA_FILE).read_text(encoding="utf-8") == SCHEMA.read_text(encoding="utf-8")


def test_write_puts_the_schema_in_its_place(tmp_path):
    (tmp_path / "layouts").symlink_to(ROOT / "layouts")
    path = schema.write(tmp_path)
    assert path == tmp_path / "schema" / "booklet.schema.json"
    assert path.read_text(encoding="utf-8") == SCHEMA.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", _published(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_booklet_names_the_schema_and_passes_it(path, validator):
    text = path.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first.startswith(FIRST_LINE), f"{path}: the first line should name the schema"
    assert (path.parent / first.removeprefix(FIRST_LINE)).resolve() == SCHEMA
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in validator.iter_errors(_load(text))]
    assert errors == []


def _valid(data: Path) -> bool:
    try:
        booklet.check(booklet.Project(data))
    except booklet.BookletError:
        return False
    return True


#: The test booklets that booklet check accepts (the others are wrong on purpose: check is their judge).
VALID_FIXTURES = [p for p in _fixtures() if _valid(p.parent)]


@pytest.mark.parametrize("path", VALID_FIXTURES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_test_booklet_that_booklet_check_accepts_passes_the_schema(path, validator):
    text = path.read_text(encoding="utf-8")
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in validator.iter_errors(_load(text))]
    assert errors == []


def test_at_least_the_sample_and_the_identity_booklet_are_checked():
    found = {str(p.relative_to(ROOT)) for p in _booklets()}
    assert {"data/booklet.yaml", "tests/identity/booklet.yaml"} <= found


def test_the_smallest_booklet_passes(validator):
    assert list(validator.iter_errors(_load(MINIMAL))) == []


CHAPTER = "    title: بناء القدرات\n"


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(edit("  title: دليل الهجرة\n", ""), id="missing-title"),
        pytest.param(edit("  title: دليل الهجرة\n", "  titel: دليل الهجرة\n"), id="unknown-key"),
        pytest.param(edit("  - kind: cover\n", "  - kind: covr\n"), id="unknown-kind"),
        pytest.param(edit(CHAPTER, CHAPTER + "    colour: tael\n"), id="colour-not-in-the-palette"),
        pytest.param(edit(CHAPTER, CHAPTER + "    color: pink\n"), id="color-not-in-the-palette"),
        pytest.param(edit(CHAPTER, CHAPTER + "    numbered: nope\n"), id="numbered-not-boolean"),
        pytest.param(edit(CHAPTER, CHAPTER + "    link: www.example.org\n"), id="link-without-scheme"),
        pytest.param(
            edit(CHAPTER, CHAPTER + "    figures:\n      - value: 3\n        label: ف\n        icon: rocket\n"),
            id="unknown-icon",
        ),
        pytest.param(
            edit("  subject: تقرير مصور عن برامج البعثة\n", "  subject: ت\n  logo: logo.jpg\n"),
            id="logo-not-svg-or-png",
        ),
        pytest.param(
            edit("  subject: تقرير مصور عن برامج البعثة\n", "  subject: ت\n  logo: ../x.svg\n"), id="logo-outside"
        ),
        pytest.param(edit("  subject: تقرير مصور عن برامج البعثة\n", "  subject: ت\n  date: 2022-13\n"), id="date"),
        pytest.param("settings:\n  page_size: A3\n" + MINIMAL, id="page-size"),
        pytest.param(
            edit(
                "  - kind: back-cover\n",
                "  - kind: partners\n    title: ش\n    groups:\n      - title: م\n        items:\n"
                "          - logo: a.svg\n  - kind: back-cover\n",
            ),
            id="partner-without-name",
        ),
        pytest.param(edit("  - kind: cover\n", "  - kind: cover\n    numbered: false\n"), id="numbered-on-a-cover"),
    ],
)
def test_the_schema_refuses_mistakes(source, validator):
    assert list(validator.iter_errors(_load(source))), "the schema let a mistake through"


def test_a_mistake_in_a_section_is_reported_at_its_key(validator):
    source = edit("    title: بناء القدرات\n", "    titel: بناء القدرات\n")
    messages = sorted(e.message for e in validator.iter_errors(_load(source)))
    assert messages == [
        "'title' is a required property",
        "Additional properties are not allowed ('titel' was unexpected)",
    ]


def test_every_field_of_the_model_is_in_the_schema():
    published = json.loads(SCHEMA.read_text(encoding="utf-8"))
    chapter = published["$defs"]["Chapter"]["properties"]
    assert {"numbered", "part", "colour", "color", "link"} <= set(chapter)
    assert chapter["colour"]["anyOf"][0]["enum"][:3] == ["blue", "sky", "teal"]
    assert "droplet" in published["$defs"]["Figure"]["properties"]["icon"]["anyOf"][0]["enum"]
    assert published["$defs"]["Partner"]["required"] == ["name"]


def _validation_cases(valid: bool) -> list:
    from test_validation import CASES

    return [
        pytest.param(case.values[0], id=case.id)
        for case in CASES
        if isinstance(case.values[0], str) and (case.values[1] == []) == valid and not case.marks
    ]


@pytest.mark.parametrize("source", _validation_cases(valid=True))
def test_the_valid_booklets_of_the_validation_tests_pass(source, validator):
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in validator.iter_errors(_load(source))]
    assert errors == []
