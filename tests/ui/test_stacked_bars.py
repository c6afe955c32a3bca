# pytest-qt's QtBot is untyped:
# mypy: disable-error-code="no-untyped-call"
"""The QPainter stacked-bar chart and how the progress screen splits a reader's figures into its parts."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from client.ui.screens.reading_progress_screen import bar_parts
from client.ui.widgets.stacked_bars import Bar, Segment, StackedBars

SEGMENTS = [Segment("a", QColor("#2e7d32")), Segment("b", QColor("#1565c0"))]


def test_parts_never_negative() -> None:
    """Accepted, returned-not-accepted, on handheld, not sent; a book sent with more records than it has now
    (a meter removed since) gives no negative "not sent"."""
    assert bar_parts(records=10, sent=8, returned=5, accepted=3) == (3, 2, 3, 2)
    assert bar_parts(records=2, sent=3, returned=0, accepted=0) == (0, 0, 3, 0)


def test_bars_to_one_scale_in_their_colours(qtbot: QtBot) -> None:
    """The longest bar fills the plot; a bar of half its total is half as long; each part in its colour."""
    chart = StackedBars()
    qtbot.addWidget(chart)
    chart.resize(400, 200)
    chart.set_data(SEGMENTS, [Bar("one", (30, 10)), Bar("two", (0, 20))])
    chart.show()
    qtbot.waitExposed(chart)
    (a1, b1), (a2, b2) = chart.segment_rects()
    assert abs(a1.width() - 3 * b1.width()) <= 1
    assert a2.width() == 0
    assert abs(b2.width() - (a1.width() + b1.width()) / 2) <= 1
    image = chart.grab().toImage()
    ratio = chart.devicePixelRatioF()
    for rect, segment in ((a1, SEGMENTS[0]), (b1, SEGMENTS[1]), (b2, SEGMENTS[1])):
        pixel = image.pixelColor(int(rect.center().x() * ratio), int(rect.center().y() * ratio))
        assert pixel.name() == segment.color.name()


@pytest.mark.parametrize("values", [(1,), (1, 2, 3), (1, -1)])
def test_refuses_bars_that_do_not_fit_the_segments(qtbot: QtBot, values: tuple[int, ...]) -> None:
    """A bar needs one non-negative figure per segment."""
    chart = StackedBars()
    qtbot.addWidget(chart)
    with pytest.raises(ValueError, match="one non-negative figure per segment"):
        chart.set_data(SEGMENTS, [Bar("x", values)])
    assert chart.bars == []


def test_empty_chart_paints(qtbot: QtBot) -> None:
    """No readers: the legend only, no failure."""
    chart = StackedBars()
    qtbot.addWidget(chart)
    chart.set_data(SEGMENTS, [])
    chart.resize(300, 100)
    assert not chart.grab().isNull()
    assert chart.segment_rects() == []
