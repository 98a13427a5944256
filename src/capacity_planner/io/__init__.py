"""Workbooks in (planning, vacancy, open data, mappings) and the planning workbook out."""
