"""A recovery copy of unsaved edits, so a crash loses at most a minute of work.

While the model has unsaved edits the window writes it, atomically, to the user data
folder (``platformdirs``) with a small JSON note of the file it came from. A clean save or
a deliberate discard removes it; if it is still there at the next start, the app offers it.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_path

from capacity_planner.domain.model import PlanningModel

WORKBOOK = "recovery.xlsx"
NOTE = "recovery.json"


def default_folder() -> Path:
    return user_data_path("capacity-planner", appauthor=False) / "recovery"


@dataclass(frozen=True)
class Recovery:
    workbook: Path
    original: str  # the file the edits were made to ("" for an untitled model)
    saved_at: float  # time.time() of the copy


class RecoveryStore:
    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or default_folder()

    def write(self, model: PlanningModel, original: Path | None) -> None:
        """Write the copy (called from a worker thread: the model is immutable)."""
        from capacity_planner.io.atomic import atomic_write
        from capacity_planner.io.writer import save_model

        self.folder.mkdir(parents=True, exist_ok=True)
        save_model(model, self.folder / WORKBOOK)
        text = json.dumps({"original": str(original or ""), "saved_at": time.time()})

        def write_note(path: Path) -> None:
            path.write_text(text, encoding="utf-8")

        atomic_write(self.folder / NOTE, write_note, backup=False)

    def pending(self) -> Recovery | None:
        workbook, note = self.folder / WORKBOOK, self.folder / NOTE
        if not workbook.is_file() or not note.is_file():
            return None
        try:
            data = json.loads(note.read_text(encoding="utf-8"))
            return Recovery(workbook, str(data.get("original", "")),
                            float(data.get("saved_at", 0.0)))
        except (OSError, ValueError, AttributeError):
            return None

    def clear(self) -> None:
        for name in (WORKBOOK, NOTE, WORKBOOK + ".bak", NOTE + ".bak"):
            (self.folder / name).unlink(missing_ok=True)
