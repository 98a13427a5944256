"""The bid pack PDF and chart export, from the real engine on the South East sample:
pdftoppm renders every page, the text says what the engine found, chart files are real
PNG, SVG and PDF, and the pack command reports usage errors plainly."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from matplotlib.image import imread

from capacity_planner.cli import main
from capacity_planner.reporting.charts import CHARTS
from capacity_planner.reporting.export import parse_formats, safe_name, save_figure, write_charts
from capacity_planner.reporting.pack import pack_pages, unmet_table, write_pack
from reporting_sample import BID, SAMPLE, solved


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def test_pack_renders_every_page_and_shows_the_engines_numbers(tmp_path: Path) -> None:
    model, results = solved()
    path = write_pack(results, model, tmp_path / "bid.pdf")
    pages = len(pack_pages(results, model))
    # cover + 4 chart pages per scenario + at least one unmet-demand page per scenario
    assert pages >= 1 + 4 * len(results) + len(results)
    done = subprocess.run(["pdftoppm", "-r", "30", "-png", str(path), str(tmp_path / "p")],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    images = sorted(tmp_path.glob("p-*.png"))
    assert len(images) == pages
    for image in images:  # A4 portrait, and something is drawn on every page
        pixels = imread(image)
        assert pixels.shape[0] > pixels.shape[1]
        assert pixels[..., :3].min() < 0.5
    text = pdf_text(path)
    assert "Budget bid pack" in text and "What the solver found" in text
    for r in results:
        assert r.scenario in text
        assert f"{r.totals.unmet_hours:,.0f}" in text  # the summary table
        assert f"Unmet demand: {r.scenario}" in text
    for chart in CHARTS.values():
        assert chart.title.split(",")[0] in text
    worst = unmet_table(results[0], model).iloc[0]
    assert f"{worst['unmet_hours']:,.0f}" in text
    assert f"Page {pages} of {pages}" in text


def test_unmet_table_sums_the_engines_shortfalls() -> None:
    model, results = solved()
    table = unmet_table(results[0], model)
    cov = results[0].coverage
    assert table["unmet_hours"].sum() == pytest.approx(cov["unmet_hours"].sum(), abs=5)
    assert table["breaches"].sum() == int(cov["breach"].sum())
    assert table["unmet_hours"].is_monotonic_decreasing


def test_write_charts_writes_every_chart_in_every_format(tmp_path: Path) -> None:
    model, results = solved()
    paths = write_charts(results, model, tmp_path / "charts", "png,svg,pdf")
    per_scenario = sum(1 for c in CHARTS.values() if not c.compares)
    assert len(paths) == 3 * (1 + per_scenario * len(results))
    assert all(p.is_file() and p.stat().st_size > 1000 for p in paths)
    png = tmp_path / "charts" / "supply_layers-Analyst_and_FI_bid.png"
    assert png in paths
    assert imread(png).shape[1] >= 1000  # 7.5 in at 150 dpi
    svg = (tmp_path / "charts" / "scenario_comparison.svg").read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert (tmp_path / "charts" / "cost_buildup-Baseline.pdf").read_bytes()[:5] == b"%PDF-"
    assert not list((tmp_path / "charts").glob(".*tmp*"))  # no temporary files left


def test_save_figure_refuses_other_formats_and_leaves_old_files(tmp_path: Path) -> None:
    model, results = solved()
    fig = CHARTS["coverage_heatmap"](results, model, BID)
    with pytest.raises(ValueError, match=".png, .svg or .pdf"):
        save_figure(fig, tmp_path / "chart.jpg")
    target = tmp_path / "chart.png"
    target.write_bytes(b"old")
    with pytest.raises(FileNotFoundError):
        save_figure(fig, tmp_path / "missing" / "chart.png")
    save_figure(fig, target)
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(ValueError, match="Unknown chart format 'gif'"):
        parse_formats("png,gif")
    assert parse_formats(" PNG, .svg ,png") == ["png", "svg"]
    assert safe_name("../SOC demand +20 %") == "SOC_demand_20"


def test_pack_command_writes_the_pack(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "bid.pdf"
    code = main(["pack", str(SAMPLE), "--out", str(out), "--scenario", "baseline"])
    assert code == 0
    assert out.read_bytes()[:5] == b"%PDF-"
    assert "Wrote the bid pack" in capsys.readouterr().out
    assert "Baseline" in pdf_text(out)


def test_pack_command_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["pack", str(SAMPLE), "--out", str(tmp_path / "bid.docx")]) == 2
    assert "name it .pdf" in capsys.readouterr().err
    assert main(["pack", str(SAMPLE), "--out", str(tmp_path / "bid.pdf"),
                 "--scenario", "Nope"]) == 2
    assert "No scenario named 'Nope'" in capsys.readouterr().err
    assert main(["pack", str(tmp_path / "missing.xlsx"), "--out",
                 str(tmp_path / "bid.pdf")]) == 1
    assert "missing.xlsx" in capsys.readouterr().err
    assert not (tmp_path / "bid.pdf").exists()
