"""The results workbook (DESIGN section 5): the four steps of a Force Management Statement,
so it drops into one, for one scenario or several.

Sheets: Summary (a row per scenario); Demand (step 1); Workforce and Workforce capacity
(step 2: the four supply layers, then capacity and utilisation by period); Plan, Plan cost,
Plan next posts and Plan allocation (step 3); Unmet demand (step 4: shortfalls and
minimum-service breaches); Problems; Charts (the bid charts beside the tables they draw).

Several scenarios share each sheet, with a Scenario column first, rather than a sheet per
scenario: a planner compares scenarios by filtering or pivoting one table; a sheet per
scenario would multiply sheets (5 scenarios x 9 tables) and would have to mangle
scenario names to Excel's 31-character sheet names without ``[]:*?/\\``. Each step's
table is on a sheet of its own so that every header row can stay frozen and filtered.

No cell holds a formula: totals are the engine's numbers, and text from the model is
written as text even when it starts with ``=``, ``+``, ``-`` or ``@``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from xlsxwriter.workbook import Workbook

from capacity_planner.domain.model import PlanningModel
from capacity_planner.domain.problems import Problem
from capacity_planner.io.atomic import atomic_write
from capacity_planner.optimise.result import Result
from capacity_planner.reporting.sheet import (
    TABLE_TOP,
    WORKBOOK_OPTIONS,
    Column,
    Styles,
    heading,
    prose_rows,
    write_table,
)
from capacity_planner.reporting.style import Source
from capacity_planner.reporting.tables import Names

C = Column
SCENARIO = C("Scenario")
UNIT = (C("Unit"), C("Unit name"))
ROLE = (C("Role"), C("Role name"))
STREAM = (C("Stream"), C("Stream name"))
PERIOD = C("Period")
UNMET_MIN_HOURS = 0.5  # shortfalls below half an hour are solver noise, not unmet demand
PRINTED_SUMMARY_COLUMNS = 14  # Scenario to Message; not the solver's name and times


def write_results(results: Sequence[Result], path: str | Path, *, model: PlanningModel,
                  problems: Iterable[Problem] = (), charts: bool = True) -> None:
    """Write the results workbook atomically (an older file survives a failed write).
    ``charts=False`` leaves out the Charts sheet (faster, for large batch runs)."""
    results = list(results)
    problems = list(problems)

    def write(tmp: Path) -> None:
        book = Workbook(str(tmp), WORKBOOK_OPTIONS)
        try:
            _fill(book, results, model, problems, charts)
        finally:
            book.close()

    atomic_write(path, write, backup=False)


def _fill(book: Workbook, results: list[Result], model: PlanningModel,
          problems: list[Problem], charts: bool) -> None:
    styles = Styles(book)
    names = Names(model)
    source = Source.of(model.source)
    rendered = None
    if charts:  # the images are drawn (on other cores, where there are) while tables fill
        from capacity_planner.reporting.render import Renderings
        from capacity_planner.reporting.workbook_charts import chart_jobs

        rendered = Renderings(chart_jobs(results), results, model, source, pool=True)
    try:
        _tables(book, styles, results, names, source, problems)
        if rendered is not None:
            from capacity_planner.reporting.workbook_charts import charts_sheet

            charts_sheet(book, styles, results, model, source, rendered)
    finally:
        if rendered is not None:
            rendered.close()


def _tables(book: Workbook, styles: Styles, results: list[Result], names: Names,
            source: Source, problems: list[Problem]) -> None:
    _summary(book, styles, results, source)
    _demand(book, styles, results, names)
    _workforce(book, styles, results, names)
    _capacity(book, styles, results, names)
    _plan(book, styles, results, names)
    _cost(book, styles, results)
    _next_posts(book, styles, results, names)
    _allocation(book, styles, results)
    _unmet(book, styles, results, names)
    _problems(book, styles, problems)


def _summary(book: Workbook, styles: Styles, results: list[Result], source: Source) -> None:
    ws = book.add_worksheet("Summary")
    heading(ws, styles, "Capacity Planner results",
            f"{source.line()}. Written {date.today().isoformat()}. Sheets follow the four "
            "steps of a Force Management Statement: Demand, Workforce, Plan, Unmet demand.")
    columns = [SCENARIO, C("Status"), C("Objective"), C("Demand hours", "hours"),
               C("Delivered hours", "hours"), C("Unmet hours", "hours"),
               C("Coverage %", "pct"), C("Weighted unmet", "hours"),
               C("Recruited FTE", "fte"), C("New posts FTE", "fte"),
               C("Overtime hours", "hours"), C("Cost £", "gbp"),
               C("Minimum-service breaches", "int"), C("Message", "prose", width=50),
               C("Solver"), C("Build s", "seconds"), C("Solve s", "seconds")]
    rows = []
    for r in results:
        t = r.totals
        shown = r.solved
        rows.append([r.scenario, r.status.value, r.objective,
                     *([t.demand_hours, t.delivered_hours, t.unmet_hours, t.coverage_pct,
                        t.weighted_unmet, t.recruited_fte, t.new_fte, t.overtime_hours,
                        t.cost_gbp] if shown else [None] * 9),
                     int(r.coverage["breach"].astype(bool).sum()) if shown else None,
                     r.message, r.solver.name, r.solver.build_s, r.solver.solve_s])
    widths: list[float] = []
    end = write_table(ws, styles, columns, rows, freeze_cols=1, widths_out=widths)
    printed = PRINTED_SUMMARY_COLUMNS - 1  # the last column printed: Message
    explained = [(r.scenario, line) for r in results for line in r.explanation]
    if explained:
        ws.write_string(end + 1, 0, "What the solver found", styles.section)
        ws.write_string(end + 2, 0, "Scenario", styles.header)
        ws.merge_range(end + 2, 1, end + 2, printed, "Explanation", styles.header)
        end = prose_rows(ws, styles, end + 3, explained, last_col=printed,
                         line_chars=int(sum(widths[1:printed + 1])))
        ws.set_column(0, 0, max(12, max(len(r.scenario) for r in results) + 2))
    # Paper gets what a board reads; the solver's name and times stay on screen.
    ws.print_area(0, 0, max(end, TABLE_TOP + 1), printed)


def _per_scenario(book: Workbook, styles: Styles, results: list[Result], sheet: str,
                  title: str, intro: str, columns: list[Column], table: str,
                  cells: Callable[[Any], list[Any]]) -> None:
    """A sheet of one results table (``Result.<table>``) for every scenario: a Scenario
    column, then ``cells(row)`` for each of the table's rows."""
    ws = book.add_worksheet(sheet)
    heading(ws, styles, title, intro)
    rows = ([r.scenario, *cells(x)]
            for r in results for x in getattr(r, table).itertuples(index=False))
    write_table(ws, styles, [SCENARIO, *columns], rows, freeze_cols=1)


def _unit_role(names: Names, x: Any) -> list[str]:
    """Unit ID and name, role ID and name: the ``UNIT`` and ``ROLE`` columns of a row."""
    return [x.unit, names.unit(x.unit), x.role, names.role(x.role)]


def _demand(book: Workbook, styles: Styles, results: list[Result], names: Names) -> None:
    _per_scenario(
        book, styles, results, "Demand", "Step 1: Demand",
        "Demand hours by unit, stream and period as each scenario sets them, and how "
        "much the plan meets.",
        [*UNIT, *STREAM, PERIOD, C("Demand hours", "hours"), C("Minimum service %", "pct"),
         C("Delivered hours", "hours"), C("Coverage %", "pct")],
        "coverage",
        lambda c: [c.unit, names.unit(c.unit), c.stream, names.stream(c.stream), c.period,
                   c.demand_hours, c.min_service_pct, c.delivered_hours, c.coverage_pct])


def _workforce(book: Workbook, styles: Styles, results: list[Result], names: Names) -> None:
    _per_scenario(
        book, styles, results, "Workforce", "Step 2: Workforce, the four supply layers",
        "At the start of the plan. Funded posts are not deployable people: in post "
        "(strength), qualified (in post less trainees), deployable (qualified less "
        "absence, plus trainees at their effectiveness, after abstraction).",
        [*UNIT, *ROLE, C("Funded FTE", "fte"), C("In post FTE", "fte"),
         C("Qualified FTE", "fte"), C("Deployable FTE", "fte"),
         C("Deployable hours a year", "hours")],
        "layers",
        lambda x: [*_unit_role(names, x), x.funded_fte, x.in_post_fte, x.qualified_fte,
                   x.deployable_fte, x.annual_hours])


def _capacity(book: Workbook, styles: Styles, results: list[Result], names: Names) -> None:
    _per_scenario(
        book, styles, results, "Workforce capacity",
        "Step 2: Workforce capacity and utilisation by period",
        "Effective FTE is before abstraction; available hours are after it. "
        "Utilisation is hours used over hours available.",
        [*UNIT, *ROLE, PERIOD, C("Funded FTE", "fte"), C("In post FTE", "fte"),
         C("Effective FTE", "fte"), C("Available hours", "hours"), C("Used hours", "hours"),
         C("Utilisation %", "pct"), C("Overtime hours", "hours")],
        "workforce",
        lambda w: [*_unit_role(names, w), w.period, w.funded_fte, w.in_post_fte,
                   w.effective_fte, w.available_hours, w.used_hours, w.utilisation_pct,
                   w.overtime_hours])


def _plan(book: Workbook, styles: Styles, results: list[Result], names: Names) -> None:
    _per_scenario(
        book, styles, results, "Plan",
        "Step 3: Plan, recruitment, new posts, overtime and marginal value",
        "Recruited: fills of funded vacancies (no new money). New posts: above the "
        "establishment. Marginal value: weighted unmet hours avoided by one more FTE.",
        [*UNIT, *ROLE, PERIOD, C("Recruited FTE", "fte"), C("New posts FTE", "fte"),
         C("Overtime hours", "hours"), C("Marginal value per FTE", "value")],
        "workforce",
        lambda w: [*_unit_role(names, w), w.period, w.recruited_fte, w.new_fte,
                   w.overtime_hours, w.marginal_value_per_fte])


def _cost(book: Workbook, styles: Styles, results: list[Result]) -> None:
    ws = book.add_worksheet("Plan cost")
    heading(ws, styles, "Step 3: Plan cost by period",
            "Money above the funded establishment. Totals per scenario are on the right "
            "and in the Summary (the engine's figures, not formulas).")
    kinds = [C("New posts £", "gbp"), C("Recruitment £", "gbp"), C("Overtime £", "gbp"),
             C("Total £", "gbp")]
    rows = ([r.scenario, c.period, c.new_posts_gbp, c.recruitment_gbp, c.overtime_gbp,
             c.total_gbp] for r in results for c in r.costs.itertuples(index=False))
    write_table(ws, styles, [SCENARIO, PERIOD, *kinds], rows, freeze_cols=1)
    totals = []
    for r in results:
        if not r.solved:
            continue
        sums = [float(r.costs[k].sum()) for k in ("new_posts_gbp", "recruitment_gbp",
                                                   "overtime_gbp")]
        totals.append([r.scenario, *sums, r.totals.cost_gbp])
    ws.write_string(2, 8, "Totals over the plan", styles.section)
    write_table(ws, styles, [SCENARIO, *kinds], totals, left=8, freeze=False,
                autofilter=False)


def _next_posts(book: Workbook, styles: Styles, results: list[Result], names: Names) -> None:
    ws = book.add_worksheet("Plan next posts")
    heading(ws, styles, "Step 3: The next posts to fund",
            "Ranked by weighted unmet hours avoided per £1m of annual cost. A marginal value "
            "holds for a small change: re-solve to cost a larger bid.")
    columns = [SCENARIO, C("Rank", "int"), *UNIT, *ROLE, PERIOD,
               C("Marginal value per FTE", "value"), C("Annual cost £", "gbp"),
               C("Value per £1m", "value")]
    rows = ([r.scenario, i + 1, *_unit_role(names, n), n.period, n.marginal_value_per_fte,
             n.annual_cost_gbp, n.value_per_gbp_million]
            for r in results
            for i, n in enumerate(r.next_posts.itertuples(index=False)))
    write_table(ws, styles, columns, rows, freeze_cols=1)


def _allocation(book: Workbook, styles: Styles, results: list[Result]) -> None:
    _per_scenario(
        book, styles, results, "Plan allocation", "Step 3: Allocation of hours",
        "Hours each role at a unit spends on each stream of a unit (its own, or another "
        "by a sharing agreement), before efficiencies.",
        [C("From unit"), C("To unit"), C("Role"), C("Stream"), PERIOD, C("Hours", "hours")],
        "allocation",
        lambda a: [a.from_unit, a.to_unit, a.role, a.stream, a.period, a.hours])


def unmet_rows(result: Result) -> list[Any]:
    """Coverage rows with demand left unmet or a minimum-service breach, largest first."""
    cov = result.coverage
    keep = cov[(cov["unmet_hours"].astype(float) >= UNMET_MIN_HOURS)
               | cov["breach"].astype(bool)]
    keep = keep.sort_values("unmet_hours", ascending=False, kind="stable")
    return list(keep.itertuples(index=False))


def _unmet(book: Workbook, styles: Styles, results: list[Result], names: Names) -> None:
    ws = book.add_worksheet("Unmet demand")
    heading(ws, styles, "Step 4: Unmet demand and minimum-service breaches",
            "What cannot be met, where and when, largest first. Below minimum: hours "
            "short of the minimum service level (a breach).")
    columns = [SCENARIO, *UNIT, *STREAM, PERIOD, C("Demand hours", "hours"),
               C("Delivered hours", "hours"), C("Unmet hours", "hours"),
               C("Coverage %", "pct"), C("Minimum service %", "pct"),
               C("Below minimum hours", "hours"), C("Breach", "bool")]
    rows = []
    for r in results:
        if not r.solved:
            continue
        for c in unmet_rows(r):
            below = max(0.0, c.min_service_pct / 100 * c.demand_hours - c.delivered_hours)
            rows.append([r.scenario, c.unit, names.unit(c.unit), c.stream,
                         names.stream(c.stream), c.period, c.demand_hours, c.delivered_hours,
                         c.unmet_hours, c.coverage_pct, c.min_service_pct,
                         below, bool(c.breach)])
    write_table(ws, styles, columns, rows, freeze_cols=1)


def _problems(book: Workbook, styles: Styles, problems: list[Problem]) -> None:
    ws = book.add_worksheet("Problems")
    heading(ws, styles, "Problems found in the input",
            "Errors stop a solve; warnings and notes do not." if problems else
            "No problems were found in the input.")
    columns = [C("Severity"), C("Message", "prose", width=70), C("File"), C("Sheet"),
               C("Row", "int"), C("Column"), C("Value"), C("Expected", "prose", width=30)]
    rows = ([p.severity.value, p.message, p.where.file, p.where.sheet, p.where.row,
             p.where.column, "" if p.value is None else str(p.value), p.expected]
            for p in problems)
    write_table(ws, styles, columns, rows)
