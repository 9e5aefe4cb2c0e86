"""Large selections stay usable: ask before a file's drugs are ticked into a huge comparison, and offer a
filter when the chart shown holds more trials than it can show legibly.

What counts as too many is the chart layer's (:mod:`viewer.charts.crowding`, plain data that the chart's
warnings and files carry too); this module only asks and offers the actions.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QMessageBox, QPushButton, QWidget

from viewer.charts.crowding import Crowding, crowding, largest_trials, new_drugs_question, selected_trials
from viewer.charts.spec import ChartKind
from viewer.domain.catalog import Catalog
from viewer.ui.state import AppState


def ask_to_tick(parent: QWidget | None, catalog: Catalog, drugs: tuple[str, ...]) -> bool:
    """True when ``drugs`` may be ticked: their charts stay legible, or the user says so.

    The safe answer is the default (and what a closed box means): keep the comparison as it is; the new
    drugs are in the catalog to tick one by one.
    """
    question = new_drugs_question(catalog, drugs)
    if not question:
        return True
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Compare the new drugs?")
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(question)
    box.setInformativeText(
        "Keep the current comparison and tick the new drugs one at a time in the catalog, or compare them "
        "now and filter the trials afterwards (Trials)."
    )
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    box.button(QMessageBox.StandardButton.Yes).setText("Compare them")
    box.button(QMessageBox.StandardButton.No).setText("Keep my comparison")
    box.setDefaultButton(QMessageBox.StandardButton.No)
    box.setEscapeButton(QMessageBox.StandardButton.No)
    answer = box.exec()
    box.deleteLater()
    return bool(answer == QMessageBox.StandardButton.Yes.value)


class CrowdingBar(QFrame):
    """A strip above the charts while the chart shown is crowded: what is wrong and two ways out.

    "Keep the N largest" sets the trial filter to the N trials with the most patients; "Choose trials…"
    opens the Trials pop-up (the window connects ``choose``). Hidden when the chart is legible.
    """

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._kind: ChartKind | None = None
        self.crowd: Crowding | None = None
        self.setObjectName("crowdingBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.label = QLabel(self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.keep = QPushButton(self)
        self.keep.setToolTip("Limit the charts to the trials with the most randomised patients (Trials shows them)")
        self.keep.clicked.connect(self.keep_largest)
        self.choose = QPushButton("Choose trials…", self)
        self.choose.setToolTip("Pick the trials to show from the ticked drugs' trials")
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        row.addWidget(self.label, 1)
        row.addWidget(self.keep)
        row.addWidget(self.choose)
        self.hide()
        state.query_changed.connect(lambda _q: self.refresh())  # a new catalog is always followed by it

    def show_kind(self, kind: ChartKind | None) -> None:
        """The chart now shown (None: a table)."""
        self._kind = kind
        self.refresh()

    def refresh(self) -> None:
        kind = self._kind
        self.crowd = crowding(kind, self._state.catalog, self._state.query) if kind is not None else None
        if self.crowd is None:
            self.hide()
            return
        self.label.setText(f"⚠ {self.crowd.trials:,} trials: too many to read in this chart.")
        self.label.setToolTip(self.crowd.message)
        self.keep.setText(f"Keep the {self.crowd.legible} largest")
        self.show()

    def keep_largest(self) -> None:
        crowd = self.crowd
        if crowd is None:
            return
        state = self._state
        trials = largest_trials(state.catalog, selected_trials(state.catalog, state.query), crowd.legible)
        state.update_query(trials=trials)
        state.notice.emit(f"Showing the {len(trials)} largest trials; Trials > All trials shows every one again.")
