"""Charts to files: PNG, SVG or PDF by the file's suffix, always written atomically, and
every chart of a set of results into a folder (``solve --charts DIR``)."""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

from matplotlib.figure import Figure

from capacity_planner.domain.model import PlanningModel
from capacity_planner.io.atomic import atomic_write
from capacity_planner.optimise.result import Result
from capacity_planner.reporting.charts import CHARTS
from capacity_planner.reporting.style import PNG_DPI, Source, house_style

FORMATS = ("png", "svg", "pdf")


def save_figure(fig: Figure, path: str | Path, *, dpi: int = PNG_DPI) -> Path:
    """Save ``fig`` as PNG, SVG or PDF, chosen by the suffix of ``path``; atomic, so a
    failed save leaves any older file untouched. Raises ValueError for other suffixes."""
    target = Path(path)
    fmt = target.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValueError(f"{target.name}: a chart is saved as .png, .svg or .pdf")

    def write(tmp: Path) -> None:
        with house_style():  # pdf.fonttype and svg.fonttype are read when saving
            fig.savefig(tmp, format=fmt, dpi=dpi, metadata=_metadata(fmt))

    return atomic_write(target, write, backup=False)


def png_bytes(fig: Figure, dpi: int = PNG_DPI) -> bytes:
    buffer = io.BytesIO()
    with house_style():
        fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def _metadata(fmt: str) -> dict[str, object]:
    if fmt == "pdf":  # no creation date: the same chart gives the same file
        return {"Creator": "Capacity Planner", "CreationDate": None}
    if fmt == "svg":
        return {"Creator": "Capacity Planner", "Date": None}
    return {"Software": "Capacity Planner"}


def parse_formats(text: str | Iterable[str]) -> list[str]:
    """``"png,svg"`` -> ["png", "svg"]; raises ValueError naming an unknown format."""
    items = text.split(",") if isinstance(text, str) else list(text)
    out: list[str] = []
    for item in items:
        fmt = item.strip().lower().lstrip(".")
        if not fmt:
            continue
        if fmt not in FORMATS:
            raise ValueError(f"Unknown chart format {item.strip()!r}: use png, svg or pdf")
        if fmt not in out:
            out.append(fmt)
    if not out:
        raise ValueError("No chart format given: use png, svg or pdf")
    return out


def safe_name(text: str) -> str:
    """A file-name part from user text: letters, digits, '-' and '_' only."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "_", plain).strip("_")
    return slug[:60] or "scenario"


def write_charts(results: Sequence[Result], model: PlanningModel, outdir: str | Path,
                 formats: Iterable[str] = ("png",)) -> list[Path]:
    """Every chart of every result into ``outdir`` (created if missing), one file per
    chart, scenario and format: ``supply_layers-Baseline.png``; the comparison chart once,
    as ``scenario_comparison.png``. Returns the paths written, in order."""
    fmts = parse_formats(formats)
    folder = Path(outdir)
    folder.mkdir(parents=True, exist_ok=True)
    source = Source.of(model.source)
    written: list[Path] = []
    used: set[str] = set()
    for chart in CHARTS.values():
        jobs: list[tuple[str, str | None]]
        if chart.compares:
            jobs = [(chart.key, None)]
        else:
            jobs = [(f"{chart.key}-{_unique(safe_name(r.scenario), used, chart.key)}",
                     r.scenario) for r in results]
        for stem, scenario in jobs:
            fig = chart(results, model, scenario, source=source)
            for fmt in fmts:
                written.append(save_figure(fig, folder / f"{stem}.{fmt}"))  # type: ignore[arg-type]
    return written


def _unique(name: str, used: set[str], key: str) -> str:
    """Two scenarios whose names reduce to the same file name get _2, _3..."""
    candidate, n = name, 1
    while f"{key}/{candidate}" in used:
        n += 1
        candidate = f"{name}_{n}"
    used.add(f"{key}/{candidate}")
    return candidate
