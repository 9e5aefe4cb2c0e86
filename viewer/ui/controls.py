"""The controls every chart shares: outcome, timepoint, population, trials, effect and CI methods.

Each control writes one field of the query through ``AppState.update_query`` and is re-synchronised from
every new query, so a query set elsewhere (restored settings, a test, the command line) shows up here too.
The controls sit in a flow layout that wraps onto more lines as the window narrows, instead of cutting
labels off.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QMenu,
    QSizePolicy,
    QToolButton,
    QWidget,
    QWidgetItem,
)

from viewer.charts.query import DiffCI, DoseAxis, Effect, PanelMode, Query, RateCI
from viewer.domain.catalog import Catalog
from viewer.domain.synthesis.options import DoseModel, PoolModel, Tau2Method
from viewer.plot.text import plain_tooltip
from viewer.ui.pickers import DrugsButton, TrialsButton
from viewer.ui.state import AppState

POOLS: tuple[tuple[str, PoolModel | None, str], ...] = (
    ("No pooled rows", None, "Each trial's arms only: no row pooling trials"),
    ("Fixed effect", PoolModel.FIXED, "Pooled rows (inverse variance) and the network: one effect for all trials"),
    ("Random effects", PoolModel.RANDOM, "Pooled rows and the network: the effect varies between trials (tau² below)"),
)  # fmt: skip


class FlowLayout(QLayout):
    """Lays widgets out left to right and wraps to a new line when the width runs out (Qt's example)."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 10, line_spacing: int = 4) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self._line_spacing = line_spacing
        self.setContentsMargins(QMargins(0, 0, 0, 0))

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def insertWidget(self, index: int, widget: QWidget) -> None:
        """``widget`` at place ``index`` of the flow (QLayout itself only appends)."""
        self.addChildWidget(widget)
        self._items.insert(index, QWidgetItem(widget))
        self.invalidate()

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _arrange(self, rect: QRect, *, apply: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        x, y, line_height = area.x(), area.y(), 0
        for item in self._items:
            if item.isEmpty():
                continue
            hint = item.sizeHint()
            if x + hint.width() > area.right() + 1 and line_height > 0:
                x = area.x()
                y += line_height + self._line_spacing
                line_height = 0
            if apply:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._spacing
            line_height = max(line_height, hint.height())
        return y + line_height - rect.y() + m.bottom()


def _data(combo: QComboBox) -> str:
    """The value behind a combo's current entry (its item data), as the query field's text."""
    return str(combo.currentData())


def _field(label: str, widget: QWidget, parent: QWidget) -> QWidget:
    """A label and its control kept together, so a wrap never separates them."""
    box = QWidget(parent)
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(4)
    text = QLabel(label, box)
    text.setBuddy(widget)
    if not widget.accessibleName():  # a screen reader names the control by its label (without the '&')
        widget.setAccessibleName(label.replace("&", ""))
    row.addWidget(text)
    row.addWidget(widget)
    return box


class Controls(QWidget):
    """Every query control in a wrapping row above the chart tabs.

    The frequently changed controls are visible; the methods (CI choices) and axis options sit in one
    Options menu, so the row stays two or three lines high on a laptop screen and the chart keeps its
    height. The chart footnotes always name the method in force.
    """

    compact_changed = Signal(bool)  # the controls folded into one row (True) or shown in full

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

        self.outcome = self._combo("Efficacy outcome for dose-response and forest charts", 22)
        self.timepoint = self._combo("Only results at this timepoint", 6)
        self.population = self._combo("Only trials in this population (never pooled across populations)", 6)
        self.trials = TrialsButton(state, self)
        self.drugs = DrugsButton(state, self)  # shown while the drugs pane is folded away
        self.ae_term = self._combo("Adverse-event term for the tolerability chart", 13)
        self.safety_term = self._combo("Class safety outcome for the patient-year rate chart (Safety rates tab)", 11)
        self.adjusted = self._check(
            "Placebo-ad&justed", "Plot each arm minus its own trial's placebo, not the raw rate"
        )
        self.verified_only = self._check("Verified on&ly", "Hide secondary and unverified figures")
        self.effect = self._combo("Effect measure of the forest plot: risk difference, risk ratio or odds ratio", 3)
        for effect in Effect:
            self.effect.addItem(effect.abbreviation, effect.value)
            tip = f"{effect.label} ({effect.scale})"
            self.effect.setItemData(self.effect.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)

        self.options = QToolButton(self)
        self.options.setText("Option&s")  # Alt+S opens it; arrows and Enter choose
        self.options.setAccessibleName("Chart options")
        self.options.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.options)
        self.diff_ci = self._choices(
            menu, "Difference CI (vs placebo)", tuple(DiffCI), lambda v: self._state.update_query(diff_ci=DiffCI(v))
        )
        self.rate_ci = self._choices(
            menu, "Rate CI (each arm)", tuple(RateCI), lambda v: self._state.update_query(rate_ci=RateCI(v))
        )
        self.dose_axis = self._choices(
            menu, "Dose axis", tuple(DoseAxis), lambda v: self._state.update_query(dose_axis=DoseAxis(v))
        )
        menu.addSeparator()
        self.panels = QAction("One panel per drug", menu)
        self.panels.setCheckable(True)
        self.panels.setToolTip(
            "Dose-response and tolerability: one panel per drug sharing the response axis; forest: one panel per "
            "drug stacked on one effect axis (the default with two or more drugs), or all drugs in one plot"
        )
        self.emax = QAction("Emax curve", menu)
        self.emax.setCheckable(True)
        self.emax.setToolTip(
            "Fit a dose-response curve: Emax per trial on response rates; across trials (placebo-adjusted, "
            "trial random effects, the model chosen under 'Dose-response across trials') when the chart is "
            "placebo-adjusted"
        )
        self.ic50_raw = QAction("Raw IC50 (selectivity)", menu)
        self.ic50_raw.setCheckable(True)
        self.ic50_raw.setToolTip("Selectivity: the raw IC50 of each kinase instead of the fold against JAK1")
        menu.addActions([self.panels, self.emax, self.ic50_raw])
        self.pool = self._pool_choices(menu)
        self.tau2 = self._choices(
            menu,
            "Between-trial variance (tau²)",
            tuple(Tau2Method),
            lambda v: self._state.update_query(tau2=Tau2Method(v)),
        )
        self.hksj = QAction("Hartung–Knapp interval", menu)
        self.hksj.setCheckable(True)
        self.hksj.setToolTip(
            "Pooled rows and the network: Hartung–Knapp–Sidik–Jonkman t interval instead of the Wald z interval"
        )
        self.pool_doses = QAction("Pool across doses", menu)
        self.pool_doses.setCheckable(True)
        self.pool_doses.setToolTip(
            "Pooled rows: one diamond per drug over all its doses (a trial's doses merged) instead of one per dose"
        )
        self.combine = QAction("Combine populations", menu)
        self.combine.setCheckable(True)
        self.combine.setToolTip(
            "Let pooled rows, the league table and the network combine trials of different populations "
            "(refused by default; every output then says that they were combined)"
        )
        menu.addSeparator()
        menu.addActions([self.hksj, self.pool_doses, self.combine])
        self.dose_model = self._choices(
            menu,
            "Dose-response across trials",
            tuple(DoseModel),
            lambda v: self._state.update_query(dose_model=DoseModel(v)),
        )
        menu.setToolTipsVisible(True)
        for action in menu.actions():  # the status bar says what a choice does as the arrows reach it
            action.setStatusTip(action.toolTip() if action.toolTip() != action.iconText() else "")
        self.options.setMenu(menu)

        flow = FlowLayout(self, spacing=6)
        flow.setContentsMargins(QMargins(6, 4, 6, 4))
        self.drugs_field = _field("&Drugs", self.drugs, self)
        self.drugs_field.hide()
        flow.addWidget(self.drugs_field)
        for label, widget in (
            ("&Outcome", self.outcome),
            ("&Timepoint", self.timepoint),
            ("&Population", self.population),
            ("T&rials", self.trials),
            ("&Adverse event", self.ae_term),
            ("Safet&y", self.safety_term),
        ):
            flow.addWidget(_field(label, widget, self))
        flow.addWidget(self.adjusted)
        flow.addWidget(self.verified_only)
        flow.addWidget(_field("Effe&ct", self.effect, self))
        flow.addWidget(self.options)
        self.flow = flow
        self._make_compact_bar()

        # currentIndexChanged (not activated) so a programmatic change acts like the user's; _sync and
        # _refill block signals, so reflecting the state never writes back to it.
        self.outcome.currentIndexChanged.connect(lambda _i: self._state.update_query(outcome=_data(self.outcome)))
        self.timepoint.currentIndexChanged.connect(lambda _i: self._state.update_query(timepoint=_data(self.timepoint)))
        self.population.currentIndexChanged.connect(
            lambda _i: self._state.update_query(population=_data(self.population))
        )
        self.ae_term.currentIndexChanged.connect(lambda _i: self._state.update_query(ae_term=_data(self.ae_term)))
        self.safety_term.currentIndexChanged.connect(
            lambda _i: self._state.update_query(safety_term=_data(self.safety_term))
        )
        self.effect.currentIndexChanged.connect(
            lambda _i: self._state.update_query(effect=Effect(self.effect.currentData()))
        )
        self.adjusted.toggled.connect(lambda on: self._state.update_query(adjusted=on))
        self.verified_only.toggled.connect(lambda on: self._state.update_query(verified_only=on))
        self.ic50_raw.toggled.connect(lambda on: self._state.update_query(ic50_raw=on))
        self.panels.toggled.connect(
            lambda on: self._state.update_query(panels=PanelMode.DRUG if on else PanelMode.NONE)
        )
        self.emax.toggled.connect(lambda on: self._state.update_query(emax=on))
        self.hksj.toggled.connect(lambda on: self._state.update_query(hksj=on))
        self.combine.toggled.connect(lambda on: self._state.update_query(combine_populations=on))
        self.pool_doses.toggled.connect(lambda on: self._state.update_query(pool_doses=on))

        self._fill(state.catalog)
        self._sync(state.query)
        state.catalog_changed.connect(self._fill)
        state.query_changed.connect(self._sync)

    # -- compact bar ------------------------------------------------------------------------------

    def _make_compact_bar(self) -> None:
        """A one-line mode for small windows: the outcome, a summary of the other choices, and a toggle.

        Added after every other control, so controls added later to the flow fold away with the rest.
        """
        self.compact_summary = QLabel(self)
        self.compact_summary.setObjectName("controlsSummary")
        self.compact_summary.setTextFormat(Qt.TextFormat.PlainText)
        # a quieter colour from the palette (a style sheet would keep the palette of its polish: no dark theme)
        self.compact_summary.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.compact_summary.hide()
        self._summary_text = ""
        self.more = QToolButton(self)
        self.more.setObjectName("controlsToggle")
        self.more.setCheckable(True)
        self.more.setAutoRaise(True)
        self.more.setAccessibleName("Show every control")
        self.more.toggled.connect(lambda on: self.set_compact(not on))
        self.flow.addWidget(self.compact_summary)
        self.flow.addWidget(self.more)
        self._compact_only: list[QToolButton] = []  # see add_compact_actions
        self._compact = True
        self.set_compact(False)

    def is_compact(self) -> bool:
        return self._compact

    def add_compact_actions(self, actions: Sequence[QAction]) -> None:
        """Buttons for ``actions`` in the one-row bar, before "More" (shown only while it is one row): the
        window's chart toggles join the row instead of taking a row of their own under the chart."""
        for action in actions:
            button = QToolButton(self)
            button.setDefaultAction(action)  # its text is the action's icon text; checked with the action
            button.setAutoRaise(True)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setVisible(self._compact)
            self.flow.insertWidget(self.flow.indexOf(self.more), button)
            self._compact_only.append(button)
        self._fit_summary()

    def set_drugs_shown(self, on: bool) -> None:
        """Show the drugs pop-up (while the drugs pane is folded away) or hide it (the table is in sight)."""
        self.drugs_field.setVisible(on)
        self._fit_summary()

    def set_compact(self, on: bool) -> None:
        """One row (the outcome, a summary of the rest, "More") or every control, wrapped as needed."""
        if on == self._compact:
            return
        self._compact = on
        keep = {self.outcome.parentWidget(), self.compact_summary, self.more, self.drugs_field, *self._compact_only}
        for index in range(self.flow.count()):
            item = self.flow.itemAt(index)
            widget = item.widget() if item is not None else None
            if widget is not None and widget not in keep:
                widget.setVisible(not on)
        for widget in (self.compact_summary, *self._compact_only):
            widget.setVisible(on)
        self.more.blockSignals(True)
        self.more.setChecked(not on)
        self.more.blockSignals(False)
        self.more.setText("More ▾" if on else "Fewer ▴")
        self.more.setToolTip("Show every control" if on else "Fold the controls into one row")
        self._summarise(self._state.query)
        self.updateGeometry()
        self.compact_changed.emit(on)

    def _summarise(self, query: Query) -> None:
        """The folded controls' choices in one line (its tooltip lists them one per line)."""
        if not self._compact:
            return
        parts = [
            f"Timepoint: {query.timepoint or 'all'}",
            f"Population: {query.population or 'all'}",
            f"Trials: {self.trials.text()}",
            f"AE: {query.ae_term}",
            f"Safety: {query.safety_term}",
            query.effect.abbreviation,
        ]
        parts += [name for name, on in (("adjusted", query.adjusted), ("verified only", query.verified_only)) if on]
        self._summary_text = " · ".join(parts)
        self.compact_summary.setToolTip(plain_tooltip("\n".join(parts)))
        self._fit_summary()

    def _fit_summary(self) -> None:
        """The summary takes the rest of the row, elided at its end, so the compact bar stays one line."""
        if not self._compact:
            return
        row = [w for w in self._row_widgets() if w is not self.compact_summary and not w.isHidden()]
        margins = self.flow.contentsMargins()
        used = sum(w.sizeHint().width() for w in row) + len(row) * 6 + margins.left() + margins.right()
        width = max(self.width() - used - 4, 60)
        self.compact_summary.setFixedWidth(width)
        metrics = self.compact_summary.fontMetrics()
        self.compact_summary.setText(metrics.elidedText(self._summary_text, Qt.TextElideMode.ElideRight, width))

    def _row_widgets(self) -> list[QWidget]:
        items = (self.flow.itemAt(i) for i in range(self.flow.count()))
        return [w for item in items if item is not None and (w := item.widget()) is not None]

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_summary()

    def _combo(self, tip: str, chars: int) -> QComboBox:
        """A combo as wide as ``chars`` characters; its pop-up list is widened to the longest item."""
        combo = QComboBox(self)
        combo.setToolTip(tip)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(chars)
        return combo

    def _check(self, text: str, tip: str) -> QCheckBox:
        box = QCheckBox(text, self)
        box.setToolTip(tip)
        return box

    def _choices(
        self,
        menu: QMenu,
        title: str,
        items: Sequence[DiffCI] | Sequence[RateCI] | Sequence[Tau2Method] | Sequence[DoseModel] | Sequence[DoseAxis],
        write: Callable[[str], None],
    ) -> dict[str, QAction]:
        """A titled group of exclusive menu choices, each naming its method's source; ``write`` sets the
        query field from the chosen value."""
        menu.addSection(title)
        group = QActionGroup(menu)
        group.setExclusive(True)
        actions: dict[str, QAction] = {}
        for value in items:
            action = QAction(value.label, menu)
            action.setToolTip(value.citation)
            action.setCheckable(True)
            action.setData(value.value)
            group.addAction(action)
            menu.addAction(action)
            actions[value.value] = action
            action.triggered.connect(lambda _c=False, v=value.value: write(v))
        return actions

    def _pool_choices(self, menu: QMenu) -> dict[str, QAction]:
        """Pooled rows on the forest plot: none, fixed effect or random effects (also the network's model)."""
        menu.addSection("Pool across trials (forest, league, network)")
        group = QActionGroup(menu)
        group.setExclusive(True)
        actions: dict[str, QAction] = {}
        for text, value, tip in POOLS:
            action = QAction(text, menu)
            action.setToolTip(tip)
            action.setCheckable(True)
            group.addAction(action)
            menu.addAction(action)
            actions[value.value if value else ""] = action
            action.triggered.connect(lambda _c=False, v=value: self._state.update_query(pool=v))
        return actions

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        layout = self.layout()
        return layout.heightForWidth(width) if layout is not None else super().heightForWidth(width)

    # -- from the state -----------------------------------------------------------------------------

    def _fill(self, catalog: Catalog) -> None:
        """Offer what the loaded data has (outcomes with results, its timepoints, populations, terms)."""
        outcomes = [(catalog.outcomes[o].title if o in catalog.outcomes else o, o) for o in catalog.outcome_ids()]
        _refill(self.outcome, outcomes or [("ACR20", "ACR20")])
        _refill(self.timepoint, [("All", ""), *((t, t) for t in catalog.timepoints())])
        _refill(self.population, [("All", ""), *((p, p) for p in catalog.populations())])
        terms = catalog.adverse_event_terms()
        _refill(self.ae_term, [(t, t) for t in terms] or [(Query().ae_term, Query().ae_term)])
        safety = catalog.safety_terms() or (Query().safety_term,)
        _refill(self.safety_term, [(t, t) for t in safety])
        self._sync(self._state.query)

    def _sync(self, query: Query) -> None:
        for combo, value in (
            (self.outcome, query.outcome),
            (self.timepoint, query.timepoint),
            (self.population, query.population),
            (self.ae_term, query.ae_term),
            (self.safety_term, query.safety_term),
            (self.effect, query.effect.value),
        ):
            combo.blockSignals(True)
            index = combo.findData(value)
            if index < 0:  # a value the data does not offer (yet): show it rather than lie
                combo.addItem(value or "All", value)
                index = combo.count() - 1
            combo.setCurrentIndex(index)
            combo.blockSignals(False)
        for box, on in (
            (self.adjusted, query.adjusted),
            (self.verified_only, query.verified_only),
            (self.panels, query.panels.applies(len(query.drugs))),
            (self.ic50_raw, query.ic50_raw),
            (self.emax, query.emax),
            (self.hksj, query.hksj),
            (self.combine, query.combine_populations),
            (self.pool_doses, query.pool_doses),
        ):
            if box.isChecked() != on:
                box.blockSignals(True)
                box.setChecked(on)
                box.blockSignals(False)
        self.diff_ci[query.diff_ci.value].setChecked(True)
        self.rate_ci[query.rate_ci.value].setChecked(True)
        self.dose_axis[query.dose_axis.value].setChecked(True)
        self.pool[query.pool.value if query.pool else ""].setChecked(True)
        self.tau2[query.tau2.value].setChecked(True)
        self.dose_model[query.dose_model.value].setChecked(True)
        self.options.setToolTip(
            f"Difference CI: {query.diff_ci.label} · Rate CI: {query.rate_ci.label} · "
            f"dose axis {query.dose_axis.value} · panels {'on' if query.panels.applies(len(query.drugs)) else 'off'} · "
            f"Emax curve {'on' if query.emax else 'off'}"
        )
        self.trials.sync(self._state.catalog, query)
        self.drugs.sync(self._state.catalog, query)
        self._summarise(query)


def _refill(combo: QComboBox, items: Sequence[tuple[str, str]]) -> None:
    combo.blockSignals(True)
    combo.clear()
    for text, value in items:
        combo.addItem(text, value)
        combo.setItemData(combo.count() - 1, plain_tooltip(text), Qt.ItemDataRole.ToolTipRole)
    combo.blockSignals(False)
    view = combo.view()
    view.setMinimumWidth(view.sizeHintForColumn(0) + 24)  # the pop-up shows whole items, the box stays small
