"""Amounts as the data writes them: a number, a percentage or money, read into one exact value.

A figure's ``value`` and a chart item's ``value`` may be written

    value: 172                                   # a number (١٧٢ and 1,250,000 work too)
    value: 27.8                                  # a decimal, printed as written
    value: 94%                                   # a percentage, or {percent: 94}
    value: {amount: 1250000, currency: QAR}      # money, with its ISO currency code
    value: {number: 27800000, style: full}       # any of them with its own style

``parse`` reads the written text, ``from_written`` the map; both give an
``Amount``, which ``numbers.display`` prints. The compact form («٢٧٫٨ مليون»)
is derived from the exact number, never typed: a value typed that way is
refused with the number to write instead.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

#: A written value longer than this is no number (1,250,000,000,000.25 QAR is 28).
MAX_WRITTEN = 64
#: More significant digits than this is a typing slip (and more than a float carries).
MAX_DIGITS = 15

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫", "01234567890123456789.")
#: Whole numbers as YAML writes them, underscores allowed (1_250_000).
_PLAIN = re.compile(r"[+-]?[0-9][0-9_]*(?:\.[0-9]+)?\Z|[+-]?\.[0-9]+\Z")
#: Thousands written with a separator, the same one throughout: 1,250,000,
#: ١٬٢٥٠٬٠٠٠ (U+066C), ١،٢٥٠،٠٠٠ (the Arabic comma), 1 250 000 (spaces).
_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(?P<sep>[,٬،' \u00a0\u202f\u2009])[0-9]{3}(?:(?P=sep)[0-9]{3})*(?:\.[0-9]+)?\Z")
_PERCENT = re.compile(r"(?P<n>.+?)\s*[%٪]\Z|[%٪]\s*(?P<m>.+)\Z", re.S)
_CODE_AFTER = re.compile(r"(?P<n>.*?[0-9])\s*(?P<code>[A-Za-z]{3})\Z")
_CODE_BEFORE = re.compile(r"(?P<code>[A-Za-z]{3})\s*(?P<n>[+-]?[0-9.].*)\Z")
#: Scale words a writer may type; the booklet derives them.
_SCALES = {
    "ألف": 3, "آلاف": 3, "الف": 3, "ألفا": 3, "ألفًا": 3, "k": 3, "thousand": 3,
    "مليون": 6, "ملايين": 6, "مليونا": 6, "مليونًا": 6, "m": 6, "mn": 6, "million": 6,
    "مليار": 9, "مليارات": 9, "مليارا": 9, "مليارًا": 9, "بليون": 9, "bn": 9, "b": 9, "billion": 9,
}  # fmt: skip
_SCALED = re.compile(r"(?P<n>[+-]?[0-9][0-9.,٬،]*)\s*(?P<word>\S+)\Z")
_SYMBOLS = re.compile(r"[$€£¥]|ريال|دولار|يورو|دينار|درهم|جنيه|ليرة|ر\.ق|ر\.س|د\.إ")
_EXAMPLE = "such as 172, 27.8, 1,250,000 or 45%"

Unit = Literal["number", "percent", "money"]


class Amount:
    """A number from the data and how it was written: ``exact`` (a Decimal, as
    written), ``unit`` (number, percent or money), ``currency`` (an ISO code, for
    money) and ``style`` (full or compact, when the value sets its own).

    An Amount is also the plain number it holds, an int when written without
    decimals and a float otherwise, so that drawings compute with it as with any
    number: bars scale by it, a dots chart counts it out.
    """

    exact: Decimal
    unit: Unit
    currency: str | None
    style: str | None

    def _init(self, exact: Decimal, unit: Unit, currency: str | None, style: str | None) -> None:
        self.exact, self.unit, self.currency, self.style = exact, unit, currency, style

    def __reduce__(self) -> tuple:
        return amount, (self.exact, self.unit, self.currency, self.style)

    def __str__(self) -> str:  # the number as written: 172, 27.80
        return str(self.exact)

    def __repr__(self) -> str:
        extra = "".join(f", {k}={v!r}" for k, v in (("currency", self.currency), ("style", self.style)) if v)
        return f"amount({str(self.exact)!r}, {self.unit!r}{extra})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Amount):
            return (self.exact, self.unit, self.currency, self.style) == (
                other.exact,
                other.unit,
                other.currency,
                other.style,
            )
        return self.exact == other

    def __ne__(self, other: object) -> bool:  # int's and float's own would win over __eq__ above
        return not self == other

    def __hash__(self) -> int:
        return hash(self.exact)


class Whole(Amount, int):
    """An amount written without decimals."""

    def __new__(cls, exact: Decimal, unit: Unit = "number", currency: str | None = None, style: str | None = None):
        self = int.__new__(cls, int(exact))
        self._init(exact, unit, currency, style)
        return self


class Fraction(Amount, float):
    """An amount written with decimals (27.8, 0.5)."""

    def __new__(cls, exact: Decimal, unit: Unit = "number", currency: str | None = None, style: str | None = None):
        self = float.__new__(cls, float(exact))
        self._init(exact, unit, currency, style)
        return self


def amount(exact: Decimal | int | str, unit: Unit = "number", currency: str | None = None, style: str | None = None):
    """The Amount for ``exact``: a Whole when written without decimals, else a Fraction."""
    exact = Decimal(str(exact)) if not isinstance(exact, Decimal) else exact
    exponent = exact.as_tuple().exponent
    cls = Whole if isinstance(exponent, int) and exponent >= 0 else Fraction
    return cls(exact, unit, currency, style)


class AmountError(ValueError):
    """A value that is not an amount; ``key`` names the part of a map form at fault."""

    def __init__(self, message: str, key: str | None = None) -> None:
        super().__init__(message)
        self.key = key


def parse(text: str) -> Amount:
    """The amount written as ``text``: 172, ١٧٢, 27.8, 1,250,000, ١٬٢٥٠٬٠٠٠, 45%, ٤٥٪, 1250000 QAR.

    Raises AmountError saying exactly what to write instead.
    """
    written = " ".join(str(text).split())
    if len(written) > MAX_WRITTEN:  # never a number: and the patterns below need not read a page of it
        start = f"{written[:20]}…"
        raise AmountError(f"expected a number {_EXAMPLE}, found {len(written):,} characters starting {start!r}")
    value = written.translate(_DIGITS)
    if match := _PERCENT.match(value):
        return amount(_number(match["n"] or match["m"], written), "percent")
    if match := _CODE_AFTER.match(value) or _CODE_BEFORE.match(value):
        return amount(_number(match["n"], written), "money", currency_code(match["code"]))
    return amount(_number(value, written))


def _number(value: str, written: str) -> Decimal:
    value = value.strip()
    if _PLAIN.match(value):
        digits = value.replace("_", "")
    elif match := _GROUPED.match(value):
        digits = value.replace(match["sep"], "")
    else:
        raise AmountError(_advice(value, written))
    try:
        number = Decimal(digits)
    except InvalidOperation:  # pragma: no cover - the patterns above admit only digits
        raise AmountError(_advice(value, written)) from None
    if len(number.as_tuple().digits) > MAX_DIGITS:
        raise AmountError(
            f"{written!r} has more than {MAX_DIGITS} digits; a value holds at most {MAX_DIGITS}: check the number"
        )
    return number


def _advice(value: str, written: str) -> str:
    """What to write instead of ``written``, as precisely as its mistake allows."""
    if match := _SCALED.match(value):
        power = _SCALES.get(match["word"].lower())
        number = match["n"].replace(",", ".").replace("٬", "").replace("،", ".")
        if power and re.fullmatch(r"[+-]?[0-9]+(\.[0-9]+)?", number):
            whole = Decimal(number).scaleb(power)
            whole = whole.quantize(Decimal(1)) if whole == whole.to_integral_value() else whole.normalize()
            return (
                f"{written!r}: write the whole number, {whole:f}; the booklet writes it with "
                "«ألف», «مليون» or «مليار» itself when settings.numbers is compact"
            )
    if _SYMBOLS.search(value):
        number = re.sub(r"[^0-9.,]", "", value) or "1250000"
        return (
            f"{written!r}: write money as a map with the currency's ISO code, "
            f"such as {{amount: {number.replace(',', '')}, currency: QAR}} (or USD, EUR...)"
        )
    if re.fullmatch(r"[+-]?[0-9]+(\.[0-9]+)?[eE][+-]?[0-9]+", value):
        return f"{written!r}: write the number out in digits, such as {Decimal(value):f}"
    if re.fullmatch(r"[+-]?[0-9]+[,،٬][0-9]{1,2}|[+-]?[0-9]+[,،٬][0-9]{4,}", value):
        left, right = re.split("[,،٬]", value)
        return (
            f"{written!r} is ambiguous: a comma only separates thousands, as in 1,500; "
            f"for a decimal write {left}.{right} with a dot"
        )
    if re.fullmatch(r"[+-]?[0-9]{1,3}(\.[0-9]{3}){2,}", value):
        return f"{written!r}: a dot marks decimals; write {value.replace('.', '')} or {value.replace('.', ',')}"
    if re.fullmatch(r"[+-]?[0-9]{1,3}(\.[0-9]{3})+,[0-9]+", value):
        whole, fraction = value.split(",")
        return f"{written!r}: write {whole.replace('.', '')}.{fraction}; a dot marks decimals, a comma thousands"
    return f"expected a number {_EXAMPLE}, found {written!r}"


def currency_code(text: str) -> str:
    """``text`` as an ISO 4217 code that CLDR names in Arabic (QAR, USD, EUR...), or AmountError."""
    from booklet.data.numbers import locale  # CLDR's Arabic, loaded when first needed

    known = locale().currencies  # the currencies CLDR names in Arabic, by ISO code
    code = str(text).strip()
    if code in known:
        return code
    if code.upper() in known:
        raise AmountError(f"{code!r}: write the currency code in capitals, {code.upper()!r}", "currency")
    close = difflib.get_close_matches(code.upper(), list(known), n=1, cutoff=0.6)
    advice = f"did you mean {close[0]!r}?" if close else "write its ISO code, such as QAR, USD or EUR"
    raise AmountError(f"{code!r} is not a currency code; {advice}", "currency")


@dataclass(frozen=True, kw_only=True)
class Written:
    """A value written as a map: one of number, percent or amount (money, with its currency)."""

    number: Amount | None = None
    percent: Amount | None = None
    amount: Amount | None = None
    currency: str | None = None
    style: Literal["full", "compact"] | None = None


def from_written(written: Written) -> Amount:
    """The amount a map form states, or AmountError naming the key at fault."""
    given = [key for key in ("number", "percent", "amount") if getattr(written, key) is not None]
    if len(given) != 1:
        found = f"found {' and '.join(given)}" if given else "found none"
        raise AmountError(
            f"write one of number, percent or amount, such as {{percent: 94}} or "
            f"{{amount: 1250000, currency: QAR}}; {found}"
        )
    (key,) = given
    value: Amount = getattr(written, key)
    if value.unit == "percent" and key != "percent":
        raise AmountError(f"{value.exact}% is a percentage; write {{percent: {value.exact}}}", key)
    if value.unit == "money" and key != "amount":
        raise AmountError(f"write money as {{amount: {value.exact}, currency: {value.currency}}}", key)
    currency = written.currency or value.currency
    if key == "amount":
        if currency is None:
            raise AmountError("money needs its currency: add currency with its ISO code, such as QAR, USD or EUR")
        return amount(value.exact, "money", currency_code(currency), written.style)
    if written.currency is not None:
        raise AmountError(f"a currency goes with an amount: write {{amount: {value.exact}, currency: ...}}", "currency")
    return amount(value.exact, "percent" if key == "percent" else "number", None, written.style)


_UNITS = {"number": "a number", "percent": "a percentage", "money": "money"}


def chart_problem(kind: str, items: list) -> tuple[int, str] | None:
    """The first item whose value a chart of ``kind`` cannot draw, as (index, message), or None.

    A dots chart counts whole units, a timeline's values are years, and the
    bars of one chart share one scale: all numbers, all percentages, or all
    money in one currency.
    """
    first = items[0].value if items else None
    for index, item in enumerate(items):
        value: Amount = item.value
        if kind == "dots" and (value.unit != "number" or not isinstance(value, Whole) or value < 0):
            return index, (
                "a dots chart counts whole units: write a whole number of 0 or more, such as 12, "
                f"found {_written(value)}"
            )
        if kind == "timeline" and (value.unit != "number" or not isinstance(value, Whole)):
            return index, f"a timeline's values are years: write a year such as 2016, found {_written(value)}"
        if kind not in ("dots", "timeline") and (value.unit, value.currency) != (first.unit, first.currency):
            return index, (
                f"the chart's values share one scale: this one is {_kind(value)}, the first one {_kind(first)}; "
                "write them alike"
            )
    return None


def _kind(value: Amount) -> str:
    return f"money in {value.currency}" if value.unit == "money" else _UNITS[value.unit]


def _written(value: Amount) -> str:
    """``value`` as the data may write it: 2.5, 45%, 1250000 QAR."""
    return f"{value.exact}" + {"percent": "%", "money": f" {value.currency}"}.get(value.unit, "")


#: The forms of a value for the data's JSON Schema (an editor's completion and
#: first check; ``parse`` and ``from_written`` decide, with their messages).
JSON_SCHEMA = {
    "description": "a number (172, 27.8, 1,250,000), a percentage (94%, {percent: 94}) or money "
    "({amount: 1250000, currency: QAR}), optionally with its own style",
    "anyOf": [
        {"type": "number"},
        {"type": "string", "pattern": r"^\s*[-+%٪0-9٠-٩۰-۹.,٫٬،' A-Z]+\s*$"},
        {
            "type": "object",
            "properties": {
                "number": {"type": ["number", "string"]},
                "percent": {"type": ["number", "string"]},
                "amount": {"type": ["number", "string"]},
                "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
                "style": {"enum": ["full", "compact"]},
            },
            "additionalProperties": False,
            "oneOf": [{"required": ["number"]}, {"required": ["percent"]}, {"required": ["amount", "currency"]}],
        },
    ],
}
