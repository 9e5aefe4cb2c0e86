"""The report as a PDF: real text (searchable, fonts embedded by Qt's PDF engine), the chart as vector
paths, A4 pages that break between table rows, the table's header repeated on each page.

Qt's rich-text engine lays out the same markup as the HTML report (:func:`report_markup`) with a
placeholder paragraph where the chart goes; the placeholder is given the chart's height, the document is
paginated, and the chart is painted by :func:`viewer.plot.offscreen.paint_chart` into the place the
placeholder took, straight into the PDF painter, so it stays vector graphics.
"""

from __future__ import annotations

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QFont,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextBlock,
    QTextBlockFormat,
    QTextDocument,
    QTextTable,
)

from viewer.export.figures import byte_buffer, offscreen_chart
from viewer.export.report_content import ReportContent
from viewer.export.report_html import CHART_PLACEHOLDER, report_markup
from viewer.plot.offscreen import paint_chart

RESOLUTION = 96  # the chart's logical DPI: its text is laid out in screen pixels (text stays vector)
MARGIN_MM = 14.0
FOOTER_PT = 14.0
CHART_LOGICAL = (1000, 640)  # the chart's layout size in screen pixels; drawn scaled to the text width
TABLE_CLOSE = 12.0  # room left on a page for closing the table (its bottom margin and border), in pixels


def _layout(pdf: QPdfWriter, markup: str, page: QSizeF, chart_height: float) -> tuple[QTextDocument, QTextBlock]:
    """The report laid out on pages of ``page`` size, the chart's placeholder ``chart_height`` tall."""
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(pdf)
    doc.setDefaultFont(QFont("DejaVu Sans", 9))
    doc.setDocumentMargin(0)
    doc.setHtml(markup)
    found = doc.find(CHART_PLACEHOLDER)
    block_format = QTextBlockFormat(found.blockFormat())
    block_format.setLineHeight(chart_height, QTextBlockFormat.LineHeightTypes.FixedHeight.value)
    found.setBlockFormat(block_format)
    found.insertText(" ")
    doc.setPageSize(page)  # after the edits: a full layout (edits after a layout leave it partly stale)
    doc.pageCount()
    return doc, found.block()


def _numbers_table(doc: QTextDocument) -> QTextTable:
    tables = [f for f in doc.rootFrame().childFrames() if isinstance(f, QTextTable)]
    return max(tables, key=lambda t: t.columns())


def page_starts(pdf: QPdfWriter, content: ReportContent, page: QSizeF, chart_height: float) -> frozenset[int]:
    """The table rows that must start a new page so that no row is cut by a page break.

    Qt paginates a table line by line, so a row of wrapped cells would be cut in two. The rows are
    measured once on an endless page, then packed onto the real pages: where the next row no longer
    fits, the table is closed and reopened with its header on a new page (:func:`report_markup`).
    """
    markup = report_markup(content, f"<p>{CHART_PLACEHOLDER}</p>")
    paged, _ = _layout(pdf, markup, page, chart_height)
    table_top = paged.documentLayout().frameBoundingRect(_numbers_table(paged)).top()
    endless, _ = _layout(pdf, markup, QSizeF(page.width(), 1e9), chart_height)
    layout = endless.documentLayout()
    table = _numbers_table(endless)
    frame = layout.frameBoundingRect(table)
    tops = [
        layout.blockBoundingRect(table.cellAt(r, 0).firstCursorPosition().block()).top() for r in range(table.rows())
    ]
    bounds = [*tops[1:], frame.bottom()]
    header = tops[1] - frame.top() if len(tops) > 1 else 0.0
    starts = set()
    used = table_top % page.height() + header
    for index, (top, bottom) in enumerate(zip(tops[1:], bounds[1:], strict=True)):
        height = bottom - top
        if used + height > page.height() - TABLE_CLOSE and used > header:
            starts.add(index)
            used = header
        used += height
    return frozenset(starts)


def report_pdf(content: ReportContent) -> bytes:
    """The PDF bytes of ``content`` (an application must exist: :func:`viewer.export.ensure_app`)."""
    chart_w, chart_h = CHART_LOGICAL
    with offscreen_chart(content.spec, chart_w, chart_h, 1.0) as widget, byte_buffer() as (buffer, data):
        pdf = QPdfWriter(buffer)
        pdf.setResolution(RESOLUTION)
        pdf.setPageLayout(
            QPageLayout(
                QPageSize(QPageSize.PageSizeId.A4),
                QPageLayout.Orientation.Portrait,
                QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
                QPageLayout.Unit.Millimeter,
            )
        )
        pdf.setTitle(f"{content.title} (drug-viewer report)")
        pdf.setCreator(f"drug-viewer {content.app_version}")
        footer = FOOTER_PT / 72.0 * RESOLUTION
        page = QSizeF(pdf.width(), pdf.height() - footer)

        target_w = page.width()
        target_h = target_w * widget.height() / widget.width()
        starts = page_starts(pdf, content, page, target_h)
        doc, block = _layout(pdf, report_markup(content, f"<p>{CHART_PLACEHOLDER}</p>", starts), page, target_h)
        pages = doc.pageCount()
        place = doc.documentLayout().blockBoundingRect(block)
        chart_page = int(place.top() // page.height())

        painter = QPainter(pdf)
        try:
            for index in range(pages):
                if index:
                    pdf.newPage()
                painter.save()
                painter.translate(0, -index * page.height())
                doc.drawContents(painter, QRectF(0, index * page.height(), page.width(), page.height()))
                painter.restore()
                if index == chart_page:
                    painter.save()
                    painter.translate(place.left(), place.top() - index * page.height())
                    paint_chart(widget, painter, target_w, target_h)
                    painter.restore()
                painter.setFont(QFont("DejaVu Sans", 7))
                painter.setPen(Qt.GlobalColor.darkGray)
                painter.drawText(
                    QRectF(0, page.height(), page.width(), footer),
                    int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom),
                    f"drug-viewer {content.app_version} · {content.generated} · page {index + 1} of {pages}",
                )
        finally:
            painter.end()
    return bytes(data.data())
