"""How numbers print and how they are read: (input, exact output) pairs for booklet.data.numbers and booklet.amounts."""

from __future__ import annotations

import pickle
import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from booklet.data.amounts import JSON_SCHEMA, AmountError, Fraction, Whole, amount, parse
from booklet.data.numbers import Numbering, display, grouping, plural, year

ARABIC = Numbering("arabic-indic", "full")
WESTERN = Numbering("western", "full")
ARABIC_COMPACT = Numbering("arabic-indic", "compact")
WESTERN_COMPACT = Numbering("western", "compact")
NO_SEPARATORS = Numbering("arabic-indic", "full", thousands_separator=False)


@pytest.mark.parametrize(
    ("value", "numbering", "expected"),
    [
        # Whole numbers: today's figures print as before.
        (172, ARABIC, "١٧٢"),
        (172, WESTERN, "172"),
        (0, ARABIC, "٠"),
        (6, ARABIC, "٦"),
        # Four digits are not grouped (a year, a small count); five and more are.
        (1951, ARABIC, "١٩٥١"),
        (9999, WESTERN, "9999"),
        (12500, ARABIC, "١٢٬٥٠٠"),
        (32400, WESTERN, "32,400"),
        (1250000, ARABIC, "١٬٢٥٠٬٠٠٠"),
        (27800000, ARABIC, "٢٧٬٨٠٠٬٠٠٠"),
        (27800000, WESTERN, "27,800,000"),
        (123456789012345, ARABIC, "١٢٣٬٤٥٦٬٧٨٩٬٠١٢٬٣٤٥"),
        (27800000, NO_SEPARATORS, "٢٧٨٠٠٠٠٠"),
        (-12, ARABIC, "-١٢"),
        (-32400, WESTERN, "-32,400"),
        # Decimals print as written, with the Arabic decimal separator.
        (amount("27.8"), ARABIC, "٢٧٫٨"),
        (amount("27.80"), ARABIC, "٢٧٫٨٠"),
        (amount("27.8"), WESTERN, "27.8"),
        (amount("0.5"), ARABIC, "٠٫٥"),
        (amount("12345.75"), ARABIC, "١٢٬٣٤٥٫٧٥"),
        (Decimal("1234567.5"), WESTERN, "1,234,567.5"),
        # Percentages, never compact.
        (amount("94", "percent"), ARABIC, "٩٤٪"),
        (amount("94", "percent"), WESTERN, "94%"),
        (amount("12.5", "percent"), ARABIC, "١٢٫٥٪"),
        (amount("-3", "percent"), WESTERN, "-3%"),
        (amount("94", "percent"), ARABIC_COMPACT, "٩٤٪"),
        # Money: the number, then the currency's Arabic name agreeing with it.
        (amount("1250000", "money", "QAR"), ARABIC, "١٬٢٥٠٬٠٠٠ ريال قطري"),
        (amount("1250000", "money", "USD"), WESTERN, "1,250,000 دولار أمريكي"),
        (amount("500", "money", "EUR"), ARABIC, "٥٠٠ يورو"),
        (amount("1", "money", "QAR"), ARABIC, "١ ريال قطري"),
        (amount("2", "money", "QAR"), ARABIC, "٢ ريال قطري"),
        (amount("3", "money", "QAR"), ARABIC, "٣ ريالات قطرية"),
        (amount("10", "money", "USD"), ARABIC, "١٠ دولارات أمريكية"),
        (amount("11", "money", "QAR"), ARABIC, "١١ ريالًا قطريًا"),
        (amount("99", "money", "JOD"), ARABIC, "٩٩ دينارًا أردنيًا"),
        (amount("100", "money", "QAR"), ARABIC, "١٠٠ ريال قطري"),
        (amount("103", "money", "QAR"), ARABIC, "١٠٣ ريالات قطرية"),
        (amount("15", "money", "EUR"), ARABIC, "١٥ يورو"),
        (amount("15", "money", "EGP"), ARABIC, "١٥ جنيهًا مصريًا"),  # CLDR's own forms
        (amount("2.5", "money", "QAR"), ARABIC, "٢٫٥ ريال قطري"),
        (amount("1250.50", "money", "QAR"), WESTERN, "1250.50 ريال قطري"),
        # Compact: a scale word and its agreement; below 10,000 in full.
        (9999, ARABIC_COMPACT, "٩٩٩٩"),
        (10000, ARABIC_COMPACT, "١٠ آلاف"),
        (12500, ARABIC_COMPACT, "١٢٫٥ ألف"),
        (11000, ARABIC_COMPACT, "١١ ألفًا"),
        (99000, ARABIC_COMPACT, "٩٩ ألفًا"),
        (100000, ARABIC_COMPACT, "١٠٠ ألف"),
        (103000, ARABIC_COMPACT, "١٠٣ آلاف"),
        (111000, ARABIC_COMPACT, "١١١ ألفًا"),
        (500000, ARABIC_COMPACT, "٥٠٠ ألف"),
        (1000000, ARABIC_COMPACT, "مليون"),
        (2000000, ARABIC_COMPACT, "مليونان"),
        (3000000, ARABIC_COMPACT, "٣ ملايين"),
        (10000000, ARABIC_COMPACT, "١٠ ملايين"),
        (11000000, ARABIC_COMPACT, "١١ مليونًا"),
        (250000000, ARABIC_COMPACT, "٢٥٠ مليونًا"),  # مئتان وخمسون مليونًا
        (300000000, ARABIC_COMPACT, "٣٠٠ مليون"),
        (1250000, ARABIC_COMPACT, "١٫٢٥ مليون"),
        (27800000, ARABIC_COMPACT, "٢٧٫٨ مليون"),
        (27800000, WESTERN_COMPACT, "27.8 مليون"),
        (27834512, ARABIC_COMPACT, "٢٧٫٨ مليون"),
        (999999, ARABIC_COMPACT, "مليون"),
        (1000000000, ARABIC_COMPACT, "مليار"),
        (2000000000, ARABIC_COMPACT, "ملياران"),
        (3000000000, ARABIC_COMPACT, "٣ مليارات"),
        (12345678901, ARABIC_COMPACT, "١٢٫٣ مليار"),
        (-2500000, ARABIC_COMPACT, "-٢٫٥ مليون"),
        # Compact money: the currency follows the scale word in the singular,
        # the dual loses its nun and 11 to 99 their tanween before it.
        (amount("500000", "money", "QAR"), ARABIC_COMPACT, "٥٠٠ ألف ريال قطري"),
        (amount("1000000", "money", "QAR"), ARABIC_COMPACT, "مليون ريال قطري"),
        (amount("2000000", "money", "USD"), ARABIC_COMPACT, "مليونا دولار أمريكي"),
        (amount("3000000", "money", "QAR"), ARABIC_COMPACT, "٣ ملايين ريال قطري"),
        (amount("15000000", "money", "QAR"), ARABIC_COMPACT, "١٥ مليون ريال قطري"),
        (amount("27800000", "money", "EUR"), WESTERN_COMPACT, "27.8 مليون يورو"),
        # A value's own style wins over the booklet's.
        (amount("27800000", style="full"), ARABIC_COMPACT, "٢٧٬٨٠٠٬٠٠٠"),
        (amount("27800000", style="compact"), ARABIC, "٢٧٫٨ مليون"),
    ],
)
def test_display(value: object, numbering: Numbering, expected: str) -> None:
    assert display(value, numbering) == expected


def test_tables_group_from_four_digits() -> None:
    assert display(1951, ARABIC, group_from=4) == "١٬٩٥١"


@pytest.mark.parametrize(
    ("values", "numbering", "style", "expected"),
    [
        # One value of five digits groups the four-digit ones read with it: ٥٬٦٠٠ above ١٨٬٤٠٠.
        ([5600, 6300, 18400], ARABIC, None, ["٥٬٦٠٠", "٦٬٣٠٠", "١٨٬٤٠٠"]),
        ([12, 5600, -18400], WESTERN, None, ["12", "5,600", "-18,400"]),
        ([amount("1250.5"), 150000], WESTERN, None, ["1,250.5", "150,000"]),
        # None grouped: four digits stay one word.
        ([5600, 6300, 999], ARABIC, None, ["٥٦٠٠", "٦٣٠٠", "٩٩٩"]),
        # A value printed compact takes no separator, and does not group the others.
        ([7400, 11000], ARABIC_COMPACT, None, ["٧٤٠٠", "١١ ألفًا"]),
        ([7400, 11000], ARABIC, "compact", ["٧٤٠٠", "١١ ألفًا"]),
        ([7400, amount("11000", style="full")], ARABIC_COMPACT, None, ["٧٬٤٠٠", "١١٬٠٠٠"]),
        # Percentages print in full: one of five digits groups the others.
        ([amount("12500", "percent"), amount("1200", "percent")], WESTERN, None, ["12,500%", "1,200%"]),
        # No separators at all: nothing to align.
        ([5600, 18400], NO_SEPARATORS, None, ["٥٦٠٠", "١٨٤٠٠"]),
        # Money: the number is grouped, its currency's name follows.
        ([amount("9400", "money", "JOD"), amount("17800", "money", "JOD")], WESTERN, None)
        + (["9,400 دينار أردني", "17,800 دينار أردني"],),
    ],
)
def test_numbers_read_together_are_grouped_alike(values, numbering, style, expected) -> None:
    group_from = grouping(values, numbering, style=style)
    assert [display(v, numbering, style=style, group_from=group_from) for v in values] == expected


def test_a_value_rounded_to_five_digits_groups_the_column() -> None:
    # 9999.6 prints as 10,000 with no decimals: the column then groups its four-digit values.
    assert grouping([Decimal("9999.6"), 1200], WESTERN, places=0) == 4
    assert grouping([Decimal("9999.4"), 1200], WESTERN, places=0) == 5


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [(amount("1250.5"), 2, "1250.50"), (Decimal("12.345"), 2, "12.35"), (2 / 3 * 100, 1, "66.7"), (7, 0, "7")]
    + [(amount("12.5", "percent"), 0, "13%"), (amount("1250000.5", "money", "QAR"), 0, "1,250,001 ريال قطري")],
)
def test_places_round_or_pad_the_decimals(value: object, places: int, expected: str) -> None:
    """A computed value (a share of a whole) or a table column prints with the decimals it is given."""
    assert display(value, WESTERN, places=places) == expected


def test_years_are_never_grouped() -> None:
    assert year(2016, ARABIC) == "٢٠١٦"
    assert year(12016, WESTERN) == "12016"


@pytest.mark.parametrize(
    ("number", "category"),
    [("1", "one"), ("2", "two"), ("3", "few"), ("10", "few"), ("11", "many"), ("99", "many"), ("100", "other")]
    + [("102", "other"), ("103", "few"), ("111", "many"), ("27.8", "other")],
)
def test_plural_categories(number: str, category: str) -> None:
    assert plural(Decimal(number)) == category


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("172", amount("172")),
        ("١٧٢", amount("172")),
        ("۱۷۲", amount("172")),
        ("1_000", amount("1000")),
        ("27.8", amount("27.8")),
        ("٢٧٫٨", amount("27.8")),
        (".5", amount("0.5")),
        ("-12", amount("-12")),
        ("1,250,000", amount("1250000")),
        ("١٬٢٥٠٬٠٠٠", amount("1250000")),
        ("١،٢٥٠،٠٠٠", amount("1250000")),
        ("1 250 000", amount("1250000")),
        ("1,250,000.5", amount("1250000.5")),
        ("45%", amount("45", "percent")),
        ("45 %", amount("45", "percent")),
        ("٤٥٪", amount("45", "percent")),
        ("%45", amount("45", "percent")),
        ("12.5%", amount("12.5", "percent")),
        ("1250000 QAR", amount("1250000", "money", "QAR")),
        ("USD 1,250,000", amount("1250000", "money", "USD")),
    ],
)
def test_parse(written: str, expected: object) -> None:
    assert parse(written) == expected


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("كثير", "expected a number such as 172, 27.8, 1,250,000 or 45%, found 'كثير'"),
        (
            "1,5",
            "'1,5' is ambiguous: a comma only separates thousands, as in 1,500; for a decimal write 1.5 with a dot",
        ),
        (
            "٢٧،٨",
            "'٢٧،٨' is ambiguous: a comma only separates thousands, as in 1,500; for a decimal write 27.8 with a dot",
        ),
        ("1.250.000", "'1.250.000': a dot marks decimals; write 1250000 or 1,250,000"),
        ("1.250,5", "'1.250,5': write 1250.5; a dot marks decimals, a comma thousands"),
        (
            "27.8 مليون",
            "'27.8 مليون': write the whole number, 27800000; the booklet writes it with «ألف», «مليون» or «مليار» "
            "itself when settings.numbers is compact",
        ),
        (
            "500 ألف",
            "'500 ألف': write the whole number, 500000; the booklet writes it with «ألف», «مليون» or «مليار» "
            "itself when settings.numbers is compact",
        ),
        (
            "2.5M",
            "'2.5M': write the whole number, 2500000; the booklet writes it with «ألف», «مليون» or «مليار» "
            "itself when settings.numbers is compact",
        ),
        (
            "$100",
            "'$100': write money as a map with the currency's ISO code, such as {amount: 100, currency: QAR} "
            "(or USD, EUR...)",
        ),
        (
            "100 ريال",
            "'100 ريال': write money as a map with the currency's ISO code, such as {amount: 100, currency: QAR} "
            "(or USD, EUR...)",
        ),
        ("1e6", "'1e6': write the number out in digits, such as 1000000"),
        ("1234567890123456", "'1234567890123456' has more than 15 digits; a value holds at most 15: check the number"),
        ("qar 100", "'qar': write the currency code in capitals, 'QAR'"),
        ("QRA 100", "'QRA' is not a currency code; did you mean 'QAR'?"),
        ("12,34,567", "expected a number such as 172, 27.8, 1,250,000 or 45%, found '12,34,567'"),
        (
            "1" * 100_000 + " ألف",
            "expected a number such as 172, 27.8, 1,250,000 or 45%, found 100,004 characters starting "
            "'11111111111111111111…'",
        ),
    ],
)
def test_parse_explains(written: str, message: str) -> None:
    with pytest.raises(AmountError) as error:
        parse(written)
    assert str(error.value) == message


def test_an_amount_is_the_number_it_holds() -> None:
    """Drawings compute with a value as with any number: a whole amount counts out a dots chart."""
    whole, fraction = parse("1,250"), parse("27.8%")
    assert isinstance(whole, Whole) and isinstance(whole, int) and list(range(parse("3"))) == [0, 1, 2]
    assert isinstance(fraction, Fraction) and fraction / 2 == pytest.approx(13.9)
    assert sum([parse("2"), parse("3")]) == 5 and max(parse("7"), parse("12.5")) == 12.5
    assert pickle.loads(pickle.dumps(parse("1250000 QAR"))) == amount("1250000", "money", "QAR")
    assert parse("94%") != amount("94")  # the same number, not the same amount


@given(
    st.integers(min_value=-(10**14), max_value=10**14),
    st.sampled_from([0, 1, 2]),
    st.sampled_from(["arabic-indic", "western"]),
    st.booleans(),
)
def test_what_prints_in_full_reads_back_as_the_same_number(whole: int, places: int, digits: str, separators: bool):
    """The formatter and the reader agree: a value printed in full, pasted back into the data, is the same value."""
    number = Decimal(whole).scaleb(-places)
    written = display(amount(number), Numbering(digits, "full", separators))
    assert parse(written).exact == number
    assert parse(display(amount(number, "percent"), Numbering(digits))) == amount(number, "percent")


def test_the_json_schema_pattern_admits_every_written_form() -> None:
    """Editors check values with amounts.JSON_SCHEMA: it must not flag a value the booklet reads."""
    pattern = re.compile(JSON_SCHEMA["anyOf"][1]["pattern"])
    readable = ["172", "١٧٢", "27.8", "٢٧٫٨", "1,250,000", "١٬٢٥٠٬٠٠٠", "١،٢٥٠،٠٠٠", "1 250 000", "45%", "٤٥٪", "%45"]
    assert all(pattern.match(text) for text in readable + ["1250000 QAR", "USD 1,250,000", "-12%"])
    assert not pattern.match("كثير")
