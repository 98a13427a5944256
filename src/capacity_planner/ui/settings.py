"""Settings kept between sessions with ``QSettings``: window layout, recent files, last
folder, solver and time limit (typed reads with defaults, as frescobaldi does)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

MAX_RECENT = 8
SOLVERS = ("highs", "cbc")


class Settings:
    def __init__(self, store: QSettings | None = None) -> None:
        self.store = store or QSettings("Capacity Planner", "Capacity Planner")

    # ---- files -------------------------------------------------------------------------------
    def recent_files(self) -> list[str]:
        value = self.store.value("files/recent", [], list) or []
        return [str(v) for v in value if v] if isinstance(value, list) else []

    def add_recent(self, path: Path | str) -> None:
        text = str(Path(path).resolve())
        recent = [text] + [p for p in self.recent_files() if p != text]
        self.store.setValue("files/recent", recent[:MAX_RECENT])
        self.store.setValue("files/last_file", text)
        self.last_folder = str(Path(text).parent)

    def remove_recent(self, path: str) -> None:
        self.store.setValue("files/recent", [p for p in self.recent_files() if p != path])

    @property
    def last_file(self) -> str:
        return str(self.store.value("files/last_file", "", str) or "")

    @property
    def last_folder(self) -> str:
        return str(self.store.value("files/last_folder", str(Path.home()), str))

    @last_folder.setter
    def last_folder(self, folder: str) -> None:
        self.store.setValue("files/last_folder", folder)

    @property
    def mappings(self) -> dict[str, str]:
        """Saved column mappings by name: name -> file path."""
        self.store.beginGroup("mappings")
        try:
            return {k: str(self.store.value(k, "", str)) for k in self.store.childKeys()}
        finally:
            self.store.endGroup()

    def add_mapping(self, name: str, path: Path) -> None:
        self.store.setValue(f"mappings/{name}", str(path))

    # ---- solving ------------------------------------------------------------------------------
    @property
    def solver(self) -> str:
        value = str(self.store.value("solve/solver", "highs", str))
        return value if value in SOLVERS else "highs"

    @solver.setter
    def solver(self, value: str) -> None:
        self.store.setValue("solve/solver", value)

    @property
    def time_limit(self) -> float | None:
        """Seconds, or None for no limit (stored as 0)."""
        raw = self.store.value("solve/time_limit", 0.0, float)
        value = float(raw) if isinstance(raw, int | float | str) and raw else 0.0
        return value if value > 0 else None

    @time_limit.setter
    def time_limit(self, seconds: float | None) -> None:
        self.store.setValue("solve/time_limit", float(seconds or 0.0))

    # ---- window ---------------------------------------------------------------------------------
    def window_state(self) -> tuple[QByteArray | None, QByteArray | None]:
        geometry = self.store.value("window/geometry", None)
        state = self.store.value("window/state", None)
        return (geometry if isinstance(geometry, QByteArray) else None,
                state if isinstance(state, QByteArray) else None)

    def save_window_state(self, geometry: QByteArray, state: QByteArray) -> None:
        self.store.setValue("window/geometry", geometry)
        self.store.setValue("window/state", state)

    def sync(self) -> None:
        self.store.sync()
