"""A small stacked-bar chart drawn with QPainter (the PySide6 wheel here ships no QtCharts).

Horizontal bars, one per row (a reader or a book), each split into segments (accepted, returned, on handheld,
not sent) drawn to one scale: the longest bar fills the plot. A legend names the segments above the plot (on
more lines when the widget is narrow); each
bar's label sits on its left and its total on its right. The widget only draws what it is given:
:meth:`set_data` takes the segments' names and colours and the rows' figures; :meth:`segment_rects` says where
each segment was drawn, so a test can look at the pixels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

# Pixels: the margin around the plot, the gap between bars, the legend's swatch.
_MARGIN = 6
_GAP = 4
_SWATCH = 10
_MIN_BAR = 14
_MAX_BAR = 26


@dataclass(frozen=True)
class Segment:
    """One kind of a bar's part: its name in the legend and its colour."""

    name: str
    color: QColor


@dataclass(frozen=True)
class Bar:
    """One row of the chart: its label and a non-negative figure per segment."""

    label: str
    values: tuple[int, ...]

    @property
    def total(self) -> int:
        """The whole bar."""
        return sum(self.values)


class StackedBars(QWidget):
    """Horizontal stacked bars to one scale, with a legend."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stackedBars")
        self.segments: list[Segment] = []
        self.bars: list[Bar] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setAutoFillBackground(True)

    def set_data(self, segments: Sequence[Segment], bars: Sequence[Bar]) -> None:
        """Draw ``bars`` (each with one figure per segment of ``segments``)."""
        if any(len(bar.values) != len(segments) or min(bar.values, default=0) < 0 for bar in bars):
            raise ValueError("each bar needs one non-negative figure per segment")
        self.segments, self.bars = list(segments), list(bars)
        self.updateGeometry()
        self.update()

    # --- geometry -----------------------------------------------------------------------------------------

    def legend_rects(self) -> list[tuple[QRect, QRect]]:
        """Per segment, its swatch and its name in the legend: left to right, on as many lines as the width needs."""
        metrics = self.fontMetrics()
        line = metrics.height()
        x, y, out = _MARGIN, _MARGIN, []
        for segment in self.segments:
            width = _SWATCH + _GAP + metrics.horizontalAdvance(segment.name) + 1
            if x > _MARGIN and x + width > self.width() - _MARGIN:
                x, y = _MARGIN, y + line
            out.append((QRect(x, y + (line - _SWATCH) // 2, _SWATCH, _SWATCH),
                        QRect(x + _SWATCH + _GAP, y, width - _SWATCH - _GAP, line)))
            x += width + 3 * _GAP
        return out

    def _legend_height(self) -> int:
        rects = self.legend_rects()
        bottom = max((text.bottom() + 1 for _, text in rects), default=_MARGIN)
        return bottom - _MARGIN + _GAP

    def _bar_height(self) -> int:
        if not self.bars:
            return _MAX_BAR
        room = self.height() - 2 * _MARGIN - self._legend_height() - _GAP * len(self.bars)
        return max(_MIN_BAR, min(_MAX_BAR, room // len(self.bars)))

    def _columns(self) -> tuple[int, int]:
        """The label column's width and the total column's width."""
        metrics = self.fontMetrics()
        label = max((metrics.horizontalAdvance(b.label) for b in self.bars), default=0)
        total = max((metrics.horizontalAdvance(str(b.total)) for b in self.bars), default=0)
        return label + _GAP, total + _GAP

    def _plot(self) -> QRect:
        label, total = self._columns()
        top = _MARGIN + self._legend_height()
        return QRect(_MARGIN + label, top, max(1, self.width() - 2 * _MARGIN - label - total),
                     max(1, self.height() - top - _MARGIN))

    def segment_rects(self) -> list[list[QRect]]:
        """Per bar, per segment, the rectangle drawn (an empty one for a zero figure)."""
        plot = self._plot()
        scale = max((b.total for b in self.bars), default=0)
        height = self._bar_height()
        out: list[list[QRect]] = []
        for row, bar in enumerate(self.bars):
            top = plot.top() + row * (height + _GAP)
            x, done, rects = plot.left(), 0, []
            for value in bar.values:
                done += value
                # Each edge from the running sum, so rounding never makes the parts outgrow the whole.
                right = plot.left() + (plot.width() * done // scale if scale else 0)
                rects.append(QRect(x, top, right - x, height))
                x = right
            out.append(rects)
        return out

    def sizeHint(self) -> QSize:
        """Room for the legend and every bar at a comfortable height."""
        rows = max(1, len(self.bars))
        return QSize(320, 2 * _MARGIN + self._legend_height() + rows * (_MAX_BAR + _GAP))

    def minimumSizeHint(self) -> QSize:
        """The legend and every bar at its smallest height."""
        rows = max(1, len(self.bars))
        return QSize(200, 2 * _MARGIN + self._legend_height() + rows * (_MIN_BAR + _GAP))

    # --- painting -----------------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        """The legend, then each bar with its label and total."""
        del event
        painter = QPainter(self)
        try:
            self._paint_legend(painter)
            self._paint_bars(painter)
        finally:
            painter.end()

    def _paint_legend(self, painter: QPainter) -> None:
        text_pen = QPen(self.palette().windowText().color())
        for segment, (swatch, text) in zip(self.segments, self.legend_rects(), strict=True):
            painter.fillRect(swatch, segment.color)
            painter.setPen(text_pen)
            painter.drawText(text, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, segment.name)

    def _paint_bars(self, painter: QPainter) -> None:
        plot = self._plot()
        text_pen = QPen(self.palette().windowText().color())
        for bar, rects in zip(self.bars, self.segment_rects(), strict=True):
            for segment, rect in zip(self.segments, rects, strict=True):
                if rect.width() > 0:
                    painter.fillRect(rect, segment.color)
            row = rects[0] if rects else QRect(plot.left(), plot.top(), 0, self._bar_height())
            painter.setPen(text_pen)
            painter.drawText(QRect(_MARGIN, row.top(), plot.left() - _MARGIN - _GAP, row.height()),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, bar.label)
            end = rects[-1].right() + 1 if rects else plot.left()
            painter.drawText(QRect(end + _GAP, row.top(), self.width() - end - _GAP, row.height()),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, str(bar.total))
