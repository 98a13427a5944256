"""Reading and showing one table cell by its field spec: the type checks of the tables.

Pure functions (no Qt), so the table model, paste and the scenario editor share one rule
for what a cell may hold.
"""

from __future__ import annotations

import math
from dataclasses import fields as dc_fields

from capacity_planner.domain.ids import id_key
from capacity_planner.domain.scenario import PARAMETERS
from capacity_planner.domain.schema import FieldSpec, Kind, TableSpec


class CellError(ValueError):
    """A value that this column cannot hold; the message says what is expected."""


def choices(spec: FieldSpec) -> tuple[str, ...]:
    if spec.choices:
        return spec.choices
    if spec.name == "parameter":
        return tuple(PARAMETERS)
    return ()


def is_number_field(spec: FieldSpec) -> bool:
    return spec.kind in (Kind.NUMBER, Kind.PCT)


def _number(text: str) -> float:
    cleaned = text.replace(",", "").replace("\u00a0", "").replace(" ", "").removesuffix("%")
    value = float(cleaned)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def parse(spec: FieldSpec, raw: object) -> object:
    """The value to store for what the user typed (or pasted), or ``CellError``."""
    text = "" if raw is None else str(raw).strip()
    if text == "":
        if spec.required:
            raise CellError(f"{spec.name} is required")
        return spec.default if spec.default is not None or is_number_field(spec) else ""
    if is_number_field(spec):
        try:
            value = _number(text)
        except ValueError:
            raise CellError(f"{spec.name} must be a number, not {text!r}") from None
        if value < 0:
            raise CellError(f"{spec.name} cannot be negative")
        if spec.positive and value == 0:
            raise CellError(f"{spec.name} must be more than 0")
        if spec.kind is Kind.PCT and value > 100:
            raise CellError(f"{spec.name} is a percentage: 0 to 100")
        if spec.maximum is not None and value > spec.maximum:
            raise CellError(f"{spec.name} cannot be more than {spec.maximum:g}")
        return value
    if spec.kind is Kind.ENUM:
        options = choices(spec)
        for option in options:
            if id_key(option) == id_key(text):
                return option
        raise CellError(f"{spec.name} must be one of: {', '.join(options)}")
    if spec.kind is Kind.ANY:
        try:
            return _number(text)
        except ValueError:
            return text
    return text


def display(value: object) -> str:
    """How a stored value reads in a cell: numbers without trailing zeros, None blank."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        v = float(value)
        if not math.isfinite(v):
            return ""
        if v == int(v) and abs(v) < 1e15:
            return f"{int(v):,}" if abs(v) >= 10_000 else str(int(v))
        return f"{v:,.4f}".rstrip("0").rstrip(".") if abs(v) >= 10_000 else f"{v:.4g}"
    return str(value)


def edit_text(value: object) -> str:
    """The text the editor starts with: exact numbers, no thousands separators."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value == int(value) and abs(value) < 1e15 else repr(value)
    return str(value)


def sort_key(spec: FieldSpec, value: object) -> object:
    """A native value that sorts sensibly within one column."""
    if is_number_field(spec):
        return float(value) if isinstance(value, int | float) else -math.inf
    if spec.kind is Kind.ANY:
        return display(value).casefold()
    return str(value or "").casefold()


def blank_record(spec: TableSpec, **values: object) -> object:
    """A new record with each field's default (required numbers 0, required text blank)."""
    kwargs: dict[str, object] = {}
    record_fields = {f.name for f in dc_fields(spec.record)}
    for f in spec.fields:
        if f.name not in record_fields:
            continue
        if f.name in values:
            kwargs[f.name] = values[f.name]
        elif f.required:
            if is_number_field(f) or f.kind is Kind.ANY:
                kwargs[f.name] = 0.0
            elif f.kind is Kind.ENUM:
                kwargs[f.name] = (choices(f) or ("",))[0]
            else:
                kwargs[f.name] = ""
        else:
            text_like = f.kind in (Kind.ID, Kind.TEXT)
            kwargs[f.name] = "" if f.default is None and text_like else f.default
    return spec.record(**kwargs)
