"""The monograph of the focused drug: mechanism, selectivity, dosing, approvals, boxed warning, safety, sources.

Everything here comes from data files a user may have written, so every string is escaped before it goes
into the rich text, and links are never followed by Qt: only http(s) addresses are opened, by us, through
the desktop. The adverse-event table shows figures the chart layer computed (``chart_rows``); the pane
formats numbers but computes no statistic of its own.

The two sections computed from the trials wait for the pane's first paint, where they are far below the
fold (after the boxed warning, mechanism, selectivity, dosing and approvals): the adverse events vs placebo
(a tolerability chart built per term) and the class safety rates, whose exact intervals (Garwood,
Clopper-Pearson) need ``scipy.special`` (~200 ms to import, most of it scipy's array-API layer). Both would
otherwise hold up the window's first frame (``bench/startup_probe.py``). Once the pane has painted, the
next turn of the event loop renders it again with them, scrolled where the reader is.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeyEvent
from PySide6.QtWidgets import QTextBrowser, QWidget

from viewer.charts.common import evidence_text, kind_text
from viewer.charts.compare import safety_text, trial_design
from viewer.charts.query import Query
from viewer.charts.spec import ChartKind
from viewer.domain.catalog import Catalog
from viewer.domain.model import ApprovalStatus, Drug, EvidenceLevel, Fact, Origin
from viewer.domain.safety import CLASS_SAFETY_TERMS, compare_rates
from viewer.ui.state import AppState
from viewer.ui.theme import PaneColours, pane_colours

if TYPE_CHECKING:
    from viewer.charts.table import Cell

DISCLAIMER = "Evidence summary for healthcare professionals; not medical advice."
MAX_AE_TERMS = 12


def esc(text: object) -> str:
    """Escape any data-file text for rich text (quotes too: it also goes into attributes)."""
    return html.escape(str(text), quote=True)


def _flag(catalog: Catalog, source_id: str, level: EvidenceLevel, muted: str) -> str:
    """The level and the kind of source behind it, on every statement (a verified one says 'article')."""
    return f" <span style='color:{muted}'>[{esc(evidence_text(catalog, source_id, level))}]</span>"


def _cite(source_id: str, muted: str) -> str:
    """A small in-page link to the source in the list below."""
    if not source_id:
        return ""
    return f" <a href=\"#{esc(_anchor(source_id))}\" style='color:{muted}'><sup>{esc(source_id)}</sup></a>"


def _anchor(source_id: str) -> str:
    """An anchor name with nothing to encode: a percent-encoded id would be decoded on the way back
    from the clicked link and then no longer match the name."""
    return "src-" + source_id.encode("utf-8").hex()


def _facts(catalog: Catalog, facts: Iterable[Fact], c: PaneColours) -> str:
    items = [
        f"<li>{esc(f.text)}{_flag(catalog, f.source_id, f.level, c.muted)}{_cite(f.source_id, c.muted)}</li>"
        for f in facts
    ]
    return f"<ul style='margin-top:0'>{''.join(items)}</ul>" if items else "<p>—</p>"


def _pct(value: Cell) -> str:
    return f"{100 * value:.1f}%" if isinstance(value, (int, float)) else "n/a"


def _count(count: Cell, n: Cell) -> str:
    if count is None or n is None:
        return "n not reported"
    return f"{count}/{n}"


class DetailsPane(QTextBrowser):
    """Read-only rich text about ``AppState.focused_drug``; ``link_refused`` reports a non-web link.

    Keyboard: Tab and Shift+Tab leave the pane (its dozens of source links are no focus trap);
    Ctrl+Tab and Ctrl+Shift+Tab walk the links, Enter opens the one highlighted. Another drug starts at
    the top (its name and boxed warning first); a change of the query keeps the place being read.
    """

    link_refused = Signal(str)

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self.setObjectName("details")
        self.setAccessibleName("Drug details")
        self.setAccessibleDescription(
            "The focused drug's monograph: boxed warning, mechanism, dosing, safety, trials and sources. "
            "Tab leaves the pane; Control+Tab moves between its links."
        )
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._on_anchor)
        self.open_url: Callable[[QUrl], object] = QDesktopServices.openUrl  # tests replace this
        self._key: tuple[object, ...] = ()
        self._computed = False  # the computed sections are shown from the first paint on (module docstring)
        state.focused_drug_changed.connect(lambda _d: self.refresh())
        state.query_changed.connect(lambda _q: self.refresh())
        state.catalog_changed.connect(lambda _c: self.refresh(force=True))
        self.refresh(force=True)

    def text(self) -> str:
        return self.toPlainText()

    def refresh(self, *, force: bool = False) -> None:
        """Re-render when what the pane shows changed (drug, or a query field the safety table uses).

        The scroll position is kept only when the same drug is re-rendered: another drug (or a forced
        rebuild) starts at the top, where its name and boxed warning are.
        """
        q = self._state.query
        key = (self._state.focused_drug, q.verified_only, q.diff_ci, q.rate_ci)
        if key == self._key and not force:
            return
        same_drug = bool(self._key) and self._key[0] == key[0]
        self._key = key
        drug = self._state.catalog.drugs.get(self._state.focused_drug)
        scroll = self.verticalScrollBar().value() if same_drug and not force else 0
        colours = pane_colours(self.palette())
        self.setHtml(
            render_drug(self._state.catalog, drug, q, colours, computed=self._computed) if drug else _empty(colours)
        )
        self.verticalScrollBar().setValue(scroll)

    def viewportEvent(self, event: QEvent) -> bool:
        """After the first paint, the next turn of the event loop adds the computed sections."""
        handled = super().viewportEvent(event)
        if event.type() == QEvent.Type.Paint and not self._computed:
            self._computed = True
            QTimer.singleShot(0, self, self._show_computed)  # dropped if the pane is gone by then
        return handled

    def _show_computed(self) -> None:
        if self._key:  # a drug is shown: render it again with the section, scrolled where it was
            scroll = self.verticalScrollBar().value()
            self.refresh(force=True)
            self.verticalScrollBar().setValue(scroll)

    def changeEvent(self, event: QEvent) -> None:
        """A new palette (the desktop or View > Theme switched light/dark) re-renders with its colours."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._key:
            scroll = self.verticalScrollBar().value()
            self.refresh(force=True)
            self.verticalScrollBar().setValue(scroll)

    def event(self, event: QEvent) -> bool:
        """Tab leaves the pane; Ctrl+Tab walks its links (QTextBrowser would walk them on plain Tab)."""
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
                forward = key == Qt.Key.Key_Tab and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier
                if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                    super().focusNextPrevChild(forward)  # the next link, or out after the last one
                else:
                    QWidget.focusNextPrevChild(self, forward)
                return True
        return super().event(event)

    def _on_anchor(self, url: QUrl) -> None:
        """Open web links in the browser, jump to in-page anchors, refuse anything else."""
        if url.scheme() in ("http", "https"):
            self.open_url(url)
        elif not url.scheme() and url.hasFragment() and not url.path():
            self.scrollToAnchor(url.fragment(QUrl.ComponentFormattingOption.FullyDecoded))
        else:
            self.link_refused.emit(url.toString())


def _empty(c: PaneColours) -> str:
    return f"<p>Select a drug in the catalog to see its details.</p><p style='color:{c.muted}'>{esc(DISCLAIMER)}</p>"


def render_drug(
    catalog: Catalog, drug: Drug, query: Query, colours: PaneColours | None = None, *, computed: bool = True
) -> str:
    """The whole pane for one drug, as escaped rich text, in ``colours`` (default: the application palette's).

    ``computed=False`` (before the pane's first paint) leaves out what the adverse-event and class-safety
    sections compute, saying so.
    """
    c = colours or pane_colours()
    parts: list[str] = [f"<h2 style='margin-bottom:2px'>{esc(drug.name)}</h2>"]
    names = ", ".join((*drug.brands, *drug.codes))
    sub = " · ".join(x for x in (drug.drug_class, ", ".join(drug.targets), drug.approval_status) if x)
    if names:
        parts.append(f"<p style='margin:0'><i>{esc(names)}</i></p>")
    parts.append(f"<p style='margin-top:2px; color:{c.muted}'>{esc(sub)}</p>")
    if drug.origin is not Origin.CURATED:
        parts.append(f"<p><b>From a {esc(drug.origin.value)} dataset</b>, not from the curated catalog.</p>")
    parts.append(boxed_warning(catalog, drug, c))
    parts.append("<h3>Mechanism</h3>" + _facts(catalog, drug.mechanism, c))
    parts.append("<h3>Selectivity (IC50)</h3>" + _selectivity(catalog, drug, c))
    parts.append("<h3>Approved dosing</h3>" + _facts(catalog, drug.approved_doses, c))
    parts.append("<h3>Half-life</h3>" + _facts(catalog, drug.half_life, c))
    parts.append("<h3>Approvals</h3>" + _approvals(catalog, drug, c))
    later = f"<p style='color:{c.muted}'>Computing…</p>"
    adverse = _adverse_events(catalog, drug, query, c) if computed else later
    parts.append("<h3>Adverse events vs placebo</h3>" + adverse)
    safety = _class_safety(catalog, drug, query, c) if computed else later
    parts.append("<h3>Class safety per 100 patient-years</h3>" + safety)
    parts.append("<h3>Trials</h3>" + _trials(catalog, drug, c))
    if drug.note:
        parts.append(f"<h3>Note</h3><p>{esc(drug.note)}</p>")
    parts.append("<h3>Sources</h3>" + _sources(catalog, drug, c))
    parts.append(f"<p style='color:{c.muted}'><i>{esc(DISCLAIMER)}</i></p>")
    return "".join(parts)


def boxed_warning(catalog: Catalog, drug: Drug, c: PaneColours) -> str:
    """The boxed warning in a framed, tinted box so it is never read as one more paragraph.

    Every colour inside the box is set explicitly (heading, items, flags), from the same light or dark
    set as its fill: text left to follow the palette would be light on the light panel in a dark theme.
    """
    if not drug.boxed_warnings:
        return f"<p style='color:{c.muted}'>No boxed warning in the loaded data.</p>"
    items = "".join(
        f"<li style='color:{c.warning_text}'>{esc(f.text)}{_flag(catalog, f.source_id, f.level, c.warning_muted)}"
        f"{_cite(f.source_id, c.warning_muted)}</li>"
        for f in drug.boxed_warnings
    )
    return (
        f"<table width='100%' border='2' cellspacing='0' cellpadding='8' bgcolor='{c.warning_fill}' "
        f"style='border-color:{c.warning_border}; border-style:solid; margin-top:6px; margin-bottom:6px'>"
        f"<tr><td style='color:{c.warning_text}'><p style='margin:0; color:{c.warning_heading}'>"
        f"<b>⚠ BOXED WARNING</b></p>"
        f"<ul style='margin-top:4px; margin-bottom:0; color:{c.warning_text}'>{items}</ul></td></tr></table>"
    )


def _selectivity(catalog: Catalog, drug: Drug, c: PaneColours) -> str:
    if not drug.selectivity:
        return "<p>—</p>"
    rows = "".join(
        f"<tr><td>{esc(s.target)}</td><td align='right'>{esc(s.qualifier)}{s.ic50_nm:g} nM</td>"
        f"<td>{esc(s.assay)}{_flag(catalog, s.source_id, s.level, c.muted)}{_cite(s.source_id, c.muted)}</td></tr>"
        for s in drug.selectivity
    )
    head = "<tr><th align='left'>Kinase</th><th align='right'>IC50</th><th align='left'>Assay</th></tr>"
    return f"<table cellspacing='0' cellpadding='3'>{head}{rows}</table>"


def _approvals(catalog: Catalog, drug: Drug, c: PaneColours) -> str:
    if not drug.approvals:
        if drug.approval_status is ApprovalStatus.NOT_IN_CATALOG:
            return "<p>Approval status unknown: this drug is not in the catalog (it comes from an imported file).</p>"
        return "<p>Not approved (investigational).</p>"
    items = "".join(
        f"<li><b>{esc(a.agency)}</b> {esc(a.date)}: {esc(a.indication)}"
        + (f" ({esc(a.note)})" if a.note else "")
        + f"{_flag(catalog, a.source_id, a.level, c.muted)}{_cite(a.source_id, c.muted)}</li>"
        for a in drug.approvals
    )
    return f"<ul style='margin-top:0'>{items}</ul>"


def drug_terms(catalog: Catalog, drug_id: str) -> list[str]:
    """Adverse-event terms reported in this drug's trials, most reported (catalog-wide) first: read from the
    term codes of the catalog's adverse-event columns (the trials' rows), no AdverseEvent made for them."""
    columns = catalog.columns
    mine = set(columns.adverse_events.endpoints_of(columns.trial_rows(catalog.trials_of(drug_id), adverse=True)))
    return [t for t in catalog.adverse_event_terms() if t in mine]


def _adverse_events(catalog: Catalog, drug: Drug, query: Query, c: PaneColours) -> str:
    """Per arm: affected/at risk, the trial's placebo, and the risk difference the chart layer computed."""
    from viewer.charts.table import chart_rows  # after the first paint, with the section (module docstring)

    terms = drug_terms(catalog, drug.id)
    if not terms:
        return "<p>No adverse-event figures in the loaded data.</p>"
    body: list[str] = []
    for term in terms[:MAX_AE_TERMS]:
        q = query.with_(drugs=(drug.id,), ae_term=term, trials=(), timepoint="", population="")
        _columns, rows = chart_rows(ChartKind.TOLERABILITY, catalog, q)
        if rows:
            body.append(f"<tr><td colspan='2'><b>{esc(term)}</b></td></tr>")
        for row in rows:
            rd = row.get("rd")
            diff = "no placebo"
            if isinstance(rd, (int, float)):
                low, high = row.get("rd_ci_low"), row.get("rd_ci_high")
                ci = (
                    f" ({100 * low:+.1f} to {100 * high:+.1f})"
                    if isinstance(low, (int, float)) and isinstance(high, (int, float))
                    else ""
                )
                diff = f"{100 * rd:+.1f} pp{ci}"
            level, kind = row.get("level"), row.get("source_kind")
            flag = f" <span style='color:{c.muted}'>[{esc(level)} · {esc(kind)}]</span>" if level else ""
            has_placebo = row.get("placebo_responders") is not None and row.get("placebo_n") is not None
            placebo = f"placebo {_count(row.get('placebo_responders'), row.get('placebo_n'))} · {diff}"
            placebo = placebo if has_placebo or diff != "no placebo" else "no placebo figure in the trial"
            # Two lines per arm in two columns: a pane 360 px wide broke six columns' words ("Placeb o").
            body.append(
                f"<tr><td valign='top'>{esc(row.get('trial') or '')} · {esc(row.get('arm') or '')}</td>"
                f"<td align='right' valign='top' style='white-space:nowrap'>"
                f"{esc(_count(row.get('responders'), row.get('n')))} ({_pct(row.get('rate'))})</td></tr>"
                f"<tr><td colspan='2' style='padding-left:12px'>{esc(placebo)}{flag}</td></tr>"
            )
    if not body:
        return "<p>No adverse-event figures in the loaded data (or none verified).</p>"
    more = len(terms) - MAX_AE_TERMS
    tail = f"<p style='color:{c.muted}'>{more} more term(s) in the Tolerability tab.</p>" if more > 0 else ""
    note = (
        f"<p style='color:{c.muted}'>Per arm: patients with the event in the arm, then its trial's placebo and "
        f"the difference (arm minus placebo, percentage points, 95% {query.diff_ci.label} CI).</p>"
    )
    return f"<table cellspacing='0' cellpadding='2' width='100%'>{''.join(body)}</table>{note}{tail}"


def _class_safety(catalog: Catalog, drug: Drug, query: Query, c: PaneColours) -> str:
    """Exposure-adjusted rates and hazard ratios for the six class safety outcomes, as the compare view."""
    verified = EvidenceLevel.VERIFIED
    rates = compare_rates(r for r in catalog.safety_rates if not query.verified_only or r.level is verified)
    hazards = [h for h in catalog.hazard_ratios if not query.verified_only or h.level is verified]
    rows = "".join(
        f"<tr><td valign='top'><b>{esc(term)}</b></td>"
        f"<td>{esc(safety_text(catalog, drug, term, rates, hazards)).replace(chr(10), '<br>')}</td></tr>"
        for term in CLASS_SAFETY_TERMS
    )
    note = (
        f"<p style='color:{c.muted}'>Rates and intervals as printed; where events and patient-years are given, "
        "the exact (Garwood) interval, the exact conditional rate ratio and the Wald rate difference against "
        "the analysis' comparator are computed. Never compare rates across analyses.</p>"
    )
    return f"<table cellspacing='0' cellpadding='3' width='100%'>{rows}</table>{note}"


def _trials(catalog: Catalog, drug: Drug, c: PaneColours) -> str:
    """Each trial of the drug: its design facts with their level and source kind, and its note in full."""
    items = []
    for t in catalog.trials_among(catalog.trials_of(drug.id)):  # the drug's trials only, each made when read
        nct = f" ({esc(t.nct)})" if t.nct else ""
        note = f"<br><span style='color:{c.muted}'>{esc(t.note)}</span>" if t.note else ""
        items.append(
            f"<li><b>{esc(t.name)}</b>{nct}: {esc(trial_design(t))}"
            f"{_flag(catalog, t.source_id, t.level, c.muted)}{_cite(t.source_id, c.muted)}{note}</li>"
        )
    return f"<ul style='margin-top:0'>{''.join(items)}</ul>" if items else "<p>—</p>"


def _source_ids(catalog: Catalog, drug: Drug) -> list[str]:
    """Sources of the monograph first, then of the drug's trials, each once."""
    ids: list[str] = []
    for fact in (*drug.mechanism, *drug.approved_doses, *drug.half_life, *drug.boxed_warnings):
        ids.append(fact.source_id)
    ids += [s.source_id for s in drug.selectivity]
    ids += [a.source_id for a in drug.approvals]
    ids += [trial.source_id for trial in catalog.trials_among(catalog.trials_of(drug.id))]
    return [i for i in dict.fromkeys(ids) if i]


def _sources(catalog: Catalog, drug: Drug, c: PaneColours) -> str:
    items: list[str] = []
    for source_id in _source_ids(catalog, drug):
        source = catalog.source(source_id)
        if source is None:
            items.append(
                f'<li><a name="{esc(_anchor(source_id))}"></a>[{esc(source_id)}] (source not in the data)</li>'
            )
            continue
        # Double quotes: Qt's rich-text parser decodes entities only in double-quoted attribute values, so in
        # single quotes an escaped '&' or '<' (a query string, an old-style DOI) would stay "&amp;" in the link.
        links = " ".join(f'<a href="{esc(url)}">{esc(label)}</a>' for label, url in source.links())
        note = f" <span style='color:{c.muted}'>{esc(source.note)}</span>" if source.note else ""
        items.append(
            f'<li><a name="{esc(_anchor(source_id))}"></a>[{esc(source_id)}] {esc(source.short())}'
            + f" <i>({esc(kind_text(source.kind))})</i>"
            + (f"<br>{links}" if links else "")
            + f"{note}</li>"
        )
    return f"<ul style='margin-top:0'>{''.join(items)}</ul>" if items else "<p>—</p>"
