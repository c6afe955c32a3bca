"""How long the counter's GUI thread stalls while a returned handheld file is checked, and what showing the
report costs it (issue 13: the GUI never stalls more than 50 ms while a file is validated).

The real widgets, offscreen: the hand-over screen's :class:`~client.ui.screens.handheld_report.ReportPanel` and an
:class:`~client.ui.ops.Op`, as the screen runs them. A 5 ms timer on the GUI thread records the longest gap
between its ticks while the Op works on the pool thread:

* ``offline``: ``validate_offline`` of the filled file against the package text (the link-down path: all Python,
  the worst case for the GIL the GUI thread shares);
* ``online``: the client's part of ``handheld.validate_upload`` — the file base64-encoded and the server's answer
  (JSON text, as received) parsed into the report model (the network wait holds no lock).

Then ``show_report`` of the report, on the GUI thread, timed as one call (the table model reset, sort and fit).
"""

from __future__ import annotations

import base64
import datetime as dt
import os
import time
from collections.abc import Callable
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def measure(package_text: str, content: bytes, answer_text: str, *, today: dt.date) -> dict[str, float]:
    """The stalls in milliseconds: ``offline_stall_ms``, ``online_stall_ms``, ``show_report_ms``."""
    from PySide6.QtCore import QCoreApplication, QElapsedTimer, QEvent, QEventLoop, QThreadPool, QTimer
    from PySide6.QtWidgets import QApplication

    from client.ui.ops import Op
    from client.ui.screens.handheld_report import ReportPanel
    from shared_models.handheld import ValidationReport
    from shared_models.rules.handheld_offline import validate_offline

    app = QApplication.instance() or QApplication([])
    panel = ReportPanel()
    panel.resize(1000, 700)
    panel.show()
    app.processEvents()

    def stall(work: Callable[[], Any]) -> tuple[float, Any]:
        clock, ticker, loop = QElapsedTimer(), QTimer(), QEventLoop()
        worst, last, result = [0.0], [0.0], [None]
        clock.start()

        def tick() -> None:
            now = clock.nsecsElapsed() / 1e6
            worst[0] = max(worst[0], now - last[0])
            last[0] = now

        def done(value: Any) -> None:
            tick()  # the gap up to the answer counts too
            result[0] = value
            loop.quit()

        ticker.timeout.connect(tick)
        ticker.start(5)
        Op(parent=panel, run=work).on_success(done).on_failure(done).start()
        loop.exec()
        ticker.stop()
        return worst[0], result[0]

    offline_ms, _ = stall(lambda: validate_offline(package_text, content, today=today))
    online_ms, report = stall(lambda: (base64.b64encode(content),
                                       ValidationReport.model_validate_json(answer_text))[1])
    if not isinstance(report, ValidationReport):
        raise RuntimeError(f"the report did not parse: {report!r}")
    started = time.perf_counter()
    panel.show_report(report, summary="bench")
    show_ms = (time.perf_counter() - started) * 1000
    app.processEvents()
    QThreadPool.globalInstance().waitForDone()
    panel.close()
    panel.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # gone before the interpreter exits
    return {"offline_stall_ms": offline_ms, "online_stall_ms": online_ms, "show_report_ms": show_ms}
