"""Many frozen records at once, at the cost of plain objects (reading 50,000-row sheets).

A frozen dataclass's ``__init__`` sets each field through ``object.__setattr__`` (its own
``__setattr__`` refuses), which makes building one three times dearer than a plain
object. ``bulk(cls)`` returns a constructor for a ``slots=True`` frozen dataclass that
fills a twin class with the same slots by ordinary attribute stores and then gives the
object its real class (CPython allows this between classes with the same slot layout).
The result is an ordinary instance of ``cls``: equal, hashed, immutable and printed like
one built by ``cls(...)``; every field must be given, positionally, in field order.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from functools import cache
from typing import Any


@cache
def bulk(cls: type) -> Callable[..., Any]:
    """A positional constructor of ``cls`` (a frozen ``slots=True`` dataclass)."""
    names = [f.name for f in dataclasses.fields(cls)]
    if tuple(getattr(cls, "__slots__", ())) != tuple(names):
        raise TypeError(f"{cls.__name__} is not a slots dataclass with only its fields")
    args = ", ".join(f"_{n}" for n in names)
    body = "".join(f"    self.{n} = _{n}\n" for n in names)
    namespace: dict[str, Any] = {}
    exec(f"def __init__(self, {args}):\n{body}    self.__class__ = real\n",  # noqa: S102
         {"real": cls}, namespace)
    twin = type(f"_{cls.__name__}Twin", (), {"__slots__": tuple(names),
                                             "__init__": namespace["__init__"]})
    return twin
