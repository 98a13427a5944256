"""LibreOffice, an independent reader, opens the template and the sample workbooks without
errors: it converts them headless to PDF (every sheet) and re-saves the sample, whose
values must survive unchanged."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from pathlib import Path

import openpyxl
import pytest

from capacity_planner.io.template import write_template

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = [ROOT / "sample_data" / "south_east.xlsx",
           ROOT / "sample_data" / "south_east_vacancies.xlsx"]
pytestmark = pytest.mark.libreoffice


def _soffice(tmp_path: Path, fmt: str, files: list[Path], outdir: Path) -> None:
    profile = tmp_path / f"lo-profile-{uuid.uuid4().hex}"
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", fmt, "--outdir", str(outdir), *map(str, files)],
        capture_output=True, text=True, timeout=240, check=False)
    assert result.returncode == 0, result.stderr
    assert "Error" not in result.stderr, result.stderr


def _pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_template_and_samples_convert_to_pdf(tmp_path: Path) -> None:
    template = tmp_path / "template.xlsx"
    write_template(template)
    out = tmp_path / "pdf"
    _soffice(tmp_path, "pdf", [template, *SAMPLES], out)
    text = _pdf_text(out / "template.pdf")
    assert "Capacity Planner: planning workbook template" in text
    assert "Example Constabulary" in text  # example rows on the Units sheet
    sample = _pdf_text(out / "south_east.pdf")
    for word in ("THAMES_VALLEY", "Detective constable", "2029/30 Q4", "HMICFRS"):
        assert word in sample
    assert "SE_ROCU" in _pdf_text(out / "south_east_vacancies.pdf")


def test_libreoffice_resave_keeps_every_value(tmp_path: Path) -> None:
    source = tmp_path / "in" / "south_east.xlsx"
    source.parent.mkdir()
    shutil.copy(SAMPLES[0], source)
    out = tmp_path / "out"
    _soffice(tmp_path, "xlsx", [source], out)
    ours, theirs = openpyxl.load_workbook(source), openpyxl.load_workbook(out / source.name)
    assert theirs.sheetnames == ours.sheetnames
    for name in ours.sheetnames:
        mine = [[c.value for c in row] for row in ours[name].iter_rows()]
        lo = [[c.value for c in row] for row in theirs[name].iter_rows()]
        assert lo == mine, name
