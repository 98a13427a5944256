"""Sample planning models: the South East region (what every user sees first), a single
force cut from it, and a generated national model for scale (issues 2 and 7).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from capacity_planner.io.samples.national import (
    SIZES,
    model_of_size,
    national_model,
    subset_model,
)
from capacity_planner.io.samples.south_east import south_east_model
from capacity_planner.io.samples.vacancies import (
    south_east_vacancies_frame,
    write_vacancies_workbook,
)

BUNDLED_SAMPLE = "south_east.xlsx"


def bundled_sample_path() -> Path:
    """The South East workbook shipped inside the package (``resources/``)."""
    return Path(str(resources.files("capacity_planner") / "resources" / BUNDLED_SAMPLE))


__all__ = ["SIZES", "bundled_sample_path", "model_of_size", "national_model",
           "south_east_model", "south_east_vacancies_frame", "subset_model",
           "write_vacancies_workbook"]
