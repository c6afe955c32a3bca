"""Meter readings in words: register, status and source names, and the sentence of each reading anomaly.

The server sends codes and figures (``shared_models.methods.readings``); this is where they become text, as
``client/ui/messages.py`` does for error codes. The strings are marked with ``QT_TRANSLATE_NOOP`` so lupdate
extracts them and translated when shown; each sentence's ``{placeholders}`` are the anomaly's figures.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from shared_models.methods.readings import Anomaly, AnomalyCode, ReadingSource, ReadingStatus, Register

if TYPE_CHECKING:
    def QT_TRANSLATE_NOOP(context: str, source: str) -> str:  # PySide6's stub says it returns object
        ...
else:
    from PySide6.QtCore import QT_TRANSLATE_NOOP

log = logging.getLogger(__name__)

REGISTER_NAMES: dict[str, str] = {
    Register.TOTAL: QT_TRANSLATE_NOOP("Readings", "total"),
    Register.SHARP: QT_TRANSLATE_NOOP("Readings", "critical peak"),
    Register.PEAK: QT_TRANSLATE_NOOP("Readings", "peak"),
    Register.FLAT: QT_TRANSLATE_NOOP("Readings", "flat"),
    Register.VALLEY: QT_TRANSLATE_NOOP("Readings", "valley"),
    Register.DEEP_VALLEY: QT_TRANSLATE_NOOP("Readings", "deep valley"),
    Register.REACTIVE: QT_TRANSLATE_NOOP("Readings", "reactive"),
    Register.DEMAND: QT_TRANSLATE_NOOP("Readings", "maximum demand"),
    Register.REVERSE_ACTIVE: QT_TRANSLATE_NOOP("Readings", "reverse active"),
}

STATUS_NAMES: dict[str, str] = {
    ReadingStatus.ACTUAL: QT_TRANSLATE_NOOP("Readings", "read"),
    ReadingStatus.ESTIMATED: QT_TRANSLATE_NOOP("Readings", "estimated"),
    ReadingStatus.NO_ACCESS: QT_TRANSLATE_NOOP("Readings", "no access"),
    ReadingStatus.METER_FAULT: QT_TRANSLATE_NOOP("Readings", "meter fault"),
    ReadingStatus.METER_CHANGED: QT_TRANSLATE_NOOP("Readings", "meter changed"),
}

SOURCE_NAMES: dict[str, str] = {
    ReadingSource.HANDHELD: QT_TRANSLATE_NOOP("Readings", "handheld"),
    ReadingSource.MANUAL: QT_TRANSLATE_NOOP("Readings", "entered by hand"),
    ReadingSource.IMPORT: QT_TRANSLATE_NOOP("Readings", "imported"),
}

#: The ``problem`` of READING_DATE_INVALID and METER_CHANGE_INVALID.
PROBLEMS: dict[str, str] = {
    "future": QT_TRANSLATE_NOOP("Readings", "the date is in the future"),
    "before_installation": QT_TRANSLATE_NOOP("Readings", "the meter was not installed yet"),
    "not_after_previous": QT_TRANSLATE_NOOP("Readings", "it is not later than the previous reading"),
    "not_a_change": QT_TRANSLATE_NOOP("Readings", "only a meter change reading names an old meter's final reading"),
    "not_a_final": QT_TRANSLATE_NOOP("Readings", "it is not the final reading of a replaced meter"),
    "same_meter": QT_TRANSLATE_NOOP("Readings", "it is a reading of the same meter"),
    "other_customer": QT_TRANSLATE_NOOP("Readings", "it belongs to another customer or was corrected"),
    "superseded": QT_TRANSLATE_NOOP("Readings", "it has been corrected since"),
    "other_period": QT_TRANSLATE_NOOP("Readings", "it is of another period"),
    "taken": QT_TRANSLATE_NOOP("Readings", "another new meter already starts from it"),
}

#: The figures of a new meter that METER_SPEC_INVALID names (``field``).
METER_FIELDS: dict[str, str] = {
    "digits": QT_TRANSLATE_NOOP("Readings", "number of digits"),
    "ct_ratio": QT_TRANSLATE_NOOP("Readings", "current transformer ratio"),
    "pt_ratio": QT_TRANSLATE_NOOP("Readings", "voltage transformer ratio"),
}

ANOMALY_MESSAGES: dict[AnomalyCode, str] = {
    AnomalyCode.ZERO_STREAK: QT_TRANSLATE_NOOP(
        "Anomalies", "No consumption for {count} periods in a row."),
    AnomalyCode.RISE_VS_PREVIOUS: QT_TRANSLATE_NOOP(
        "Anomalies", "Consumption {kwh} kWh is {change_pct} % against the previous period's {previous_kwh} kWh "
        "(limit +{limit_pct} %)."),
    AnomalyCode.DROP_VS_PREVIOUS: QT_TRANSLATE_NOOP(
        "Anomalies", "Consumption {kwh} kWh is {change_pct} % against the previous period's {previous_kwh} kWh "
        "(limit −{limit_pct} %)."),
    AnomalyCode.RISE_VS_LAST_YEAR: QT_TRANSLATE_NOOP(
        "Anomalies", "Consumption {kwh} kWh is {change_pct} % against the same month last year, {last_year_kwh} kWh "
        "(limit +{limit_pct} %)."),
    AnomalyCode.DROP_VS_LAST_YEAR: QT_TRANSLATE_NOOP(
        "Anomalies", "Consumption {kwh} kWh is {change_pct} % against the same month last year, {last_year_kwh} kWh "
        "(limit −{limit_pct} %)."),
    AnomalyCode.BELOW_PREVIOUS: QT_TRANSLATE_NOOP(
        "Anomalies", "The {register} register reads {current}, below the previous {previous}, and no rollover or "
        "meter change is recorded."),
    AnomalyCode.ROLLOVER: QT_TRANSLATE_NOOP(
        "Anomalies", "The {register} register passed its highest value and started again from zero (confirmed by "
        "the reader)."),
    AnomalyCode.TOU_SUM_MISMATCH: QT_TRANSLATE_NOOP(
        "Anomalies", "The time-of-use registers add up to {tou_kwh} kWh, but the total register shows "
        "{total_kwh} kWh."),
    AnomalyCode.DEMAND_OVER_CONTRACT: QT_TRANSLATE_NOOP(
        "Anomalies", "Maximum demand {demand_kw} kW is above 105 % of the contract demand {contract_kw} kW "
        "({limit_kw} kW)."),
    AnomalyCode.LOW_POWER_FACTOR: QT_TRANSLATE_NOOP(
        "Anomalies", "The power factor {power_factor} is below its standard {standard}."),
    AnomalyCode.OUTSIDE_WINDOW: QT_TRANSLATE_NOOP(
        "Anomalies", "Read on {read_on}, outside the book's reading window {window_from} to {window_to}."),
    AnomalyCode.ESTIMATED: QT_TRANSLATE_NOOP(
        "Anomalies", "The consumption is estimated ({status}), not read."),
    AnomalyCode.MANUAL_ENTRY: QT_TRANSLATE_NOOP(
        "Anomalies", "The reading was entered by hand."),
    AnomalyCode.ESTIMATE_EXCEEDED: QT_TRANSLATE_NOOP(
        "Anomalies", "The {register} register advanced {read_kwh} kWh, less than the {estimated_kwh} kWh billed as "
        "estimates meanwhile: a refund is due."),
    AnomalyCode.NO_PREVIOUS: QT_TRANSLATE_NOOP(
        "Anomalies", "There is no earlier reading to compute the consumption from."),
}


class _KeepMissing(dict[str, object]):
    """format_map helper: an unknown ``{name}`` stays as it is instead of raising."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def register_name(code: str) -> str:
    """The translated name of a register (``"peak"`` -> ``"峰"``); unknown codes as sent."""
    source = REGISTER_NAMES.get(code)
    return QCoreApplication.translate("Readings", source) if source else code


def status_name(code: str) -> str:
    """The translated name of a reading status; unknown codes as sent."""
    source = STATUS_NAMES.get(code)
    return QCoreApplication.translate("Readings", source) if source else code


def source_name(code: str) -> str:
    """The translated name of where a reading came from; unknown codes as sent."""
    source = SOURCE_NAMES.get(code)
    return QCoreApplication.translate("Readings", source) if source else code


def reading_problem(code: str) -> str:
    """The translated words of a reading refusal's ``problem``; other problems as sent."""
    source = PROBLEMS.get(code)
    return QCoreApplication.translate("Readings", source) if source else code


def anomaly_message(anomaly: Anomaly) -> str:
    """The translated sentence of an anomaly, its figures filled in (register and status names translated)."""
    source = ANOMALY_MESSAGES.get(anomaly.code)
    if source is None:  # only if AnomalyCode grew without this table; the i18n test catches that
        log.error("no sentence for anomaly %s", anomaly.code)
        return anomaly.code.value
    figures: dict[str, object] = dict(anomaly.figures)
    if "register" in figures:
        figures["register"] = register_name(str(figures["register"]))
    if "status" in figures:
        figures["status"] = status_name(str(figures["status"]))
    text = QCoreApplication.translate("Anomalies", source)
    try:
        return text.format_map(_KeepMissing(figures))
    except (ValueError, IndexError, AttributeError, KeyError):  # a mangled translation must not crash
        log.warning("cannot fill anomaly template %r", text)
        return text


def translate_reading_params(params: Mapping[str, object]) -> dict[str, object]:
    """An error's parameters with the register, problem and status codes of the reading refusals, and the new
    meter's figure of a meter change refusal, in words."""
    shown = dict(params)
    if isinstance(shown.get("register"), str):
        shown["register"] = register_name(str(shown["register"]))
    if isinstance(shown.get("problem"), str):
        shown["problem"] = reading_problem(str(shown["problem"]))
    if isinstance(shown.get("status"), str):
        shown["status"] = status_name(str(shown["status"]))
    if isinstance(shown.get("field"), str) and shown["field"] in METER_FIELDS:
        shown["field"] = QCoreApplication.translate("Readings", METER_FIELDS[str(shown["field"])])
    return shown
