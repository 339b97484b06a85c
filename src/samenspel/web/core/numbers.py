"""One way of writing numbers, amounts, percentages and years, in the reader's language, on
screen, in PDF and in Excel: € 719.000, 2,25% and 2026–2030 in Dutch; € 719,000, 2.25% and
2026–2030 in English."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _


def number(value: float | None, decimals: int = 0) -> str:
    """``value`` grouped and rounded as the reader's language writes it; — when unknown."""
    if value is None:
        return "—"
    return number_format(round(value, decimals), decimal_pos=decimals, force_grouping=True)


def amount(value: float) -> str:
    """A whole amount in the reader's format (1.968 in Dutch)."""
    return number(value, 0)


# An agreement's amounts are entered in euros ("euro") or in thousands of euros ("thousand");
# they are always shown in euros (€ 719.000), so a reader never has to multiply.


def unit_label(unit: str) -> str:
    """The unit in which an agreement's amounts are *entered*: € or × €1.000 (forms only)."""
    return f"× €{number(1000, 0)}" if unit == "thousand" else "€"


def in_euros(value: float, unit: str = "euro") -> float:
    """An amount in the agreement's unit, in euros."""
    return value * 1000 if unit == "thousand" else value


def euros(value: float | None, unit: str = "euro") -> str:
    """An amount in euros as a table cell writes it under an "in euros" heading: 719.000."""
    return "—" if value is None else amount(in_euros(value, unit))


def money(value: float | None, unit: str = "euro") -> str:
    """An amount in euros as the reader's language writes it: € 719.000 and -€ 21 in Dutch,
    € 719,000 and -€ 21 in English."""
    if value is None:
        return "—"
    euro = in_euros(value, unit)
    # Translators: an amount of money; %(amount)s is the number, already grouped.
    text = _("€ %(amount)s") % {"amount": amount(abs(euro))}
    # the sign and the number never part from the euro sign at the end of a line
    text = text.replace(" ", "\u00a0")
    return f"-{text}" if round(euro) < 0 else text


def signed_money(value: float | None, unit: str = "euro") -> str:
    """A difference in euros with its sign: +€ 19, -€ 21."""
    if value is None:
        return "—"
    return money(value, unit) if round(in_euros(value, unit)) <= 0 else f"+{money(value, unit)}"


def percent(share: float | None, decimals: int | None = None) -> str:
    """A fraction as a percentage: with ``decimals`` places, or else at most two and no
    trailing zeros (0.0225 is 2,25% in Dutch, 0.02 is 2%)."""
    if share is None:
        return "—"
    if decimals is not None:
        return f"{number(share * 100, decimals)}%"
    value = round(share * 100, 2)
    places = next(p for p in (0, 1, 2) if abs(value - round(value, p)) < 1e-9)
    return f"{number(value, places)}%"


def calendar_years(years: Sequence[int], start_year: int) -> str:
    """Year numbers of an agreement (1 = its first year) as calendar years, runs joined:
    (1, 2) from 2026 is "2026–2027", (1, 3, 4) is "2026, 2028–2029"."""
    runs: list[list[int]] = []
    for year in sorted(set(years)):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(
        str(start_year + run[0] - 1)
        if len(run) == 1
        else f"{start_year + run[0] - 1}–{start_year + run[-1] - 1}"
        for run in runs
    )


EXCEL_MONEY = '"€" #,##0'


def excel_money(cell: Any, unit: str = "euro") -> None:
    """Write an openpyxl cell's amount in euros, formatted as money (Excel localises the
    separators); blanks and text stay as they are."""
    if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
        cell.value = in_euros(float(cell.value), unit)
        cell.number_format = EXCEL_MONEY


def shown_as_percent(field: Any) -> Any:
    """Mark a model field that holds a fraction (0.0225) so pages show it as a percentage."""
    field.shown_as_percent = True
    return field
