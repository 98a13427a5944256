"""Workbooks in (planning, vacancy, open data, mappings) and the planning workbook out."""

from __future__ import annotations

from capacity_planner.io.reader_load import ReadResult, load_model

__all__ = ["ReadResult", "load_model"]
