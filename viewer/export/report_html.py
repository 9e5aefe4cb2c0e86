"""The report as one self-contained HTML page: well-formed (XHTML syntax, so any XML parser reads it), no
script, every citation a link, the chart as inline SVG. The same markup, with a placeholder for the chart,
is what :mod:`viewer.export.report_pdf` lays out with Qt's rich-text engine, so the two files say the same.

Every piece of text comes from data files and is escaped here; only http(s) links are ever written
(:meth:`viewer.domain.model.Source.links`).
"""

from __future__ import annotations

import re
from html import escape

from viewer.export.report_content import LEVEL_MARKS, ReportContent

CHART_PLACEHOLDER = "[[drug-viewer chart]]"
_PROLOGUE = re.compile(rb"^\s*(<\?xml[^>]*\?>)?\s*(<!DOCTYPE[^>]*>)?\s*", re.IGNORECASE)

STYLE = """
body { font-family: 'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif; font-size: 9pt; color: #1a1a1a;
       max-width: 60em; margin: 1.5em auto; line-height: 1.35; }
h1 { font-size: 15pt; margin: 0 0 0.2em 0; }
h2 { font-size: 11pt; margin: 1.0em 0 0.3em 0; color: #1d4f86; }
p.meta { color: #555555; margin: 0 0 0.6em 0; }
table { border-collapse: collapse; margin: 0.2em 0; }
table.numbers { width: 100%; }
th { font-size: 7pt; text-align: left; border-bottom: 1px solid #888888; padding: 2px 3px; background: #eef3f9; }
td { font-size: 7pt; padding: 1px 3px; border-bottom: 1px solid #dddddd; vertical-align: top; }
table.comparison td { font-size: 9pt; padding: 1px 8px 1px 0; border-bottom: none; }
div.chart svg { width: 100%; height: auto; }
p.caveat { border-left: 3px solid #c77c02; padding-left: 6px; }
ul.boxed li { margin-bottom: 2px; }
ol.citations li { margin-bottom: 2px; }
p.small { font-size: 7.5pt; color: #555555; }
code { font-family: 'DejaVu Sans Mono', monospace; font-size: 7pt; }
"""


def inline_svg(svg: bytes) -> str:
    """Qt's SVG document without its XML prologue, to sit inside the HTML body."""
    return _PROLOGUE.sub(b"", svg, count=1).decode("utf-8")


def _columns(content: ReportContent) -> tuple[tuple[str, int], ...]:
    """Table headings with their share of the width (Qt's layout needs it to keep drug names whole)."""
    heads = content.headings or (
        "Arm", "Trial", "n/N", "Rate (95% CI)", "Placebo n/N", content.effect_title, "NNT/NNH",
    )  # fmt: skip
    return (*zip(heads, (17, 13, 8, 14, 8, 14, 15), strict=True), ("Lvl", 5), ("Ref", 6))


def _cite(number: int) -> str:
    return f'<a href="#ref-{number}">[{number}]</a>'


def _table_head(content: ReportContent, *, new_page: bool) -> str:
    style = ' style="page-break-before: always"' if new_page else ""
    heads = "".join(f'<th width="{w}%">{escape(h)}</th>' for h, w in _columns(content))
    return f'<table class="numbers"{style}>\n<thead><tr>{heads}</tr></thead>\n<tbody>'


def _pooled_table(content: ReportContent) -> list[str]:
    """The forest plot's pooled diamonds as rows (none unless pooling was asked for and done)."""
    if not content.pooled:
        return []
    e = escape
    heads = ("Pooled dose", "Trials", "Patients", content.effect_title, "Heterogeneity", "95% prediction", "Lvl")
    out = ["<h2>Pooled estimates</h2>", '<table class="pooled">', "<thead><tr>"]
    out += [f"<th>{e(h)}</th>" for h in heads] + ["</tr></thead>", "<tbody>"]
    for p in content.pooled:
        cells = (p.trials, str(p.patients), p.effect, p.heterogeneity, p.prediction or "–")
        out.append(
            f"<tr><td><b>{e(p.group)}</b></td>{''.join(f'<td>{e(c)}</td>' for c in cells)}"
            f'<td title="{e(p.level.value)}">{LEVEL_MARKS[p.level]}</td></tr>'
        )
    return [*out, "</tbody>", "</table>"]


def report_markup(content: ReportContent, chart: str, page_starts: frozenset[int] = frozenset()) -> str:
    """The report as an XHTML-syntax HTML document; ``chart`` is the chart's markup (inline SVG or a
    placeholder paragraph for the PDF). ``page_starts``: indices of table rows that begin a new page (the
    PDF's pagination; the table is closed there and reopened with its header on the next page)."""
    e = escape
    out = [
        "<!DOCTYPE html>",
        '<html xmlns="http://www.w3.org/1999/xhtml" lang="en">',
        "<head>",
        '<meta charset="utf-8" />',
        f"<title>{e(content.title)} (drug-viewer report)</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        f"<h1>{e(content.title)}</h1>",
        f'<p class="meta">drug-viewer {e(content.app_version)} report, {e(content.generated)}</p>',
        '<table class="comparison">',
        *(f"<tr><td><b>{e(what)}</b></td><td>{e(chosen)}</td></tr>" for what, chosen in content.comparison),
        "</table>",
        f'<div class="chart">{chart}</div>',
        "<h2>Plotted numbers</h2>",
        _table_head(content, new_page=False),
    ]
    for index, row in enumerate(content.rows):
        if index in page_starts:
            out += ["</tbody>", "</table>", _table_head(content, new_page=True)]
        arm = f"<b>{e(row.drug)}</b> {e(row.arm)}"
        trial = e(row.trial) + (f"<br />{e(row.nct)}" if row.nct else "")
        cells = (arm, trial, row.counts, row.rate, row.placebo, row.effect, row.nnt)
        tds = [f"<td>{c if i < 2 else e(c)}</td>" for i, c in enumerate(cells)]
        mark = f'<td title="{e(row.level.value)}">{LEVEL_MARKS[row.level]}</td>'
        out.append(f"<tr>{''.join(tds)}{mark}<td>{_cite(row.citation)}</td></tr>")
    out += [
        "</tbody>",
        "</table>",
        f'<p class="small">{e(content.level_key)} * count derived from a reported percentage and n.</p>',
        *_pooled_table(content),
        "<h2>Methods</h2>",
        f"<p>{e(content.methods)}</p>",
        "<h2>Caveats</h2>",
        *(f'<p class="caveat">{e(c)}</p>' for c in content.caveats),
    ]
    if content.warnings:
        out += ["<h2>Boxed warnings</h2>", '<ul class="boxed">']
        out += [
            f"<li><b>{e(w.drug)}</b>: {e(w.text)} {LEVEL_MARKS[w.level]} {_cite(w.citation)}</li>"
            for w in content.warnings
        ]
        out.append("</ul>")
    out += ["<h2>Sources</h2>", '<ol class="citations">']
    for c in content.citations:
        links = "".join(f' <a href="{e(link.url)}">{e(link.label)}</a>' for link in c.links)
        out.append(f'<li id="ref-{c.number}">{e(c.text)}{links}</li>')
    out += ["</ol>", "<h2>Data</h2>", "<ul>"]
    out += [f"<li>{e(d.label)} ({e(d.where)}), SHA-256 <code>{e(d.sha256)}</code></li>" for d in content.datasets]
    out += [
        "</ul>",
        f'<p class="small">Made with drug-viewer {e(content.app_version)}. {e(content.disclaimer)}</p>',
        "</body>",
        "</html>",
    ]
    return "\n".join(out) + "\n"


def report_html(content: ReportContent, svg: bytes) -> str:
    return report_markup(content, inline_svg(svg))
