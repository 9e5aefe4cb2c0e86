"""The chart tabs: dose-response, forest, tolerability, selectivity, and the compare table.

Only the visible tab is rebuilt when the query changes; the others are marked stale and rebuilt when
shown. A chart costs a build (the chart layer) plus a render, and doing that four times per click would
make every control feel slow for charts nobody is looking at. For the same reason a tab's chart widget is
made only when the tab is first shown or its chart asked for (``charts[kind]``): a pyqtgraph view and
scene each, six of them not shown at start-up (``bench``: ``startup_ratio``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from PySide6.QtCore import QEvent, QObject, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QPainter, QPalette, QPen
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from viewer.charts.build import build_chart
from viewer.charts.compare import build_compare
from viewer.charts.describe import describe
from viewer.charts.query import Query
from viewer.charts.spec import ChartKind, ChartSpec
from viewer.domain.catalog import Catalog
from viewer.plot.canvas import ChartWidget
from viewer.ui.chart_drawer import ChartDrawer
from viewer.ui.compare_view import CompareView
from viewer.ui.state import AppState
from viewer.ui.swap import PreparedChart, not_shown
from viewer.ui.theme import pane_colours

TAB_TITLES: dict[ChartKind, str] = {
    ChartKind.DOSE_RESPONSE: "Dose-response",
    ChartKind.FOREST: "Forest",
    ChartKind.TOLERABILITY: "Tolerability",
    ChartKind.SAFETY_RATES: "Safety rates",
    ChartKind.SELECTIVITY: "Selectivity",
    ChartKind.LEAGUE: "League",
    ChartKind.NETWORK: "Network",
}
TAB_TIPS: dict[ChartKind, str] = {
    ChartKind.DOSE_RESPONSE: "Response rate (or difference from placebo) against daily dose",
    ChartKind.FOREST: "Each arm against its own trial's placebo: risk difference, risk ratio or odds ratio",
    ChartKind.TOLERABILITY: "Patients with the chosen adverse event, by daily dose",
    ChartKind.SAFETY_RATES: "Serious infection, zoster, MACE, VTE, malignancy or death per 100 patient-years, "
    "each group beside its analysis' comparator",
    ChartKind.SELECTIVITY: "IC50 against JAK1, JAK2, JAK3 and TYK2 (log scale)",
    ChartKind.LEAGUE: "Network meta-analysis: every pair of treatments, row against column, with 95% CI",
    ChartKind.NETWORK: "The trials behind the network: treatments and the comparisons between them",
}
COMPARE_TITLE = "Compare"
FOCUS_FRAME_PX = 2  # the focused chart's frame, in the palette's highlight colour
# A load's chart is drawn after the swap on a timer of 1 ms: Qt sends a 0 ms single shot as a posted event, in
# the same pass as the swap's own posted events (layouts, repaints), before any timer or input event.
# It is then drawn a panel a turn (ChartWidget.draw_in_steps).
NEXT_TURN_MS = 1


class TabChart(ChartWidget):
    """A chart of the tab widget: a stop of the Tab order that shows when it has the focus.

    The frame is painted over the view in the palette's highlight colour, not set by a style sheet: a
    child widget with a style sheet keeps the palette it was polished with (Qt 6.11), so a chart with
    one stayed light when the window turned dark, and its theme follows the palette.
    """

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:
        super().drawForeground(painter, rect)
        if not self.hasFocus():
            return
        painter.save()
        painter.resetTransform()  # viewport pixels, whatever the scene's scale and scroll
        pen = QPen(self.palette().color(QPalette.ColorRole.Highlight), FOCUS_FRAME_PX)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        half = FOCUS_FRAME_PX / 2
        painter.drawRect(QRectF(self.viewport().rect()).adjusted(half, half, -half, -half))
        painter.restore()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.viewport().update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.viewport().update()


class Charts(Mapping[ChartKind, ChartWidget]):
    """The chart of every kind, each made on first access (:class:`ChartPane`: when its tab is first shown)."""

    def __init__(self, make: Callable[[ChartKind], ChartWidget]) -> None:
        self._make = make
        self._made: dict[ChartKind, ChartWidget] = {}

    def __getitem__(self, kind: ChartKind) -> ChartWidget:
        chart = self._made.get(kind)
        if chart is None:
            chart = self._made[kind] = self._make(kind)
        return chart

    def __iter__(self) -> Iterator[ChartKind]:
        return iter(TAB_TITLES)

    def __len__(self) -> int:
        return len(TAB_TITLES)

    def made(self) -> list[ChartWidget]:
        """The charts made so far (a loop over all of them would make the others)."""
        return list(self._made.values())


class ChartPane(QWidget):
    """The tab widget with one :class:`ChartWidget` per chart kind plus the compare table.

    ``rebuilt`` is emitted with the tab's kind (or None for the compare table) after each rebuild, so
    tests and benchmarks can wait for a redraw instead of sleeping.
    """

    rebuilt = Signal(object)

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._offered: PreparedChart | None = None  # see offer()
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("chartTabs")
        self.tabs.setDocumentMode(True)
        self._pages: dict[ChartKind, QWidget] = {}  # a tab's page, which gets its chart when first shown
        for kind, title in TAB_TITLES.items():
            page = QWidget(self.tabs)
            page.setObjectName(f"page-{kind.value}")
            QVBoxLayout(page).setContentsMargins(0, 0, 0, 0)
            self._pages[kind] = page
            index = self.tabs.addTab(page, title)
            self.tabs.setTabToolTip(index, TAB_TIPS[kind])
        self.charts = Charts(self._make_chart)
        self.compare = CompareView(self.tabs)
        index = self.tabs.addTab(self.compare, COMPARE_TITLE)
        self.tabs.setTabToolTip(index, "The ticked drugs side by side: targets, doses, efficacy, safety")
        self._stale: set[int] = set(range(self.tabs.count()))
        self._not_shown: dict[ChartKind, list[str]] = {}
        self._titles_shown = True
        self.build_count = 0

        # The renderer draws the spec's warnings under the chart; when the window is too small for them
        # to be seen there, the same words appear in this banner above the tabs instead.
        self.banner = QLabel(self)
        self.banner.setObjectName("warningBanner")
        self.banner.setTextFormat(Qt.TextFormat.PlainText)
        self.banner.setWordWrap(True)
        self._style_banner()
        self.banner.hide()
        self._banner_timer = QTimer(self)
        self._banner_timer.setSingleShot(True)
        self._banner_timer.setInterval(0)
        self._banner_timer.timeout.connect(self._update_banner)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        self.drawer = ChartDrawer(self)
        self.drawer.notes_toggled.connect(self.show_notes)
        self.drawer.point_selected.connect(self._focus_series)  # a row of the points list picks out its series
        layout.addWidget(self.drawer)

        self.tabs.currentChanged.connect(self._on_tab)
        state.query_changed.connect(self.invalidate)
        state.catalog_changed.connect(lambda _c: self._stale.update(range(self.tabs.count())))
        self._rebuild(self.tabs.currentIndex())  # never an empty first window
        self._follow_tab()

    # -- what is shown --------------------------------------------------------------------------

    def current_kind(self) -> ChartKind | None:
        """The chart kind of the current tab, or None on the compare table."""
        return self._kind_of(self.tabs.currentWidget())

    def up_to_date(self) -> bool:
        """Whether the visible tab shows the current state's chart: no rebuild pending (a load's chart is drawn
        from the turn after its swap, :meth:`invalidate`) and no panels still to draw."""
        kind = self.current_kind()
        if kind is None:
            return True
        return self.tabs.currentIndex() not in self._stale and not self.charts[kind].drawing

    def _kind_of(self, page: QWidget | None) -> ChartKind | None:
        return next((kind for kind, shown in self._pages.items() if shown is page), None)

    def _make_chart(self, kind: ChartKind) -> ChartWidget:
        """The chart of ``kind``, made in its tab's page and laid out there at once (drawn at its size)."""
        page = self._pages[kind]
        chart = TabChart(page)
        chart.setObjectName(f"chart-{kind.value}")
        chart.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        chart.setMinimumSize(320, 240)
        chart.setAccessibleName(f"{TAB_TITLES[kind]} chart")
        chart.installEventFilter(self)
        chart.drawn.connect(self._on_drawn)
        layout = page.layout()
        assert layout is not None
        layout.addWidget(chart)
        # Tab reaches it from the tab bar, as when it was made with its page (not after the drawer, made since);
        # only the shown tab's chart is a stop.
        QWidget.setTabOrder(self.tabs.tabBar(), chart)
        chart.show()  # a child added to a page on show is otherwise shown a turn later
        layout.activate()
        return chart

    def chart(self, kind: ChartKind) -> ChartWidget:
        return self.charts[kind]

    def show_kind(self, kind: ChartKind | None) -> None:
        """Switch to the tab of ``kind`` (None: the compare table); it is rebuilt if stale."""
        widget = self.compare if kind is None else self._pages[kind]
        self.tabs.setCurrentWidget(widget)

    def spec(self, kind: ChartKind) -> ChartSpec:
        """The up-to-date spec of a chart, rebuilding it first if it is stale (for export and copy)."""
        index = self.tabs.indexOf(self._pages[kind])
        if index in self._stale or self.charts[kind].spec is None:
            self._rebuild(index)
        spec = self.charts[kind].spec
        assert spec is not None
        return spec

    def not_shown(self, kind: ChartKind, spec: ChartSpec) -> list[str]:
        """Each ticked drug a drawn chart neither shows nor names, with the session's reason."""
        return not_shown(self._state.session, kind, spec)

    # -- warnings ---------------------------------------------------------------------------------

    def _style_banner(self) -> None:
        """The banner's tint from the light or dark set of the current palette (its text stays >= 4.5:1)."""
        c = pane_colours(self.palette())
        self.banner.setStyleSheet(
            f"QLabel#warningBanner {{ background: {c.banner_fill}; color: {c.banner_text};"
            f" border: 1px solid {c.banner_border}; border-radius: 3px; padding: 4px 6px; font-weight: bold; }}"
        )

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._style_banner()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Re-check the warnings' visibility whenever a chart is resized."""
        if event.type() == QEvent.Type.Resize:
            self._banner_timer.start()
        return super().eventFilter(watched, event)

    def drawn_warnings_visible(self, kind: ChartKind) -> bool:
        """Whether the warnings the renderer drew lie wholly inside the chart's viewport."""
        chart = self.charts[kind]
        drawn = chart.rendered.warnings if chart.rendered is not None else None
        if drawn is None or not drawn.isVisible() or not chart.isVisible():
            return False
        area = chart.mapFromScene(drawn.sceneBoundingRect()).boundingRect()
        return bool(chart.viewport().rect().contains(area))

    def warnings_visible(self) -> bool:
        """The current chart's warnings can be read: drawn on the chart, or in the banner."""
        kind = self.current_kind()
        spec = self.charts[kind].spec if kind is not None else None
        if kind is None or spec is None or not spec.shown_warnings:
            return True
        return self.drawn_warnings_visible(kind) or (
            self.banner.isVisible() and spec.shown_warnings[0] in self.banner.text()
        )

    def _on_drawn(self) -> None:
        """A chart drawn in steps is finished and fitted, not yet painted: the banner shows or hides now, and the
        pane lays out at once, so the chart gets its final size (and is fitted to it) before its one paint."""
        self._update_banner()
        layout = self.layout()
        if layout is not None:
            layout.activate()

    def _update_banner(self) -> None:
        kind = self.current_kind()
        if kind is not None and self.charts[kind].drawing:
            return  # not before the drawing ends (_on_drawn): reading it would finish it in this turn
        spec = self.charts[kind].spec if kind is not None else None
        if kind is None or spec is None or not spec.shown_warnings or self.drawn_warnings_visible(kind):
            self.banner.hide()
            return
        self.banner.setText("\n".join("⚠ " + w for w in spec.shown_warnings))
        self.banner.show()

    # -- rebuilding -------------------------------------------------------------------------------

    def offer(self, chart: PreparedChart) -> None:
        """A chart built off the GUI thread (the loader's worker) for a catalog about to be swapped in; the
        next rebuild of its kind uses it if it draws that very catalog and an equal query. The rebuild that
        the swap asks for is made from the next event-loop turn on (:meth:`invalidate`)."""
        self._offered = chart

    def _built(self, kind: ChartKind, catalog: Catalog, query: Query) -> PreparedChart | ChartSpec:
        offered, self._offered = self._offered, None
        if offered is not None and offered.kind is kind and offered.catalog is catalog and offered.query == query:
            return offered
        return build_chart(kind, catalog, query)

    def invalidate(self, _query: object = None) -> None:
        """Mark every tab stale and rebuild the visible one: now, or from the next event-loop turn on, a panel a
        turn, when a load's swap offered its chart. The swap's other work (the drug table, the controls, the
        crowding bar, the details) and the drawing of the new comparison (4 new plots and 40 trials at 100,000
        arms; 400 trials at 1,000,000) are then several short stalls of the GUI thread, not one, and the window
        repaints and answers between them; :meth:`spec` draws a stale chart at once for whoever needs it first.
        (Every offered chart was deferred once before, 0a2dfbf, and taken back when the soak segfaulted: the
        crash was Qt's scene index holding a freed axis, fixed by :func:`viewer.plot.workarounds.unindexed`.)"""
        self._stale = set(range(self.tabs.count()))
        offered = self._offered
        if offered is not None and offered.kind is self.current_kind():
            QTimer.singleShot(NEXT_TURN_MS, self, self._rebuild_current)
            return
        self._rebuild(self.tabs.currentIndex())

    def _rebuild_current(self) -> None:
        """The visible tab, drawn in steps, unless a rebuild since (a tab switch, an export's spec()) drew it."""
        index = self.tabs.currentIndex()
        if index in self._stale:
            self._rebuild(index, in_steps=True)

    def _on_tab(self, index: int) -> None:
        if index in self._stale:
            self._rebuild(index)
        self._banner_timer.start()
        self._follow_tab()

    def _follow_tab(self) -> None:
        """The drawer lists the current chart's points (and hides on the compare table)."""
        kind = self.current_kind()
        self.drawer.setVisible(kind is not None)
        if kind is None:
            self.drawer.set_spec(None)
        else:
            self.drawer.set_spec(self.charts[kind].spec, self._not_shown.get(kind, []))

    # -- notes ------------------------------------------------------------------------------------

    def notes_shown(self) -> bool:
        return self.drawer.notes.isChecked()

    def _focus_series(self, name: str) -> None:
        """Pick out the series of the point chosen in the points list, on the chart shown."""
        kind = self.current_kind()
        rendered = self.charts[kind].rendered if kind is not None else None
        if rendered is not None:
            rendered.focus_series(name)

    def show_notes(self, on: bool) -> None:
        """Draw or fold away every chart's footnotes on screen (exports always carry them)."""
        if self.drawer.notes.isChecked() != on:
            self.drawer.notes.setChecked(on)  # comes back here through the toggle's signal
            return
        for chart in self.charts.made():  # a chart made later is folded when first drawn
            self._apply_folds(chart)

    def show_titles(self, on: bool) -> None:
        """Draw or fold away every chart's title on screen: folded while the one-row controls name the
        outcome, timepoint and population the title gives (and the tab the chart); exports always carry it."""
        self._titles_shown = on
        for chart in self.charts.made():  # a chart made later is folded when first drawn
            self._apply_folds(chart)

    def titles_shown(self) -> bool:
        return self._titles_shown

    def _apply_folds(self, chart: ChartWidget) -> None:
        # The chart folds them, in this and every later drawing of it (a narrowed redraw included), and refits.
        chart.set_footnotes_shown(self.notes_shown())
        chart.set_title_shown(self._titles_shown)

    def _rebuild(self, index: int, *, in_steps: bool = False) -> None:
        """Rebuild tab ``index`` from the state; ``in_steps``: its chart is drawn a panel a turn."""
        if index < 0:
            return
        widget = self.tabs.widget(index)
        catalog, query = self._state.catalog, self._state.query
        # A tab is fresh only once rebuilt: a build that raised is retried when the tab is shown again.
        if widget is self.compare:
            self.compare.set_table(build_compare(catalog, query))
            self._stale.discard(index)
            self.build_count += 1
            self.rebuilt.emit(None)
            return
        kind = self._kind_of(widget)
        if kind is None:
            return
        chart = self.charts[kind]
        built = self._built(kind, catalog, query)
        if isinstance(built, PreparedChart):  # an empty one says why already (explained on the worker)
            prepared, spec = built, built.spec
        else:
            prepared, spec = None, self._state.session.explained(kind, built)
        if in_steps:
            chart.draw_in_steps(spec)
        else:
            chart.set_spec(spec)
        chart.setAccessibleDescription(prepared.description if prepared is not None else describe(spec))
        self._apply_folds(chart)
        self._stale.discard(index)
        self._not_shown[kind] = list(prepared.not_shown) if prepared else self.not_shown(kind, spec)
        if index == self.tabs.currentIndex():
            points = prepared.points if prepared is not None else None
            self.drawer.set_spec(spec, self._not_shown[kind], points)
        self.build_count += 1
        self._banner_timer.start()
        self.rebuilt.emit(kind)
