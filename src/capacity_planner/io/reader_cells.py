"""Cell values as planners type them, converted a column at a time (DESIGN section 3).

Numbers may be text (``"12"``, ``"1,650"``, ``"£55,000"``); IDs stay text (``00123``
stays ``00123``; a number typed into an ID column reads ``123``, never ``123.0``); in a
``_pct`` column ``25``, ``"25%"`` and a percentage-formatted 0.25 all mean 25 %, and a
column whose plain numbers all lie in [0, 1] is read as fractions. Error cells come out
as issues, never as blanks. Work per cell is done only for cells that are not already
plain numbers or plain text.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import cast

import numpy as np

EXCEL_ERRORS = frozenset({"#REF!", "#DIV/0!", "#N/A", "#VALUE!", "#NAME?", "#NUM!", "#NULL!",
                          "#SPILL!", "#CALC!", "#FIELD!", "#GETTING_DATA", "#ERROR"})
_LIBRE_ERROR = re.compile(r"^Err:\d{3}$")
_PLAIN = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$")
# Continental forms: ``1.234,5`` and ``1.234.567`` (dots group thousands, a comma is the
# decimal point), and ``12,5`` (a comma that cannot be a thousands separator).
_DOT_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})+(?:,\d*)?$|^[+-]?\d{1,3}(?:\.\d{3}){2,}$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d*,(?:\d{1,2}|\d{4,})$")
_SPACES = re.compile(r"[\s\u00a0\u2007\u202f]")
NUMBER_EXPECTED = "a number, such as 1650 or 1,650.5"


@dataclass(frozen=True, slots=True)
class Issue:
    """A cell that could not be read: its position in the column, value and why."""

    index: int
    value: object
    message: str
    expected: str = ""


def is_error_text(value: object) -> bool:
    return isinstance(value, str) and (value.strip() in EXCEL_ERRORS
                                       or bool(_LIBRE_ERROR.match(value.strip())))


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def to_text(values: Sequence[object]) -> tuple[list[str], int, set[str]]:
    """Text and IDs: trimmed strings; numbers without a spurious ``.0``; dates as ISO.
    Returns the texts, how many had stray (including non-breaking) spaces trimmed, and
    the distinct texts.

    calamine makes a new string object for every cell, so a 50,000-row column of a few
    hundred IDs holds 50,000 strings. Each distinct text is interned (``sys.intern``) and
    every cell given that one object: the model holds a few hundred strings, not 50,000,
    and every later set or dict of IDs (validation, the optimiser's index, the tables on
    screen) compares them by identity, in cache."""
    distinct = set(values)
    if all(type(v) is str for v in distinct):
        memo = {v: sys.intern(v.strip()) for v in cast(set[str], distinct)}
        out = list(map(memo.__getitem__, cast(list[str], values)))
        changed = any(len(k) != len(v) for k, v in memo.items())
        return out, _trimmed(values, out) if changed else 0, set(memo.values())
    texts = [_text(v) for v in values]
    return texts, _trimmed(values, texts), set(texts)


def _trimmed(values: Sequence[object], texts: list[str]) -> int:
    """How many text values lost spaces."""
    return sum(1 for v, o in zip(values, texts, strict=True)
               if type(v) is str and len(v) != len(o))


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value).strip()


def parse_number(text: str) -> tuple[float | None, bool]:
    """A number written as text, and whether it ended in ``%``. None if it is not one."""
    s = _SPACES.sub("", text).replace("\u2212", "-")
    percent = s.endswith("%")
    if percent:
        s = s[:-1]
    sign = ""
    if s[:1] in "+-":
        sign, s = s[:1], s[1:]
    s = s.lstrip("£$€")
    if s[:1] in "+-" and not sign:
        sign, s = s[:1], s[1:]
    s = sign + s
    if _PLAIN.match(s):
        return float(s), percent
    if _GROUPED.match(s):
        return float(s.replace(",", "")), percent
    if _DOT_GROUPED.match(s):
        return float(s.replace(".", "").replace(",", ".")), percent
    if _DECIMAL_COMMA.match(s) and any(ch.isdigit() for ch in s):
        return float(s.replace(",", ".")), percent
    return None, percent


PERCENT_PLACES = 10  # decimals kept when a fraction becomes a percent


def as_percent(fraction: float) -> float:
    """A fraction as a percent, rounded to ``PERCENT_PLACES`` decimals: 0.009 * 100 is
    0.9000000000000001 in binary floating point, and a planner who typed 0.9 % (or saved
    it from this app, which writes such a column as percentage-formatted fractions) must
    get 0.9 back; no planning figure has ten decimals of a percent."""
    return round(fraction * 100, PERCENT_PLACES)


def to_numbers(values: Sequence[object], *, percent_column: bool = False,
               percent_formatted: Collection[int] = ()) -> tuple[list[float | None],
                                                                list[Issue], bool]:
    """Numbers of one column, None where blank. For a ``_pct`` column the result is in
    percent; the flag says the column's plain numbers were all fractions and were scaled.
    Outside ``_pct`` columns ``"50%"`` reads as 0.5."""
    kinds = set(map(type, values))
    explicit: set[int] = set()
    issues: list[Issue] = []
    if kinds <= {float} and not percent_formatted:
        out: list[float | None] = list(values)  # type: ignore[arg-type]
    elif kinds <= {float, int} and not percent_formatted:
        out = list(map(float, values))  # type: ignore[arg-type]
    elif kinds <= {float, int, str, type(None)} and not percent_formatted and all(
            type(v) is not str or not v.strip() for v in set(values)):
        out = [None if v is None or type(v) is str else float(v)  # type: ignore[arg-type]
               for v in values]
    else:
        out, explicit, issues = _slow_numbers(values, percent_column, percent_formatted)
    scaled = False
    if percent_column and _all_fractions(out, explicit):
        scaled = True
        out = [as_percent(v) if v is not None and i not in explicit else v
               for i, v in enumerate(out)]
    return out, issues, scaled


def _all_fractions(numbers: list[float | None], explicit: set[int]) -> bool:
    """Do the plain (not explicitly percent) finite numbers all lie in [0, 1], one of them
    above 0? Decided on a float array: blanks and explicit percents left out."""
    if explicit or None in numbers:
        plain = [v for i, v in enumerate(numbers) if v is not None and i not in explicit]
    else:
        plain = numbers  # type: ignore[assignment]
    a = np.array(plain, dtype=float)
    a = a[np.isfinite(a)]
    return bool(a.size) and bool(np.all((a >= 0) & (a <= 1))) and bool(np.any(a > 0))


def _slow_numbers(values: Sequence[object], percent_column: bool,
                  percent_formatted: Collection[int]) -> tuple[list[float | None], set[int],
                                                              list[Issue]]:
    out: list[float | None] = []
    explicit: set[int] = set()  # cells whose percent is explicit ("25%" or % formatted)
    issues: list[Issue] = []
    formatted = set(percent_formatted)
    for i, v in enumerate(values):
        t = type(v)
        if t is float or t is int:
            number: float | None = float(v)  # type: ignore[arg-type]
            if i in formatted:
                explicit.add(i)
                if percent_column:
                    number = as_percent(number)  # type: ignore[arg-type]
        elif is_blank(v):
            number = None
        elif t is str:
            if is_error_text(v):
                issues.append(Issue(i, v, "Error value in the cell", NUMBER_EXPECTED))
                number = None
            else:
                number, percent = parse_number(v)  # type: ignore[arg-type]
                if number is None:
                    issues.append(Issue(i, v, "Not a number", NUMBER_EXPECTED))
                elif percent:
                    explicit.add(i)
                    if not percent_column:
                        number /= 100
        else:
            kind = "a date" if isinstance(v, dt.date | dt.time) else f"{t.__name__} {v}"
            issues.append(Issue(i, _text(v), f"Not a number ({kind})", NUMBER_EXPECTED))
            number = None
        out.append(number)
    return out, explicit, issues


def to_any(values: Sequence[object]) -> list[float | str | None]:
    """Scenario values: a number where the cell is one (or reads as one), else text."""
    out: list[float | str | None] = []
    for v in values:
        if type(v) is float or type(v) is int:
            out.append(float(v))  # type: ignore[arg-type]
        elif is_blank(v):
            out.append(None)
        elif isinstance(v, str):
            number, _percent = parse_number(v)  # "25%" in a scenario means 25 (percent)
            out.append(v.strip() if number is None else number)
        else:
            out.append(_text(v))
    return out
