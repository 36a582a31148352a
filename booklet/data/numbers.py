"""How every number in the booklet prints: digits, separators, percentages, money, full or compact.

One place decides, so that a figure, a chart value and a table cell written
alike print alike. ``display(value, numbering)`` is the one call: the value is a
number from the data (an ``amounts.Amount``, or a plain int, float or Decimal)
and ``numbering`` the booklet's settings (digits, style, separators).

Babel's copy of CLDR gives the symbols (٫ ٬ ٪), the grouping, the plural
categories that Arabic number agreement follows, and the Arabic names of
currencies. Where this module departs from CLDR it says so and why.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from babel import Locale

from booklet.data.amounts import Amount


@functools.cache
def locale() -> Locale:
    """CLDR's Arabic, loaded at its first use: about 50 ms, which a booklet of small
    whole numbers (and the build of the sample) never spends."""
    return Locale.parse("ar")


Digits = Literal["arabic-indic", "western"]
Style = Literal["full", "compact"]

#: CLDR's numbering systems for the two digit settings.
_SYSTEMS = {"arabic-indic": "arab", "western": "latn"}
_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
#: CLDR wraps some Arabic symbols in bidi marks (ALM, LRM, RLM: "٪\u061c",
#: "\u200e%\u200e") so that they stay in place in plain text. The layouts
#: isolate every value with CSS instead (unicode-bidi: isolate), and marks
#: left in the PDF would be copied and searched with the text: they are dropped.
_MARKS = re.compile("[\u061c\u200e\u200f]")
#: CLDR's ar patterns group from the fourth digit (١٬٩٥١). The booklet groups
#: from the fifth (١٩٥١, ١٢٬٥٠٠), as CLDR itself does for Spanish or Polish
#: (minimumGroupingDigits 2) and as the EU style guide sets four-digit
#: numbers: a year or a four-digit count reads as one word, and a timeline's
#: years never take a separator. Numbers read together (a table's column, a
#: chart's values, a group of figure cards) are grouped alike: ``grouping``.
GROUP_FROM = 5
#: CLDR's own minimum: what numbers read together are grouped from when one of them is grouped.
GROUP_FROM_TOGETHER = 4
#: In the compact style, numbers from here up print with a scale word
#: (١٢٫٥ ألف); smaller ones print in full: they are short already.
COMPACT_FROM = 10_000
#: Compact values keep three significant digits (٢٧٫٨ مليون, ١٫٢٥ مليون, ٣٢٥ ألفًا).
COMPACT_DIGITS = 3


@dataclass(frozen=True)
class Numbering:
    """The booklet's settings for numbers."""

    digits: Digits = "arabic-indic"
    style: Style = "full"
    thousands_separator: bool = True


@functools.cache
def symbols(digits: Digits) -> dict[str, str]:
    """CLDR's decimal, group and percent signs for ``digits``, without their bidi marks."""
    cldr = locale().number_symbols[_SYSTEMS[digits]]
    return {name: _MARKS.sub("", cldr[name]) for name in ("decimal", "group", "percentSign")}


#: The minus sign. CLDR's is ALM + "-" (arab) or LRM + "-" (latn): the hyphen-
#: minus without the marks. U+2212 would be better typography, but no font in
#: fonts/ has it and the build refuses fallback fonts.
MINUS = "-"

#: The scale words and their agreement with the number before them, by CLDR
#: plural category. CLDR's own compact forms for ar are incomplete (its long
#: patterns give «١١ ألف» for «١١ ألفًا», «١٠ ألف» for «١٠ آلاف» and «٣ مليار» for
#: «٣ مليارات»), so the rules of Arabic grammar are written out here:
#: one (exactly 1): the noun alone, as Arabic counts one (ألف، مليون);
#: two (exactly 2): the dual (ألفان); few (3 to 10, and 103, 110...): the plural
#: (آلاف، ملايين، مليارات); many (11 to 99, 111...): the singular, accusative
#: (ألفًا); other (100, 1000..., and every decimal): the singular (ألف).
#: "before" holds the forms followed by another noun (a currency), where the
#: dual loses its nun and the accusative its tanween: مليونا ريال، ١٥ مليون ريال.
SCALE_WORDS = [
    (
        10**9,
        {"one": "مليار", "two": "ملياران", "few": "مليارات", "many": "مليارًا", "other": "مليار"},
        {"two": "مليارا", "many": "مليار"},
    ),
    (
        10**6,
        {"one": "مليون", "two": "مليونان", "few": "ملايين", "many": "مليونًا", "other": "مليون"},
        {"two": "مليونا", "many": "مليون"},
    ),
    (
        10**3,
        {"one": "ألف", "two": "ألفان", "few": "آلاف", "many": "ألفًا", "other": "ألف"},
        {"two": "ألفا", "many": "ألف"},
    ),
]

#: Currency names after a number of 3 to 10 (few) and 11 to 99 (many). CLDR's
#: ar data has these forms for only eleven currencies (the Algerian dinar, the
#: Egyptian pound...); these are the ones Arabic reports use most. Any other
#: currency takes CLDR's forms where it has them, else its name unchanged,
#: which is how Arabic financial tables write a name after digits. The euro is
#: indeclinable. After 1, 2, 100 and every decimal the name stays singular.
CURRENCY_FORMS = {
    "QAR": ("ريالات قطرية", "ريالًا قطريًا"),
    "SAR": ("ريالات سعودية", "ريالًا سعوديًا"),
    "OMR": ("ريالات عمانية", "ريالًا عمانيًا"),
    "YER": ("ريالات يمنية", "ريالًا يمنيًا"),
    "AED": ("دراهم إماراتية", "درهمًا إماراتيًا"),
    "KWD": ("دنانير كويتية", "دينارًا كويتيًا"),
    "BHD": ("دنانير بحرينية", "دينارًا بحرينيًا"),
    "JOD": ("دنانير أردنية", "دينارًا أردنيًا"),
    "IQD": ("دنانير عراقية", "دينارًا عراقيًا"),
    "USD": ("دولارات أمريكية", "دولارًا أمريكيًا"),
    "CAD": ("دولارات كندية", "دولارًا كنديًا"),
    "GBP": ("جنيهات إسترلينية", "جنيهًا إسترلينيًا"),
    "CHF": ("فرنكات سويسرية", "فرنكًا سويسريًا"),
    "SYP": ("ليرات سورية", "ليرةً سوريةً"),
    "TRY": ("ليرات تركية", "ليرةً تركيةً"),
}


def display(
    value: Amount | int | float | Decimal,
    numbering: Numbering = Numbering(),
    *,
    style: Style | None = None,
    group_from: int = GROUP_FROM,
    places: int | None = None,
) -> str:
    """``value`` as the booklet prints it, such as ٢٧٬٨٠٠٬٠٠٠, ٢٧٫٨ مليون, ٩٤٪ or ٥٠٠ ألف ريال قطري.

    The style is the value's own (``{number: ..., style: full}`` in the data),
    else ``style``, else the booklet's. Percentages always print in full.
    ``places`` rounds (half up) or pads the decimals, for a computed value or
    a table column whose digits align; left out, decimals print as written.
    """
    number, unit = parts(value, numbering, style=style, group_from=group_from, places=places)
    return f"{number} {unit}" if unit else number


def parts(
    value: Amount | int | float | Decimal,
    numbering: Numbering = Numbering(),
    *,
    style: Style | None = None,
    group_from: int = GROUP_FROM,
    places: int | None = None,
) -> tuple[str, str]:
    """``display``'s text in two: the number (with its % or scale word) and the currency's name, or ''.

    A layout may set the currency smaller than the number: ٥٠٠ ألف / ريال قطري.
    """
    number = _rounded(value, places)
    currency = getattr(value, "currency", None)
    if getattr(value, "unit", "number") == "percent":
        return _digits(number, numbering, group_from) + symbols(numbering.digits)["percentSign"], ""
    if _compact_form(value, number, numbering, style):
        text = _compact(number, numbering, before_noun=currency is not None)
        # After a scale word the currency is a noun in the genitive: always singular.
        return text, _currency(currency, Decimal(100)) if currency else ""
    return _digits(number, numbering, group_from), _currency(currency, number) if currency else ""


def grouping(
    values: Iterable[Amount | int | float | Decimal],
    numbering: Numbering = Numbering(),
    *,
    style: Style | None = None,
    places: int | None = None,
) -> int:
    """The ``group_from`` for ``values`` that are read together: a table's column, a chart's values, a group of cards.

    GROUP_FROM, unless one of them prints grouped (١٨٬٤٠٠): then every value of
    four digits or more is grouped too (٥٬٦٠٠, not ٥٦٠٠), so that the column
    reads alike and its digits align. A value printed compact or as a year
    takes no separator and does not count.
    """
    if not numbering.thousands_separator:
        return GROUP_FROM
    for value in values:
        number = _rounded(value, places)
        if abs(number) >= 10 ** (GROUP_FROM - 1) and not _compact_form(value, number, numbering, style):
            return GROUP_FROM_TOGETHER
    return GROUP_FROM


def _rounded(value: Amount | int | float | Decimal, places: int | None) -> Decimal:
    """The number of ``value``, rounded (half up) or padded to ``places`` decimals if given."""
    number = exact(value)
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return number


def _compact_form(value: object, number: Decimal, numbering: Numbering, style: Style | None) -> bool:
    """Whether ``value`` prints with a scale word: its style, else ``style``, else the booklet's, is
    compact, and it is large enough. Percentages always print in full."""
    if getattr(value, "unit", "number") == "percent":
        return False
    chosen = getattr(value, "style", None) or style or numbering.style
    return chosen == "compact" and abs(number) >= COMPACT_FROM


def exact(value: Amount | int | float | Decimal) -> Decimal:
    """The number as written in the data: 27.80 keeps its two decimals."""
    if isinstance(value, Amount):
        return value.exact
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def plural(number: Decimal) -> str:
    """CLDR's plural category of ``number`` in Arabic: zero, one, two, few, many or other."""
    return locale().plural_form(abs(number))


def _digits(number: Decimal, numbering: Numbering, group_from: int) -> str:
    """The number's digits with the booklet's separators, as written (27.80 keeps its zero)."""
    sign, digits, exponent = number.as_tuple()
    text = "".join(map(str, digits))
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if isinstance(exponent, int) and exponent > 0:
        text += "0" * exponent
    whole, fraction = (text[:-places] or "0", text[-places:].rjust(places, "0")) if places else (text, "")
    whole = whole.lstrip("0") or "0"
    if numbering.thousands_separator and len(whole) >= group_from:
        # CLDR's ar pattern #,##0.### groups by three (primary and secondary).
        head = len(whole) % 3 or 3
        whole = symbols(numbering.digits)["group"].join(
            [whole[:head]] + [whole[i : i + 3] for i in range(head, len(whole), 3)]
        )
    text = whole + (symbols(numbering.digits)["decimal"] + fraction if fraction else "")
    if numbering.digits == "arabic-indic":
        text = text.translate(_ARABIC_INDIC)
    return (MINUS if sign and any(digits) else "") + text


def _compact(number: Decimal, numbering: Numbering, *, before_noun: bool) -> str:
    """The number with a scale word and its agreement: ٢٧٫٨ مليون, ٣ ملايين, ١١ مليونًا, مليون."""
    size = abs(number)
    for index, (scale, forms, construct) in enumerate(SCALE_WORDS):
        if size < scale:
            continue
        mantissa = _significant(size / scale)
        if mantissa >= 1000 and index > 0:  # 999,999 rounds to 1000 thousand: a million
            scale, forms, construct = SCALE_WORDS[index - 1]
            mantissa = _significant(size / scale)
        category = plural(mantissa)
        word = (construct.get(category) if before_noun else None) or forms[category]
        sign = MINUS if number < 0 else ""
        if category in ("one", "two"):
            # Arabic counts one and two with the noun alone: مليون، مليونان.
            return sign + word
        digits = _digits(mantissa, Numbering(numbering.digits, "full", numbering.thousands_separator), GROUP_FROM)
        return f"{sign}{digits} {word}"
    return _digits(number, numbering, GROUP_FROM)  # pragma: no cover - below COMPACT_FROM


def _significant(number: Decimal) -> Decimal:
    """``number`` rounded to COMPACT_DIGITS significant digits, without trailing zeros (27.80 -> 27.8)."""
    if number == 0:
        return Decimal(0)
    places = max(COMPACT_DIGITS - number.adjusted() - 1, 0)
    return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP).normalize()


def _currency(code: str, number: Decimal) -> str:
    """The currency's Arabic name agreeing with ``number``."""
    category = plural(number) if number == number.to_integral() else "other"
    if category in ("few", "many"):
        forms = CURRENCY_FORMS.get(code)
        if forms:
            return forms[0] if category == "few" else forms[1]
        from babel.numbers import get_currency_name  # 70 ms to import: only for these forms

        return get_currency_name(code, int(abs(number)), locale())
    return locale().currencies.get(code, code)


def year(value: int, numbering: Numbering = Numbering()) -> str:
    """A year as the booklet prints it: never grouped (٢٠١٦)."""
    return _digits(Decimal(int(value)), numbering, group_from=99)
