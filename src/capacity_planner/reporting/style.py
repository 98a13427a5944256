"""The house look of every chart: greyscale-safe, readable at A4 width, user text literal.

Colour is never the only cue: series differ by grey shade *and* hatch or marker, so a
chart photocopied in black and white still reads. Charts are plain ``Figure``s (never
pyplot) with constrained layout; the title, scenario and source line are added by
``frame()`` so that every chart carries them in the same place.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

import matplotlib as mpl
from matplotlib.axes import Axes
from matplotlib.figure import Figure, SubFigure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.ticker import FuncFormatter

from capacity_planner import __version__

# A4 is 8.27 in wide; a chart of 7.5 in fits inside ordinary margins at full size.
A4_WIDTH_IN = 7.5
STANDARD_SIZE = (A4_WIDTH_IN, 4.6)
TALL_SIZE = (A4_WIDTH_IN, 6.6)
PNG_DPI = 150

INK = "#1a1a1a"
MID = "#6e6e6e"
FAINT = "#bdbdbd"
GRID = "#e3e3e3"
# Series styles: (face grey, hatch). Adjacent series differ in both.
SERIES = (
    ("#f2f2f2", ""),
    ("#bdbdbd", "////"),
    ("#7a7a7a", ""),
    ("#333333", ""),
    ("#ffffff", "xx"),
    ("#d9d9d9", ".."),
)
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "h", "<", ">", "p")
LINESTYLES = ("-", "--", "-.", ":")

RC: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 8.5,
    "axes.titlesize": 9.5,
    "axes.labelsize": 8.5,
    "axes.edgecolor": MID,
    "axes.linewidth": 0.8,
    "axes.labelcolor": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "axes.axisbelow": True,
    "grid.color": GRID,
    "grid.linewidth": 0.7,
    "xtick.color": INK,
    "ytick.color": INK,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 8,
    "legend.frameon": False,
    "hatch.linewidth": 0.6,
    "hatch.color": INK,
    "patch.edgecolor": INK,
    "patch.linewidth": 0.6,
    "text.color": INK,
    "text.usetex": False,
    "figure.dpi": 100,
    "savefig.dpi": PNG_DPI,
    "pdf.fonttype": 42,  # TrueType: text in the bid pack stays text (searchable, copyable)
    "svg.fonttype": "path",  # exact shapes wherever the SVG is pasted (fonts vary)
    "svg.hashsalt": "capacity-planner",  # stable SVG ids from run to run
}


@contextmanager
def house_style() -> Iterator[None]:
    """rcParams for building a chart (they are read when artists are created)."""
    with mpl.rc_context(RC):  # type: ignore[arg-type]
        yield


def literal(text: object) -> str:
    """User text for places matplotlib creates the Text itself (tick labels, legend
    entries), where ``parse_math`` cannot be switched off: dollars escaped so no mathtext
    is parsed, and a leading underscore guarded (the legend would hide the entry)."""
    s = "" if text is None else str(text)
    s = s.replace("$", r"\$")
    return " " + s if s.startswith("_") else s


def wrap(text: object, width: int = 24, lines: int = 2) -> str:
    """Long unit, role and stream names over at most ``lines`` lines."""
    parts = textwrap.wrap(str(text), width, break_long_words=False,
                          break_on_hyphens=True) or [""]
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1][: max(1, width - 1)].rstrip() + "…"
    parts = [p if len(p) <= width + 4 else p[: width + 3] + "…" for p in parts]
    return "\n".join(parts)


@dataclass(frozen=True)
class Source:
    """The source line under each chart: the model file and its date."""

    file: str = ""
    dated: date | None = None

    @classmethod
    def of(cls, model_source: str | Path | None) -> Source:
        if not model_source:
            return cls("", date.today())
        p = Path(model_source)
        try:
            dated = date.fromtimestamp(p.stat().st_mtime)
        except OSError:
            dated = date.today()
        return cls(p.name, dated)

    def line(self) -> str:
        when = self.dated.isoformat() if self.dated else ""
        what = f"Source: {self.file}" if self.file else "Source: unsaved model"
        if when:
            what += f" ({when})"
        return f"{what} · Capacity Planner {__version__}"


Canvas = Figure | SubFigure


def new_figure(size: tuple[float, float] = STANDARD_SIZE) -> Figure:
    fig = Figure(figsize=size, layout=ConstrainedLayoutEngine(h_pad=0.06, w_pad=0.06))
    return fig


def frame(fig: Canvas, title: str, scenario: str, source: Source, note: str = "",
          subtitle: str | None = None) -> None:
    """Title with the scenario (or ``subtitle``) on a second line, and the source line
    (with an optional note above it) at the foot. Both are the figure's suptitle and
    supxlabel, so constrained layout keeps room for them."""
    second = subtitle if subtitle is not None else f"Scenario: {scenario}"
    head = f"{title}\n{wrap(second, 75, 2)}" if second else title
    root = fig.get_figure(root=True)
    x = 0.01
    fig.suptitle(head, x=x, ha="left", fontsize=11, fontweight="bold",
                 parse_math=False, linespacing=1.35)
    width = int(root.get_figwidth() * 18)  # characters at 7 pt
    lines = textwrap.wrap(note, width) if note else []
    foot = "\n".join([*lines, source.line()])
    fig.supxlabel(foot, x=x, ha="left", fontsize=7, color=MID, parse_math=False,
                  linespacing=1.3)


def thousands(ax_axis: Any, unit: str = "") -> None:
    ax_axis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}{unit}"))


def value_grid(ax: Axes, axis: Literal["x", "y", "both"] = "x") -> None:
    ax.grid(True, axis=axis)
    ax.set_axisbelow(True)


def message_figure(title: str, scenario: str, source: Source, message: str,
                   into: Canvas | None = None) -> Canvas:
    """A chart that cannot be drawn (no plan, no data) says so instead of staying blank."""
    with house_style():
        fig = into if into is not None else new_figure()
        ax = fig.add_subplot()
        ax.set_axis_off()
        ax.text(0.5, 0.5, message, ha="center", va="center", wrap=True, fontsize=10,
                color=MID, parse_math=False, transform=ax.transAxes)
        frame(fig, title, scenario, source)
    return fig
