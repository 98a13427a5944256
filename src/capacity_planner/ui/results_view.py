"""The Results view: summary cards, coverage, the four supply layers, allocation, the plan,
marginal values and the next post to fund, and the explanation in words."""

from __future__ import annotations

import html

import pandas as pd
from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from capacity_planner.optimise.result import Result
from capacity_planner.ui.combo import refill
from capacity_planner.ui.frame_model import FrameModel
from capacity_planner.ui.names import column_names, tables_of
from capacity_planner.ui.solve_control import SolveController
from capacity_planner.ui.table_model import SORT_ROLE

PLAN_COLUMNS = ["unit", "role", "period", "effective_fte", "recruited_fte", "new_fte",
                "overtime_hours", "available_hours", "used_hours", "utilisation_pct"]
MARGINAL_COLUMNS = ["unit", "role", "period", "marginal_value_per_fte", "utilisation_pct"]
RESIZE_ROWS = 60
MAX_COLUMN_WIDTH = 300  # long names are cut with an ellipsis; the tooltip has them whole
PIVOT_NAME_WIDTH, PIVOT_COLUMN_WIDTH = 210, 118  # a grid of percentages, one per stream
STALE_TEXT = ("⚠  These results are stale: the model has changed since they were solved. "
              "Press F5 to solve again.")


def frame_table(model: FrameModel, parent: QWidget | None = None,
                most: int = MAX_COLUMN_WIDTH, first: int | None = None) -> QTableView:
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    view = QTableView(parent)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    view.setAlternatingRowColors(True)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.horizontalHeader().setStretchLastSection(False)
    view.verticalHeader().setDefaultSectionSize(22)
    # size columns from the first rows only: a national table has thousands
    view.verticalHeader().setResizeContentsPrecision(RESIZE_ROWS)
    view.horizontalHeader().setResizeContentsPrecision(RESIZE_ROWS)
    model.modelReset.connect(lambda: fit_columns(view, most, first))
    return view


def fit_columns(view: QTableView, most: int = MAX_COLUMN_WIDTH,
                first: int | None = None) -> None:
    """Columns sized to their contents (the first rows), none wider than ``most`` (the
    first column, which names the rows, than ``first`` when given)."""
    view.resizeColumnsToContents()
    header = view.horizontalHeader()
    for column in range(header.count()):
        cap = first if column == 0 and first is not None else most
        if header.sectionSize(column) > cap:
            header.resizeSection(column, cap)


def coverage_pivot(coverage: pd.DataFrame) -> pd.DataFrame:
    """Coverage % over the whole plan, unit by stream (delivered / demand)."""
    if coverage.empty:
        return pd.DataFrame({"unit": pd.Series(dtype=object)})
    sums = coverage.groupby(["unit", "stream"], sort=False)[
        ["demand_hours", "delivered_hours"]].sum()
    pct = (100 * sums["delivered_hours"] / sums["demand_hours"].where(sums["demand_hours"] > 0))
    pivot = pct.unstack("stream")
    pivot.columns = [str(c) for c in pivot.columns]
    return pivot.reset_index()


def coverage_by_stream(coverage: pd.DataFrame) -> pd.DataFrame:
    if coverage.empty:
        return pd.DataFrame(columns=["stream", "demand_hours", "delivered_hours", "unmet_hours",
                                     "coverage_pct"])
    sums = coverage.groupby("stream", sort=False)[
        ["demand_hours", "delivered_hours", "unmet_hours"]].sum().reset_index()
    sums["coverage_pct"] = 100 * sums["delivered_hours"] / sums["demand_hours"].where(
        sums["demand_hours"] > 0)
    return sums


class Card(QFrame):
    def __init__(self, title: str, tip: str) -> None:
        super().__init__()
        self.setObjectName("card")
        self.setStyleSheet("#card { background: palette(base); border: 1px solid #c8ccd2;"
                           " border-radius: 6px; }")
        self.setToolTip(tip)
        self.value = QLabel("–")
        self.value.setStyleSheet("font-size: 20pt; font-weight: 600;")
        self.detail = QLabel("")
        self.detail.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        heading = QLabel(title)
        heading.setStyleSheet("color: #44546a; font-weight: 600;")
        layout.addWidget(heading)
        layout.addWidget(self.value)
        layout.addWidget(self.detail)

    def show_value(self, value: str, detail: str = "") -> None:
        self.value.setText(value)
        self.detail.setText(detail)


class ResultsView(QWidget):
    solve_requested = Signal()

    def __init__(self, controller: SolveController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.scenario_box = QComboBox()
        self.scenario_box.setToolTip("Which solved scenario to show")
        self.scenario_box.setMinimumContentsLength(16)
        self.scenario_box.currentTextChanged.connect(self._show_current)
        self.status = QLabel()
        self.banner = QLabel(STALE_TEXT)
        self.banner.setStyleSheet("background: #fbeebb; color: #5c4300; padding: 6px;"
                                  " border: 1px solid #e0c66b; border-radius: 4px;")
        self.banner.setVisible(False)
        top = QHBoxLayout()
        top.addWidget(QLabel("Scenario:"))
        top.addWidget(self.scenario_box)
        top.addWidget(self.status, 1)

        self.cards = {
            "coverage": Card("Coverage", "Demand met, % of demand hours over the plan"),
            "unmet": Card("Unmet demand", "Demand hours that cannot be met"),
            "posts": Card("New posts", "New posts above establishment (FTE), and fills of "
                                       "vacancies"),
            "cost": Card("Extra cost", "New posts, recruitment and overtime over the plan"),
        }
        cards = QHBoxLayout()
        for card in self.cards.values():
            cards.addWidget(card)

        self.models = {name: FrameModel(parent=self) for name in (
            "by_stream", "detail", "layers", "allocation", "plan", "costs", "next", "marginal")}
        self.models["pivot"] = FrameModel(parent=self, shade_column="*")
        self.models["by_stream"].shade_column = "coverage_pct"
        self.tabs = QTabWidget()
        self.tabs.addTab(self._pair("Coverage by unit and stream (% of demand met over the plan)",
                                    "pivot", "Coverage by stream", "by_stream"), "Coverage")
        self.tabs.addTab(frame_table(self.models["detail"], self), "Coverage detail")
        self.tabs.addTab(frame_table(self.models["layers"], self), "Supply layers")
        self.tabs.addTab(frame_table(self.models["allocation"], self), "Allocation")
        self.tabs.addTab(self._pair("Plan: fills, new posts and overtime by unit, role and period",
                                    "plan", "Cost by period", "costs"), "Plan")
        self.tabs.addTab(self._pair("Next posts to fund, best value per pound first", "next",
                                    "Marginal value of one more FTE (weighted unmet hours "
                                    "avoided)", "marginal"), "Next post to fund")
        self.explanation = QTextBrowser()
        self.tabs.addTab(self.explanation, "Explanation")
        self._filled: set[int] = set()
        self.tabs.currentChanged.connect(self._fill_tab)

        results = QWidget()
        layout = QVBoxLayout(results)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addLayout(cards)
        layout.addWidget(self.tabs, 1)

        empty = QWidget()
        empty_layout = QVBoxLayout(empty)
        hint = QLabel("No results yet.\nChoose a scenario and press F5 (Solve) to plan it.")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint.setStyleSheet("font-size: 13pt; color: #44546a;")
        solve = QPushButton("Solve now")
        solve.setToolTip("Solve the scenario chosen in the toolbar (F5)")
        solve.clicked.connect(self.solve_requested)
        empty_layout.addStretch(1)
        empty_layout.addWidget(hint)
        empty_layout.addWidget(solve, 0, Qt.AlignmentFlag.AlignHCenter)
        empty_layout.addStretch(2)
        self.stack = QStackedWidget()
        self.stack.addWidget(empty)
        self.stack.addWidget(results)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)
        controller.results_changed.connect(self.refresh)
        controller.document.model_changed.connect(self._update_banner)
        self.refresh()

    def _fill_tab(self, index: int) -> None:
        """Fill the tables of one tab, when it is first shown for a result (a national
        result has thousands of rows per table: filling all tabs at once would stall)."""
        result = self.result
        if result is None or index in self._filled or index < 0:
            return
        self._filled.add(index)
        workforce = result.workforce
        frames = {
            0: {"pivot": lambda: coverage_pivot(result.coverage),
                "by_stream": lambda: coverage_by_stream(result.coverage)},
            1: {"detail": lambda: result.coverage},
            2: {"layers": lambda: result.layers},
            3: {"allocation": lambda: result.allocation},
            4: {"plan": lambda: workforce[[c for c in PLAN_COLUMNS if c in workforce]],
                "costs": lambda: result.costs},
            5: {"next": lambda: result.next_posts,
                "marginal": lambda: workforce[[c for c in MARGINAL_COLUMNS if c in workforce]]
                .sort_values("marginal_value_per_fte", ascending=False)
                if not workforce.empty else workforce},
        }.get(index, {})
        model = self.controller.document.model
        names = column_names(model)
        for name, make in frames.items():
            self.models[name].names = names
            if name == "pivot":  # streams are its columns
                self.models[name].header_names = tables_of(model)["streams"]
            self.models[name].set_frame(make())

    def _pair(self, title_a: str, model_a: str, title_b: str, model_b: str) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        for title, name, stretch in ((title_a, model_a, 1), (title_b, model_b, 1)):
            label = QLabel(f"<b>{title}</b>")
            layout.addWidget(label)
            # the unit by stream grid has one column per stream: keep the names narrow
            if name == "pivot":
                table = frame_table(self.models[name], page, PIVOT_COLUMN_WIDTH,
                                    PIVOT_NAME_WIDTH)
            else:
                table = frame_table(self.models[name], page)
            layout.addWidget(table, stretch)
        return page

    # ---- updating --------------------------------------------------------------------------
    def refresh(self) -> None:
        names = list(self.controller.results)
        refill(self.scenario_box, names)
        self.stack.setCurrentIndex(1 if names else 0)
        self._show_current()
        self._update_banner()

    def show_scenario(self, name: str) -> None:
        if name in self.controller.results:
            self.scenario_box.setCurrentText(name)

    def _update_banner(self, *_: object) -> None:
        self.banner.setVisible(self.controller.stale)

    @property
    def result(self) -> Result | None:
        return self.controller.results.get(self.scenario_box.currentText())

    def _show_current(self, *_: object) -> None:
        result = self.result
        if result is None:
            return
        t = result.totals
        status = result.status.value.replace("_", " ")
        self.status.setText(html.escape(result.message) if result.message
                            else f"Status: <b>{status}</b>")
        self.cards["coverage"].show_value(f"{t.coverage_pct:.1f} %",
                                          f"{t.delivered_hours:,.0f} of {t.demand_hours:,.0f} h")
        self.cards["unmet"].show_value(f"{t.unmet_hours:,.0f} h",
                                       f"weighted {t.weighted_unmet:,.0f}")
        self.cards["posts"].show_value(f"{t.new_fte:,.1f} FTE",
                                       f"{t.recruited_fte:,.1f} FTE recruited into vacancies")
        self.cards["cost"].show_value(f"£{t.cost_gbp:,.0f}",
                                      f"overtime {t.overtime_hours:,.0f} h")
        self._filled = set()
        self._fill_tab(self.tabs.currentIndex())
        lines = result.explanation or ["No explanation was given."]
        self.explanation.setHtml("<h3>What the plan says</h3><ul>"
                                 + "".join(f"<li>{html.escape(str(x))}</li>" for x in lines)
                                 + "</ul>")
