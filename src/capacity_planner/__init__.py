"""Capacity Planner: specialist police workforce against serious and organised crime demand."""

from __future__ import annotations

__version__ = "0.1.0"
