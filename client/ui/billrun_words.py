"""Bill runs in words: bill line kinds, TOU periods, run states, and the sentence and severity of a draft's anomaly.

The server sends codes (``LineKind``, ``TouPeriod``, ``RunState``, a ``DraftAnomaly``'s code and figures); this is
where the screens turn them into translated text, as ``client/ui/messages.py`` does for error codes. A draft's
anomaly is either one of the bill run's own codes (the period already billed, no tariff prices, the pricing
function's refusal) or a reading anomaly (``shared_models.methods.readings.AnomalyCode``), worded by
``client.ui.reading_words``.

Severity decides the review table's colour only: a draft that cannot be priced is an error, a reading that
looks wrong a warning, a note about how it was read (by hand, estimated, the first reading) information.
"""

from __future__ import annotations

import logging
from enum import IntEnum
from typing import TYPE_CHECKING, Final

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

from client.ui.messages import PRICING_REFUSALS
from client.ui.reading_words import anomaly_message
from shared_models.methods.billruns import DraftAnomaly, DraftRow, RunState
from shared_models.methods.readings import Anomaly, AnomalyCode
from shared_models.pricing import LineKind, PricedLine
from shared_models.tariffs import TouPeriod

if TYPE_CHECKING:
    def QT_TRANSLATE_NOOP(context: str, source: str) -> str:  # PySide6's stub says it returns object
        ...
else:
    from PySide6.QtCore import QT_TRANSLATE_NOOP

log = logging.getLogger(__name__)


class Severity(IntEnum):
    """How much a draft's findings matter to the clerk (higher is worse)."""

    NONE = 0
    INFO = 1
    WARNING = 2
    ERROR = 3


#: Text colour of a review row by its worst finding (NONE: the default colour).
SEVERITY_COLOURS: Final = {Severity.INFO: "#1f4e8c", Severity.WARNING: "#8a5a00", Severity.ERROR: "#b00020"}

LINE_KINDS: dict[str, str] = {
    LineKind.ENERGY: QT_TRANSLATE_NOOP("BillLines", "Energy charge"),
    LineKind.FREE_KWH: QT_TRANSLATE_NOOP("BillLines", "Free kWh"),
    LineKind.BASIC_CAPACITY: QT_TRANSLATE_NOOP("BillLines", "Basic charge (capacity)"),
    LineKind.BASIC_DEMAND: QT_TRANSLATE_NOOP("BillLines", "Basic charge (demand)"),
    LineKind.BASIC_DEMAND_OVER: QT_TRANSLATE_NOOP("BillLines", "Basic charge (demand over 105 %)"),
    LineKind.POWER_FACTOR: QT_TRANSLATE_NOOP("BillLines", "Power factor adjustment"),
    LineKind.FUND: QT_TRANSLATE_NOOP("BillLines", "Government funds"),
}

TOU_PERIODS: dict[str, str] = {
    TouPeriod.SHARP: QT_TRANSLATE_NOOP("BillLines", "critical peak"),
    TouPeriod.PEAK: QT_TRANSLATE_NOOP("BillLines", "peak"),
    TouPeriod.FLAT: QT_TRANSLATE_NOOP("BillLines", "flat"),
    TouPeriod.VALLEY: QT_TRANSLATE_NOOP("BillLines", "valley"),
    TouPeriod.DEEP_VALLEY: QT_TRANSLATE_NOOP("BillLines", "deep valley"),
}

RUN_STATES: dict[str, str] = {
    RunState.CALCULATING: QT_TRANSLATE_NOOP("BillRuns", "calculating"),
    RunState.CALCULATED: QT_TRANSLATE_NOOP("BillRuns", "calculated, in review"),
    RunState.RELEASED: QT_TRANSLATE_NOOP("BillRuns", "released"),
}

#: The bill run's own findings (``server.billing``, ``server.services.billruns``), besides the reading checks'
#: codes: the draft's inputs before pricing, and the pricing function's refusal.
DRAFT_ANOMALIES: dict[str, str] = {
    "already_billed": QT_TRANSLATE_NOOP("DraftAnomalies", "The period is already billed outside this run (bill "
                                        "{bill_no}): it is not priced again."),
    "no_tariff_version": QT_TRANSLATE_NOOP("DraftAnomalies", "Tariff {code} has no prices for the days {date_from} "
                                           "to {date_to}: the bill cannot be priced."),
    "pricing_refused": QT_TRANSLATE_NOOP("DraftAnomalies", "The tariff cannot price this consumption: {refusal}"),
}

#: A finding in two or three words, for a list of codes without their figures (BILL_NOT_PRICEABLE's ``anomalies``).
ANOMALY_NAMES: dict[str, str] = {
    "already_billed": QT_TRANSLATE_NOOP("DraftAnomalies", "already billed"),
    "no_tariff_version": QT_TRANSLATE_NOOP("DraftAnomalies", "no tariff prices"),
    "pricing_refused": QT_TRANSLATE_NOOP("DraftAnomalies", "refused by the tariff"),
    AnomalyCode.ZERO_STREAK: QT_TRANSLATE_NOOP("DraftAnomalies", "no consumption for several periods"),
    AnomalyCode.RISE_VS_PREVIOUS: QT_TRANSLATE_NOOP("DraftAnomalies", "rise against the previous period"),
    AnomalyCode.DROP_VS_PREVIOUS: QT_TRANSLATE_NOOP("DraftAnomalies", "drop against the previous period"),
    AnomalyCode.RISE_VS_LAST_YEAR: QT_TRANSLATE_NOOP("DraftAnomalies", "rise against last year"),
    AnomalyCode.DROP_VS_LAST_YEAR: QT_TRANSLATE_NOOP("DraftAnomalies", "drop against last year"),
    AnomalyCode.BELOW_PREVIOUS: QT_TRANSLATE_NOOP("DraftAnomalies", "reading below the previous one"),
    AnomalyCode.ROLLOVER: QT_TRANSLATE_NOOP("DraftAnomalies", "register rollover"),
    AnomalyCode.TOU_SUM_MISMATCH: QT_TRANSLATE_NOOP("DraftAnomalies", "time-of-use registers do not add up"),
    AnomalyCode.DEMAND_OVER_CONTRACT: QT_TRANSLATE_NOOP("DraftAnomalies", "demand above the contract"),
    AnomalyCode.LOW_POWER_FACTOR: QT_TRANSLATE_NOOP("DraftAnomalies", "low power factor"),
    AnomalyCode.OUTSIDE_WINDOW: QT_TRANSLATE_NOOP("DraftAnomalies", "read outside the window"),
    AnomalyCode.ESTIMATED: QT_TRANSLATE_NOOP("DraftAnomalies", "estimated"),
    AnomalyCode.MANUAL_ENTRY: QT_TRANSLATE_NOOP("DraftAnomalies", "entered by hand"),
    AnomalyCode.ESTIMATE_EXCEEDED: QT_TRANSLATE_NOOP("DraftAnomalies", "estimates exceed the reading"),
    AnomalyCode.NO_PREVIOUS: QT_TRANSLATE_NOOP("DraftAnomalies", "no earlier reading"),
}

_ERROR_CODES: Final = frozenset({"no_tariff_version", "pricing_refused", AnomalyCode.BELOW_PREVIOUS.value})
_INFO_CODES: Final = frozenset({AnomalyCode.MANUAL_ENTRY.value, AnomalyCode.ESTIMATED.value,
                                AnomalyCode.NO_PREVIOUS.value, AnomalyCode.ROLLOVER.value})
_READING_CODES: Final = frozenset(code.value for code in AnomalyCode)


class _KeepMissing(dict[str, object]):
    """format_map helper: an unknown ``{name}`` stays as it is instead of raising."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def line_kind_name(kind: str) -> str:
    """The translated name of a bill line's kind; unknown kinds as sent."""
    source = LINE_KINDS.get(kind)
    return QCoreApplication.translate("BillLines", source) if source else kind


def tou_period_name(period: str | None) -> str:
    """The translated name of a TOU period (empty for None)."""
    if period is None:
        return ""
    source = TOU_PERIODS.get(period)
    return QCoreApplication.translate("BillLines", source) if source else period


def run_state_name(state: str) -> str:
    """The translated name of a bill run's state."""
    source = RUN_STATES.get(state)
    return QCoreApplication.translate("BillRuns", source) if source else state


def line_title(line: PricedLine) -> str:
    """A line in words: its kind, then tier, TOU period and fund when it has them."""
    parts = [line_kind_name(line.kind)]
    if line.tier is not None:
        parts.append(QCoreApplication.translate("BillLines", "tier {tier}").format(tier=line.tier))
    if line.tou_period is not None:
        parts.append(tou_period_name(line.tou_period))
    if line.fund_name:
        parts.append(line.fund_name)
    return " · ".join(parts)


def draft_anomaly_message(anomaly: DraftAnomaly) -> str:
    """The translated sentence of a draft's finding, its figures filled in; an unknown code as sent."""
    if anomaly.code in _READING_CODES:
        figures = {key: str(value) for key, value in anomaly.params.items()}
        return anomaly_message(Anomaly(code=AnomalyCode(anomaly.code), figures=figures))
    source = DRAFT_ANOMALIES.get(anomaly.code)
    if source is None:
        log.warning("no sentence for draft anomaly %s", anomaly.code)
        return anomaly.code
    text = QCoreApplication.translate("DraftAnomalies", source)
    params: dict[str, object] = dict(anomaly.params)
    if anomaly.code == "pricing_refused" and str(params.get("refusal")) in PRICING_REFUSALS:
        params["refusal"] = QCoreApplication.translate("Pricing", PRICING_REFUSALS[str(params["refusal"])])
    try:
        return text.format_map(_KeepMissing(params))
    except (ValueError, IndexError, AttributeError, KeyError):  # a mangled translation must not crash
        log.warning("cannot fill draft anomaly template %r", text)
        return text


def anomaly_codes_text(codes: str) -> str:
    """A server's comma-separated finding codes (``"no_previous, manual_entry"``) in words; unknown codes as sent."""
    names = []
    for code in (c.strip() for c in codes.split(",")):
        if code:
            source = ANOMALY_NAMES.get(code)
            names.append(QCoreApplication.translate("DraftAnomalies", source) if source else code)
    return QCoreApplication.translate("DraftAnomalies", ", ").join(names) if names else codes


def anomaly_severity(code: str) -> Severity:
    """How much one finding matters."""
    if code in _ERROR_CODES:
        return Severity.ERROR
    if code in _INFO_CODES:
        return Severity.INFO
    return Severity.WARNING


def draft_severity(draft: DraftRow) -> Severity:
    """The worst finding of a draft; a draft that could not be priced is an error whatever its findings."""
    worst = max((anomaly_severity(a.code) for a in draft.anomalies), default=Severity.NONE)
    return Severity.ERROR if not draft.priced else worst


def severity_colour(severity: Severity) -> QColor | None:
    """The text colour of a row of ``severity`` (None: the default)."""
    name = SEVERITY_COLOURS.get(severity)
    return QColor(name) if name else None
