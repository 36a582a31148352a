"""Values in the data: the forms a figure's or a chart item's value may take, and the exact lines
`booklet check` prints for each mistake, all problems at once (even after a type error)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FILE, MINIMAL, NUMBER, ROOT, edit, problems_of, write

import booklet
from booklet.data.amounts import amount

ICONS = len(list((ROOT / "layouts" / "icons").glob("*.svg")))

TITLE = "    title: بناء القدرات\n"
NEGATIVE = "values are counts, amounts or years, never below 0: write the number without its minus"
COMPACT = "the booklet writes it with «ألف», «مليون» or «مليار» itself when settings.numbers is compact"


def figure(value: str, more: str = "") -> str:
    """MINIMAL with one figure whose value is written ``value`` (the value starts at line 10, column 16)."""
    return edit(TITLE, f"{TITLE}    figures:\n      - value: {value}\n        label: متدربا\n{more}")


def chart(kind: str, *values: str) -> str:
    """MINIMAL with one chart of ``kind`` whose items have ``values`` (item N's value on line 14 + 2N)."""
    items = "".join(f"          - label: بند\n            value: {value}\n" for value in values)
    return edit(
        TITLE,
        f"{TITLE}    charts:\n      - kind: {kind}\n        title: رسم\n        alt: وصف\n        items:\n{items}",
    )


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("172", amount("172")),
        ("١٧٢", amount("172")),
        ("27.8", amount("27.8")),
        ("0.5", amount("0.5")),
        ("1,250,000", amount("1250000")),
        ("١٬٢٥٠٬٠٠٠", amount("1250000")),
        ('"45%"', amount("45", "percent")),
        ("45%", amount("45", "percent")),
        ("٤٥٪", amount("45", "percent")),
        ("{percent: 94}", amount("94", "percent")),
        ("{percent: 12.5}", amount("12.5", "percent")),
        ("{amount: 1250000, currency: QAR}", amount("1250000", "money", "QAR")),
        ("{amount: '1,250,000', currency: USD, style: compact}", amount("1250000", "money", "USD", "compact")),
        ("{number: 27800000, style: full}", amount("27800000", style="full")),
        ("1250000 QAR", amount("1250000", "money", "QAR")),
        ("0", amount("0")),
    ],
)
def test_value_forms(data: Path, written: str, expected: object) -> None:
    write(data, figure(written))
    (chapter,) = [s for s in booklet.check(booklet.Project(data)).booklet.sections if s.kind == "chapter"]
    assert chapter.figures[0].value == expected


VALUE = f"{FILE}:10:16: sections[2].figures[1].value"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(figure("كثير"), [f"{VALUE}: expected a number {NUMBER}, found 'كثير'"], id="text"),
        pytest.param(
            figure("1,5"),
            [
                f"{VALUE}: '1,5' is ambiguous: a comma only separates thousands, as in 1,500; "
                "for a decimal write 1.5 with a dot"
            ],
            id="decimal-comma",
        ),
        pytest.param(
            figure("1.250.000"),
            [f"{VALUE}: '1.250.000': a dot marks decimals; write 1250000 or 1,250,000"],
            id="dots-for-thousands",
        ),
        pytest.param(
            figure("27.8 مليون"),
            [f"{VALUE}: '27.8 مليون': write the whole number, 27800000; {COMPACT}"],
            id="typed-compact",
        ),
        pytest.param(
            figure("$1250000"),
            [
                f"{VALUE}: '$1250000': write money as a map with the currency's ISO code, such as "
                "{amount: 1250000, currency: QAR} (or USD, EUR...)"
            ],
            id="currency-symbol",
        ),
        pytest.param(
            figure("{amount: 1250000}"),
            [f"{VALUE}: money needs its currency: add currency with its ISO code, such as QAR, USD or EUR"],
            id="money-without-currency",
        ),
        pytest.param(
            figure("{amount: 1250000, currency: qar}"),
            [f"{FILE}:10:44: sections[2].figures[1].value.currency: 'qar': write the currency code in capitals, 'QAR'"],
            id="currency-lower-case",
        ),
        pytest.param(
            figure("{amount: 1250000, currency: ريال}"),
            [
                f"{FILE}:10:44: sections[2].figures[1].value.currency: 'ريال' is not a currency code; "
                "write its ISO code, such as QAR, USD or EUR"
            ],
            id="currency-name",
        ),
        pytest.param(
            figure("{amount: 5, currency: QRA}"),
            [f"{FILE}:10:38: sections[2].figures[1].value.currency: 'QRA' is not a currency code; did you mean 'QAR'?"],
            id="currency-typo",
        ),
        pytest.param(
            figure("{number: 5, percent: 3}"),
            [
                f"{VALUE}: write one of number, percent or amount, such as {{percent: 94}} or "
                "{amount: 1250000, currency: QAR}; found number and percent"
            ],
            id="two-kinds",
        ),
        pytest.param(
            figure("{numbr: 5}"),
            [f"{FILE}:10:17: sections[2].figures[1].value.numbr: unknown key; did you mean 'number'?"],
            id="unknown-key",
        ),
        pytest.param(
            figure("{number: 5, style: compct}"),
            [
                f"{FILE}:10:35: sections[2].figures[1].value.style: expected one of 'full', 'compact', "
                "found 'compct'; did you mean 'compact'?"
            ],
            id="unknown-style",
        ),
        pytest.param(
            figure("{percent: 5 USD}"),
            [f"{FILE}:10:26: sections[2].figures[1].value.percent: write money as {{amount: 5, currency: USD}}"],
            id="money-as-percent",
        ),
        pytest.param(
            figure("{number: 5, currency: USD}"),
            [
                f"{FILE}:10:38: sections[2].figures[1].value.currency: a currency goes with an amount: "
                "write {amount: 5, currency: ...}"
            ],
            id="currency-with-number",
        ),
        pytest.param(
            figure("[172]"), [f"{VALUE}: expected a number such as 172, 27.8 or 45%, found a list"], id="list"
        ),
        pytest.param(
            figure("{number: " * 400 + "1" + "}" * 400),
            [f"{FILE}:10:25: sections[2].figures[1].value.number: expected a number such as 94, found a map of keys"],
            id="maps-in-maps",
        ),
        pytest.param(
            chart("dots", "2.5", "3"),
            [
                f"{FILE}:15:20: sections[2].charts[1].items[1].value: a dots chart counts whole units: "
                "write a whole number of 0 or more, such as 12, found 2.5"
            ],
            id="dots-decimal",
        ),
        pytest.param(
            chart("timeline", "45%"),
            [
                f"{FILE}:15:20: sections[2].charts[1].items[1].value: a timeline's values are years: "
                "write a year such as 2016, found 45%"
            ],
            id="timeline-percent",
        ),
        pytest.param(
            chart("bars", "25%", "3", "{amount: 5, currency: QAR}"),
            [
                f"{FILE}:17:20: sections[2].charts[1].items[2].value: the chart's values share one scale: "
                "this one is a number, the first one a percentage; write them alike"
            ],
            id="bars-mixed",
        ),
        pytest.param(
            chart("dots", "12", "-3"),
            [f"{FILE}:17:20: sections[2].charts[1].items[2].value: is -3; {NEGATIVE}"],
            id="dots-negative",
        ),
        pytest.param(figure("-12%"), [f"{VALUE}: is -12; {NEGATIVE}"], id="negative-percentage"),
        pytest.param(chart("bars", "25%", "12.5%", "{percent: 40}"), [], id="bars-of-percentages"),
        pytest.param(chart("bars", "1,250,000", "27.8", "٣٤٠٠٠"), [], id="bars-of-written-numbers"),
    ],
)
def test_value_problems(data: Path, source: str, expected: list[str]) -> None:
    write(data, source)
    assert problems_of(data) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            # The unknown icon is found by a check after validation: it is reported with the value's problem.
            figure("كثير", "        icon: userz\n"),
            [
                f"{VALUE}: expected a number {NUMBER}, found 'كثير'",
                f"{FILE}:12:15: sections[2].figures[1].icon: no icon 'userz' in layouts/icons/; did you mean 'user'? "
                f"({ICONS} icons, listed in ASSETS.md)",
            ],
            id="icon-after-a-wrong-value",
        ),
        pytest.param(
            edit(TITLE, f"{TITLE}    image:\n      src: [a]\n      alt: صورة\n      focus: middle\n"),
            [
                f"{FILE}:10:12: sections[2].image.src: expected a file path, found a list",
                f"{FILE}:12:14: sections[2].image.focus: 'middle' is not a focus; write one or two of left, "
                "center, right, top, bottom or a percentage, such as 'center top' or '50% 20%'",
            ],
            id="focus-after-a-wrong-src",
        ),
        pytest.param(
            edit("  - kind: chapter\n    title: بناء القدرات\n", "  - kind: chaptr\n    title: [بناء]\n"),
            [
                f"{FILE}:7:11: sections[2].kind: unknown section kind 'chaptr'; did you mean 'chapter'? (kinds: "
                "cover, colophon, foreword, contents, highlights, chapter, partners, photo, back-cover)",
                f"{FILE}:8:12: sections[2].title: expected text, found a list",
            ],
            id="fields-after-a-wrong-kind",
        ),
        pytest.param(
            # A wrong item is reported; a dots total that only the wrong item could make wrong is not.
            chart("dots", "كثير", "1500"),
            [f"{FILE}:15:20: sections[2].charts[1].items[1].value: expected a number {NUMBER}, found 'كثير'"],
            id="no-total-from-a-wrong-item",
        ),
        pytest.param(
            figure("1,5", "      - value: 27.8 مليون\n        label: [x]\n"),
            [
                f"{VALUE}: '1,5' is ambiguous: a comma only separates thousands, as in 1,500; "
                "for a decimal write 1.5 with a dot",
                f"{FILE}:12:16: sections[2].figures[2].value: '27.8 مليون': "
                f"write the whole number, 27800000; {COMPACT}",
                f"{FILE}:13:16: sections[2].figures[2].label: expected text, found a list",
            ],
            id="every-problem-in-a-list",
        ),
    ],
)
def test_every_problem_at_once(data: Path, source: str, expected: list[str]) -> None:
    write(data, source)
    assert problems_of(data) == expected


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ("  numbers: compact\n  thousands_separator: false\n", []),
        (
            "  numbers: short\n",
            [f"{FILE}:2:12: settings.numbers: expected one of 'full', 'compact', found 'short'"],
        ),
        (
            "  thousands_separator: no\n",
            [f"{FILE}:2:24: settings.thousands_separator: expected true or false, found 'no'"],
        ),
    ],
)
def test_number_settings(data: Path, settings: str, expected: list[str]) -> None:
    write(data, f"settings:\n{settings}" + MINIMAL)
    assert problems_of(data) == expected
