"""The customer's meters in service in a combo box, fetched with ``reading.list_readings``.

The reading dialog and the meter change dialog both open for a customer, fetch the customer's meters and
readings off the GUI thread (:func:`load_history`) and offer the meters not removed, each by asset number and
multiplier, with the customer named above (:func:`show_meters_in_service`).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from client.ui.context import UiContext
from client.ui.ops import Op
from client.ui.widgets.labels import wrapped_label
from shared_models.methods.readings import LIST_READINGS, ListReadingsRequest, ReadingHistory

# How many periods of readings a dialog fetches (the previous reading and corrections within two years).
HISTORY_PERIODS = 24


def customer_label(object_name: str, customer_no: str) -> QLabel:
    """The label naming the customer; it says the meters are loading until :func:`show_meters_in_service`."""
    return wrapped_label(object_name, QCoreApplication.translate(
        "MeterChoice", "Loading the meters of {customer_no}…").format(customer_no=customer_no))


def meter_combo(object_name: str) -> QComboBox:
    """An empty combo box as wide as its longest meter (the whole asset number shows)."""
    combo = QComboBox()
    combo.setObjectName(object_name)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    return combo


def load_history(parent: QWidget, ctx: UiContext, customer_no: str, *,
                 on_history: Callable[[ReadingHistory], object],
                 on_failure: Callable[[BaseException], object]) -> None:
    """Fetch the customer's meters and readings off the GUI thread; the answer goes to ``on_history``."""
    rpc = ctx.rpc
    Op(parent=parent, run=lambda: rpc.call(LIST_READINGS, ListReadingsRequest(customer_no=customer_no,
                                                                             periods=HISTORY_PERIODS)),
       key="history").on_success(on_history).on_failure(on_failure).start()


def show_meters_in_service(history: ReadingHistory, *, label: QLabel, combo: QComboBox, error_label: QLabel,
                           asset_no: str | None = None) -> bool:
    """Name the customer in ``label`` and put the meters in service in ``combo`` (``asset_no`` chosen when
    given), without signalling the change; says so in ``error_label`` when there is none. True when there is one.
    """
    label.setText(QCoreApplication.translate("MeterChoice", "{customer_no} {name} · book {book}").format(
        customer_no=history.customer_no, name=history.customer_name, book=history.book_code))
    combo.blockSignals(True)
    combo.clear()
    for meter in history.meters:
        if meter.removed_on is None:
            combo.addItem(QCoreApplication.translate("MeterChoice", "{asset_no} (multiplier {multiplier})").format(
                asset_no=meter.asset_no, multiplier=meter.multiplier), meter.asset_no)
    if asset_no is not None:
        combo.setCurrentIndex(max(0, combo.findData(asset_no)))
    combo.blockSignals(False)
    if combo.count() == 0:
        error_label.setText(QCoreApplication.translate("MeterChoice", "This customer has no meter in service."))
        return False
    return True
