"""The bounds every number of the data keeps: what will be drawn, not what the data adds up to."""

from __future__ import annotations

from decimal import Decimal

#: A figure or chart value stays in [0, MAX_VALUE): counts, amounts and years
#: of a report are never negative, and 15 digits is more than any of them.
MAX_VALUE = 10**15


def value_problem(value: int | float | Decimal) -> str | None:
    """Why ``value`` cannot be a figure's or a chart item's value, or None when it can."""
    if value < 0:
        return f"is {value}; values are counts, amounts or years, never below 0: write the number without its minus"
    if value >= MAX_VALUE:
        return f"is {value}; a value must stay below {MAX_VALUE:,} (15 digits)"
    return None
