"""Meter readings (SPEC C5, DOMAIN §9): manual entry and correction with a supervisor's co-sign, the history,
and what the bill runs read (a customer's period consumption as ``Usage``, and its anomalies).

A reading is validated before anything is written: the meter exists and is in service (a removed meter takes
only its final 换表 reading), the customer is not closed, the date is plausible, every register of the meter
has a value (none for 门闭 and 表坏) and no register the meter lacks, a value below the previous one needs a
confirmed rollover, and a period has one reading of each kind unless the new one corrects the current one.
Each refusal is an ``AppError`` and changes nothing. Corrections are new rows (``supersedes_id``); the meter row
is locked (FOR NO KEY UPDATE) so two entries for one meter take turns, and the unique indexes refuse what a
race would still let through.

A meter change (换表, :func:`change_meter`) writes the old meter's final reading, removes the old meter,
installs the new one and writes its start reading in one transaction, after the same checks and its own (the
new asset number unused, the period not billed yet, the new meter's registers covering the tariff's needs).

The arithmetic and the checks are pure: ``shared_models.rules.reading_consumption`` and
``shared_models.rules.reading_anomalies``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import BigInteger, Exists, String, any_, bindparam, exists, func, select, type_coerce
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from server.context import CallContext
from server.errors import AppError
from server.models.billing import Bill
from server.models.billruns import BillRun
from server.models.customers import Customer, Meter, TariffVersion
from server.models.readings import AnomalyThreshold, Reading, ReadingBook
from server.models.terms import CustomerTermsRow
from server.models.users import User
from server.services.tariffs import stored_doc
from shared_models.errors import ErrorCode
from shared_models.methods.billruns import RunState
from shared_models.methods.customers import CustomerCategory, CustomerStatus
from shared_models.methods.readings import (
    TOU_REGISTERS,
    WITHOUT_VALUES,
    Anomaly,
    ChangeMeterRequest,
    EnterReadingRequest,
    ListReadingsRequest,
    MeterChangeView,
    MeterView,
    ReadingHistory,
    ReadingSource,
    ReadingStatus,
    ReadingView,
    Register,
    is_valid_period,
)
from shared_models.pricing import Usage
from shared_models.rules import reading_anomalies as checks
from shared_models.rules.hall_time import business_date
from shared_models.rules.reading_anomalies import DEFAULT_THRESHOLDS, BookWindow, Thresholds
from shared_models.rules.reading_consumption import (
    Consumption,
    ConsumptionError,
    ConsumptionHistory,
    MeterSpec,
    ReadingPoint,
    consumption_for,
)
from shared_models.tariffs import DemandBasis

_ID_ARRAY = ARRAY(BigInteger)


# --- what the bill runs read ---------------------------------------------------------------------------------

def meter_spec(meter: Meter) -> MeterSpec:
    """The arithmetic's view of a meter row."""
    return MeterSpec(meter_id=meter.id, multiplier=meter.multiplier, digits=meter.digits,
                     registers=frozenset(Register(r) for r in meter.registers))


def reading_point(row: Reading) -> ReadingPoint:
    """The arithmetic's view of a reading row."""
    return ReadingPoint(reading_id=row.id, meter_id=row.meter_id, period=row.period, read_on=row.read_on,
                        status=row.status, values=row.values(), rollover_confirmed=row.rollover_confirmed,
                        old_final_id=row.old_final_id, source=row.source)


def _superseded() -> Exists:
    later = aliased(Reading)
    return exists().where(later.supersedes_id == Reading.id)


def current_readings(session: Session, meter_ids: Iterable[int]) -> list[Reading]:
    """The readings of these meters that no correction superseded, by meter and period."""
    ids = list(meter_ids)
    if not ids:
        return []
    return list(session.scalars(
        select(Reading).where(Reading.meter_id.in_(ids), ~_superseded()).order_by(Reading.meter_id, Reading.period,
                                                                                  Reading.id)))


def customer_history(session: Session, customer_id: int) -> tuple[list[MeterSpec], list[ReadingPoint]]:
    """A customer's meters and their current readings, as
    :func:`shared_models.rules.reading_consumption.usage_for` takes them."""
    return customer_histories(session, [customer_id]).get(customer_id, ([], []))


def customer_histories(session: Session, customer_ids: Sequence[int], *, since_period: int | None = None
                       ) -> dict[int, tuple[list[MeterSpec], list[ReadingPoint]]]:
    """The meters and current readings of many customers in two statements (a bill run over a book), by customer
    id; ``since_period`` leaves out older readings (a period's consumption needs its previous reading, and the
    same month last year for the checks: 13 months back is enough unless estimates run longer). The ids travel as
    one array parameter, so a whole book fits in one call. The rows are read as plain tuples (no ORM rows, the
    status and source looked up by value): a bill run reads a few per customer."""
    connection = session.connection()
    meters = connection.execute(
        select(Meter.id, Meter.customer_id, Meter.multiplier, Meter.digits, Meter.registers)
        .where(Meter.customer_id == any_(bindparam("ids", list(customer_ids), type_=_ID_ARRAY)))
        .order_by(Meter.customer_id, Meter.id)).all()
    out: dict[int, tuple[list[MeterSpec], list[ReadingPoint]]] = {}
    owner: dict[int, list[ReadingPoint]] = {}
    register_sets: dict[tuple[str, ...], frozenset[Register]] = {}
    for meter_id, customer_id, multiplier, digits, registers in meters:
        key = tuple(registers)
        if key not in register_sets:
            register_sets[key] = frozenset(Register(r) for r in registers)
        found = out.setdefault(customer_id, ([], []))
        found[0].append(MeterSpec(meter_id=meter_id, multiplier=multiplier, digits=digits,
                                  registers=register_sets[key]))
        owner[meter_id] = found[1]
    if not owner:
        return out
    columns = [getattr(Reading, r.value) for r in Register]
    stmt = (select(Reading.id, Reading.meter_id, Reading.period, Reading.read_on, type_coerce(Reading.status, String),
                   Reading.rollover_confirmed, Reading.old_final_id, type_coerce(Reading.source, String), *columns)
            .where(Reading.meter_id == any_(bindparam("meter_ids", list(owner), type_=_ID_ARRAY)), ~_superseded())
            .order_by(Reading.meter_id, Reading.period))
    if since_period is not None:
        stmt = stmt.where(Reading.period >= since_period)
    statuses = {s.value: s for s in ReadingStatus}
    sources = {s.value: s for s in ReadingSource}
    order = tuple(Register)
    for reading_id, meter_id, period, read_on, status, rollover, old_final, source, *values in connection.execute(
            stmt):
        owner[meter_id].append(ReadingPoint(
            reading_id=reading_id, meter_id=meter_id, period=period, read_on=read_on, status=statuses[status],
            values={r: v for r, v in zip(order, values, strict=True) if v is not None},
            rollover_confirmed=rollover, old_final_id=old_final, source=sources[source]))
    return out


def usage_of_customer(*, session: Session, customer_id: int, period: int) -> Usage:
    """The ``Usage`` of a customer's period (``YYYYMM``) for ``server.pricing.price``; raises
    :class:`~shared_models.rules.reading_consumption.ConsumptionError` when the readings do not give one."""
    meters, readings = customer_history(session, customer_id)
    return consumption_for(meters=meters, readings=readings, period=period).usage()


def thresholds_for(session: Session, category: CustomerCategory) -> Thresholds:
    """The anomaly thresholds of a tariff category (the defaults when the table has no row for it)."""
    row = session.get(AnomalyThreshold, category)
    if row is None:
        return DEFAULT_THRESHOLDS
    return Thresholds(rise_share=row.rise_share, drop_share=row.drop_share, zero_streak=row.zero_streak)


def book_window(session: Session, book_code: str) -> BookWindow | None:
    """The reading day and window of a reading book, None when the book is not set up."""
    book = session.get(ReadingBook, book_code)
    return None if book is None else BookWindow(reading_day=book.reading_day, window_days=book.window_days)


@dataclass(frozen=True)
class CustomerTermsForChecks:
    """What of the customer's contract and tariff the checks compare with (None: not checked)."""

    contract_demand_kw: Decimal | None = None
    power_factor_standard: Decimal | None = None


class _Checker:
    """Consumption and anomalies of a customer's readings, each period computed once."""

    def __init__(self, session: Session, customer: Customer, meters: Sequence[MeterSpec],
                 readings: Sequence[ReadingPoint], terms: CustomerTermsForChecks | None = None) -> None:
        self.meters = list(meters)
        self.readings = list(readings)
        self.by_id = {r.reading_id: r for r in readings}
        self.terms = terms or CustomerTermsForChecks()
        self.limits = thresholds_for(session, customer.category)
        self.book = book_window(session, customer.book_code)
        self.history = ConsumptionHistory(meters, readings)

    def consumption(self, period: int) -> Consumption | ConsumptionError:
        try:
            return self.history.consumption(period)
        except ConsumptionError as exc:
            return exc

    def anomalies(self, row: Reading) -> list[Anomaly]:
        return checks.period_anomalies(
            meters=self.meters, readings=self.readings, period=row.period, book=self.book, limits=self.limits,
            contract_demand_kw=self.terms.contract_demand_kw, power_factor_standard=self.terms.power_factor_standard,
            reading=self.by_id.get(row.id) or reading_point(row))


def period_anomalies(*, session: Session, customer_id: int, period: int,
                     terms: CustomerTermsForChecks | None = None) -> list[Anomaly]:
    """The anomalies of a customer's current reading(s) of a period (a bill run's review shows them), with the
    category's thresholds and the book's window; a period nobody read gives ``NO_PREVIOUS``. For a whole book,
    :func:`customer_histories` and :func:`shared_models.rules.reading_anomalies.period_anomalies` do the same in
    bulk."""
    customer = session.get_one(Customer, customer_id)
    meters, readings = customer_history(session, customer_id)
    terms = terms or CustomerTermsForChecks()
    return checks.period_anomalies(
        meters=meters, readings=readings, period=period, book=book_window(session, customer.book_code),
        limits=thresholds_for(session, customer.category), contract_demand_kw=terms.contract_demand_kw,
        power_factor_standard=terms.power_factor_standard)


# --- the RPCs ------------------------------------------------------------------------------------------------

def _values_of(req: EnterReadingRequest) -> dict[str, Decimal]:
    return {r.value: v for r, v in req.register_values().items()}


def _lock_meter(ctx: CallContext, asset_no: str) -> tuple[Meter, Customer]:
    row = ctx.session.execute(
        select(Meter, Customer).join(Customer, Customer.id == Meter.customer_id)
        .where(Meter.asset_no == asset_no).with_for_update(of=Meter, key_share=True)).one_or_none()
    if row is None:
        raise AppError(ErrorCode.METER_NOT_FOUND, asset_no=asset_no)
    return row[0], row[1]


def _check_request(req: EnterReadingRequest) -> None:
    """What the request alone must satisfy (rules across its fields)."""
    if not is_valid_period(req.period):
        raise AppError(ErrorCode.READING_PERIOD_INVALID, period=req.period)
    if req.status in WITHOUT_VALUES and req.values:
        raise AppError(ErrorCode.READING_VALUES_NOT_EXPECTED, status=req.status.value)
    if req.old_final_reading_id is not None and req.status is not ReadingStatus.METER_CHANGED:
        raise AppError(ErrorCode.METER_CHANGE_INVALID, reading_id=req.old_final_reading_id, problem="not_a_change")


def _check_meter(ctx: CallContext, req: EnterReadingRequest, meter: Meter, customer: Customer) -> None:
    if customer.status is CustomerStatus.CLOSED:
        raise AppError(ErrorCode.CUSTOMER_CLOSED, customer_no=customer.customer_no)
    if meter.removed_on is not None and (req.status is not ReadingStatus.METER_CHANGED or req.old_final_reading_id
                                         is not None or req.read_on > meter.removed_on):
        raise AppError(ErrorCode.METER_CLOSED, asset_no=meter.asset_no, removed_on=meter.removed_on.isoformat())
    if req.read_on > business_date(ctx.now):
        raise AppError(ErrorCode.READING_DATE_INVALID, read_on=req.read_on.isoformat(), problem="future")
    if req.read_on < meter.installed_on:
        raise AppError(ErrorCode.READING_DATE_INVALID, read_on=req.read_on.isoformat(),
                       problem="before_installation")
    if req.status in WITHOUT_VALUES:
        return
    registers = [Register(r) for r in meter.registers]
    for register in Register:  # in Register order, so the first one named is always the same
        if register in registers and register not in req.values:
            raise AppError(ErrorCode.READING_REGISTER_MISSING, asset_no=meter.asset_no, register=register.value)
        if register in req.values and register not in registers:
            raise AppError(ErrorCode.READING_REGISTER_UNKNOWN, asset_no=meter.asset_no, register=register.value)


def _check_place(ctx: CallContext, req: EnterReadingRequest, meter: Meter, current: list[Reading]) -> Reading | None:
    """Where the reading goes: refuses a second original of a period, checks a correction's target; returns the
    reading corrected (None for a new one)."""
    is_change = req.status is ReadingStatus.METER_CHANGED
    same = [r for r in current if r.meter_id == meter.id and r.period == req.period
            and (r.status is ReadingStatus.METER_CHANGED) == is_change]
    if req.correction is None:
        if same:
            raise AppError(ErrorCode.READING_EXISTS, asset_no=meter.asset_no, period=req.period,
                           reading_id=same[0].id)
        return None
    target = ctx.session.get(Reading, req.correction.reading_id)
    if target is None:
        raise AppError(ErrorCode.READING_NOT_FOUND, reading_id=req.correction.reading_id)
    if target.meter_id != meter.id or target.period != req.period or (
            target.status is ReadingStatus.METER_CHANGED) != is_change:
        raise AppError(ErrorCode.READING_CORRECTION_MISMATCH, reading_id=target.id)
    if target not in current:
        raise AppError(ErrorCode.READING_ALREADY_CORRECTED, reading_id=target.id,
                       current_id=same[0].id if same else 0)
    return target


def _check_change(ctx: CallContext, req: EnterReadingRequest, meter: Meter, current: list[Reading],
                  corrected: Reading | None) -> None:
    """A new meter's start reading names a current final reading of another meter of the customer, same period,
    that no other start reading took."""
    if req.old_final_reading_id is None:
        return
    final = ctx.session.get(Reading, req.old_final_reading_id)

    def refuse(problem: str) -> AppError:
        return AppError(ErrorCode.METER_CHANGE_INVALID, reading_id=req.old_final_reading_id or 0, problem=problem)

    if final is None or final.status is not ReadingStatus.METER_CHANGED or final.old_final_id is not None:
        raise refuse("not_a_final")
    if final.meter_id == meter.id:
        raise refuse("same_meter")
    if final not in current:
        old_meter = ctx.session.get_one(Meter, final.meter_id)
        raise refuse("other_customer" if old_meter.customer_id != meter.customer_id else "superseded")
    if final.period != req.period:
        raise refuse("other_period")
    taken = [r for r in current if r.old_final_id == final.id and r is not corrected]
    if taken:
        raise refuse("taken")


def _check_previous(req: EnterReadingRequest, meter: Meter, points: list[ReadingPoint], new: ReadingPoint) -> None:
    """The date after the previous reading's, and no value below the previous one without a confirmed rollover."""
    earlier = [p for p in points if p.meter_id == meter.id and p.period < req.period]
    if earlier and not req.old_final_reading_id and max(p.read_on for p in earlier) >= req.read_on:
        raise AppError(ErrorCode.READING_DATE_INVALID, read_on=req.read_on.isoformat(), problem="not_after_previous")
    spec = meter_spec(meter)
    previous = [p for p in earlier if p.values]
    if not previous or not new.values or new.is_start:
        return
    last = max(previous, key=lambda p: (p.period, p.read_on, p.reading_id))
    for register in Register:
        if register is Register.DEMAND or register not in spec.registers:
            continue
        before, now = last.values.get(register), new.values.get(register)
        if before is not None and now is not None and now < before and not new.rollover_confirmed:
            raise AppError(ErrorCode.READING_BELOW_PREVIOUS, asset_no=meter.asset_no, register=register.value,
                           previous=str(before), current=str(now))


def enter_reading(*, ctx: CallContext, req: EnterReadingRequest) -> ReadingView:
    """Record a reading typed in by hand (or correct one), co-signed by a supervisor; answer it with its
    consumption and anomalies."""
    actor = ctx.require_actor()
    cosigner = ctx.cosigner
    if cosigner is None:  # dispatch refuses the call before; a manual reading is never taken without one
        raise AppError(ErrorCode.COSIGN_REQUIRED)
    _check_request(req)
    meter, customer = _lock_meter(ctx, req.asset_no)
    _check_meter(ctx, req, meter, customer)
    meter_ids = list(ctx.session.scalars(select(Meter.id).where(Meter.customer_id == customer.id)))
    current = current_readings(ctx.session, meter_ids)
    corrected = _check_place(ctx, req, meter, current)
    _check_change(ctx, req, meter, current, corrected)
    row = Reading(meter_id=meter.id, period=req.period, read_on=req.read_on, status=req.status, source=req.source,
                  rollover_confirmed=req.rollover_confirmed, supersedes_id=corrected.id if corrected else None,
                  old_final_id=req.old_final_reading_id, entered_by=actor.user_id, cosigned_by=cosigner.user_id,
                  reason=req.correction.reason.strip() if req.correction else None, **_values_of(req))
    others = [reading_point(r) for r in current if r is not corrected]
    new_point = ReadingPoint(reading_id=0, meter_id=meter.id, period=req.period, read_on=req.read_on,
                             status=req.status, values=req.register_values(), rollover_confirmed=req.rollover_confirmed,
                             old_final_id=req.old_final_reading_id, source=req.source)
    _check_previous(req, meter, others, new_point)
    ctx.session.add(row)
    try:
        ctx.session.flush()
    except IntegrityError:  # a concurrent entry passed the checks first (the meter lock makes this rare)
        raise AppError(ErrorCode.READING_EXISTS, asset_no=meter.asset_no, period=req.period, reading_id=0) from None
    ctx.record(
        target=f"reading:{meter.asset_no}:{req.period}",
        before=None if corrected is None else _audit_values(corrected),
        after=_audit_values(row) | {"entered_by": actor.username, "cosigned_by": cosigner.username,
                                    "customer_no": customer.customer_no},
    )
    meters, points = customer_history(ctx.session, customer.id)
    checker = _Checker(ctx.session, customer, meters, points)
    return _view(ctx.session, row, meter, checker, superseded=False)


def _audit_values(row: Reading) -> dict[str, object]:
    return {"reading_id": row.id, "period": row.period, "read_on": row.read_on.isoformat(),
            "status": row.status.value, "source": row.source.value, "rollover_confirmed": row.rollover_confirmed,
            "values": {r.value: str(v) for r, v in row.values().items()}, "supersedes_id": row.supersedes_id,
            "old_final_id": row.old_final_id, "reason": row.reason}


def _username(session: Session, user_id: int | None) -> str | None:
    return None if user_id is None else session.get_one(User, user_id).username


def _view(session: Session, row: Reading, meter: Meter, checker: _Checker, *, superseded: bool) -> ReadingView:
    kwh: dict[Register, Decimal] = {}
    estimated = False
    anomalies: list[Anomaly] = []
    if not superseded:
        found = checker.consumption(row.period)
        if isinstance(found, Consumption):
            kwh, estimated = dict(found.kwh), found.estimated
        anomalies = checker.anomalies(row)
    return ReadingView(
        reading_id=row.id, asset_no=meter.asset_no, period=row.period, read_on=row.read_on, status=row.status,
        source=row.source, values=row.values(), kwh=kwh, estimated=estimated,
        rollover_confirmed=row.rollover_confirmed, supersedes_id=row.supersedes_id, superseded=superseded,
        old_final_reading_id=row.old_final_id, reason=row.reason, entered_by=_username(session, row.entered_by),
        cosigned_by=_username(session, row.cosigned_by), entered_at=row.created_at, anomalies=anomalies)


def list_readings(*, ctx: CallContext, req: ListReadingsRequest) -> ReadingHistory:
    """A customer's (or one of its meter's) readings of the last ``periods`` periods, newest first, corrections and the
    readings they replaced included, each current one with its consumption and anomalies."""
    session = ctx.session
    customer = session.scalar(select(Customer).where(Customer.customer_no == req.customer_no))
    if customer is None:
        raise AppError(ErrorCode.CUSTOMER_NOT_FOUND, customer_no=req.customer_no)
    only = None
    if req.asset_no is not None:
        only = session.scalar(select(Meter).where(Meter.asset_no == req.asset_no, Meter.customer_id == customer.id))
        if only is None:
            raise AppError(ErrorCode.METER_NOT_FOUND, asset_no=req.asset_no)
    meters = list(session.scalars(select(Meter).where(Meter.customer_id == customer.id).order_by(Meter.id)))
    shown = [m for m in meters if only is None or m.id == only.id]
    rows = list(session.scalars(select(Reading).where(Reading.meter_id.in_([m.id for m in shown]))
                                .order_by(Reading.period.desc(), Reading.id.desc())))
    periods = sorted({r.period for r in rows}, reverse=True)[:req.periods]
    current_ids = {r.id for r in current_readings(session, (m.id for m in meters))}
    specs, points = customer_history(session, customer.id)
    checker = _Checker(session, customer, specs, points)
    by_id = {m.id: m for m in meters}
    readings = [_view(session, r, by_id[r.meter_id], checker, superseded=r.id not in current_ids)
                for r in rows if r.period in set(periods)]
    return ReadingHistory(
        customer_no=customer.customer_no, customer_name=customer.name, book_code=customer.book_code,
        meters=[MeterView(asset_no=m.asset_no, multiplier=m.multiplier, digits=m.digits,
                          registers=[Register(r) for r in m.registers], installed_on=m.installed_on,
                          removed_on=m.removed_on) for m in shown],
        readings=readings)



# --- a meter change (换表) -----------------------------------------------------------------------------------

#: The figures of a new meter and their ranges (digits as the meters table allows; CT and PT ratios as
#: transformers are made: a CT of 5000/5 A is 1000, a PT of 500 kV/100 V is 5000).
METER_FIGURE_RANGES: dict[str, tuple[int, int]] = {"digits": (4, 10), "ct_ratio": (1, 10_000), "pt_ratio": (1, 10_000)}
_REGISTER_OF_PERIOD = {period: register for register, period in TOU_REGISTERS.items()}


def _meter_view(meter: Meter) -> MeterView:
    return MeterView(asset_no=meter.asset_no, multiplier=meter.multiplier, digits=meter.digits,
                     registers=[Register(r) for r in meter.registers], installed_on=meter.installed_on,
                     removed_on=meter.removed_on)


def _check_new_meter(req: ChangeMeterRequest) -> list[Register]:
    """The new meter's figures in range and its registers with the total; returns them in ``Register`` order."""
    new = req.new_meter
    for name, (low, high) in METER_FIGURE_RANGES.items():
        value = getattr(new, name)
        if not low <= value <= high:
            raise AppError(ErrorCode.METER_SPEC_INVALID, field=name, value=value, min=low, max=high)
    registers = [r for r in Register if r in new.registers]
    if Register.TOTAL not in registers:
        raise AppError(ErrorCode.METER_REGISTERS_INSUFFICIENT, asset_no=new.asset_no, register=Register.TOTAL.value)
    return registers


def _check_values(asset_no: str, registers: Sequence[Register], values: Iterable[Register]) -> None:
    """A value for every register of the meter and for none it lacks (the first one named in Register order)."""
    given = set(values)
    for register in Register:
        if register in registers and register not in given:
            raise AppError(ErrorCode.READING_REGISTER_MISSING, asset_no=asset_no, register=register.value)
        if register in given and register not in registers:
            raise AppError(ErrorCode.READING_REGISTER_UNKNOWN, asset_no=asset_no, register=register.value)


def tariff_registers(session: Session, customer: Customer, day: dt.date) -> list[Register]:
    """The registers a meter of the customer needs from ``day`` on, for the tariff versions in force then or
    later: the total; the TOU register of every period a time-of-use table names; the reactive register for a
    power-factor adjustment; the demand register for a two-part tariff billed on the month's maximum demand."""
    needed = {Register.TOTAL}
    versions = session.scalars(select(TariffVersion).where(
        TariffVersion.tariff_id == customer.tariff_id,
        TariffVersion.effective_to.is_(None) | (TariffVersion.effective_to >= day)))
    docs = [stored_doc(v) for v in versions]
    latest_terms = session.scalars(
        select(CustomerTermsRow.demand_basis).where(CustomerTermsRow.customer_id == customer.id)
        .order_by(CustomerTermsRow.effective_from.desc(), CustomerTermsRow.id.desc())).first()
    for doc in docs:
        if doc.tou is not None:
            needed |= {_REGISTER_OF_PERIOD[span.period] for season in doc.tou.seasons for span in season.spans}
        if doc.power_factor is not None:
            needed.add(Register.REACTIVE)
        if doc.two_part is not None and latest_terms is DemandBasis.DEMAND:
            needed.add(Register.DEMAND)
    return [r for r in Register if r in needed]


def _check_not_billed(session: Session, customer: Customer, period: int) -> None:
    """No bill of the customer (nor a released run of its book) for ``period`` or a later one."""
    billed = session.scalar(select(func.max(Bill.period)).where(Bill.customer_id == customer.id,
                                                                Bill.period >= period))
    released = session.scalar(select(func.max(BillRun.period)).where(
        BillRun.book_code == customer.book_code, BillRun.period >= period, BillRun.state == RunState.RELEASED))
    newest = max((p for p in (billed, released) if p is not None), default=None)
    if newest is not None:
        raise AppError(ErrorCode.METER_CHANGE_PERIOD_RELEASED, period=period, billed=newest)


def _check_after_old_readings(req: ChangeMeterRequest, meter: Meter, current: Sequence[Reading]) -> None:
    """The change is later than every current reading of the old meter, and not of an earlier period."""
    own = [r for r in current if r.meter_id == meter.id]
    if own and (max(r.read_on for r in own) >= req.changed_on or max(r.period for r in own) > req.period):
        raise AppError(ErrorCode.READING_DATE_INVALID, read_on=req.changed_on.isoformat(),
                       problem="not_after_previous")


def change_meter(*, ctx: CallContext, req: ChangeMeterRequest) -> MeterChangeView:
    """A meter change (换表) in one transaction, co-signed by a supervisor: the old meter's final reading, the old
    meter removed on the day, the new meter installed, its start reading naming the final one, and their audit
    records. Every check runs before anything is written, so a refusal leaves the books as they were.

    Meters are equipment, not books: ``meters`` has no append-only trigger and ``removed_on`` is set in place
    (the cache triggers of migration 0004 tell the counters); the readings stay append-only."""
    actor = ctx.require_actor()
    cosigner = ctx.cosigner
    if cosigner is None:  # dispatch refuses the call before
        raise AppError(ErrorCode.COSIGN_REQUIRED)
    new_registers = _check_new_meter(req)
    final_req = EnterReadingRequest(asset_no=req.asset_no, period=req.period, read_on=req.changed_on,
                                    status=ReadingStatus.METER_CHANGED, source=ReadingSource.MANUAL,
                                    values=dict(req.final_values), rollover_confirmed=req.rollover_confirmed)
    _check_request(final_req)
    old, customer = _lock_meter(ctx, req.asset_no)
    if old.removed_on is not None:
        raise AppError(ErrorCode.METER_CLOSED, asset_no=old.asset_no, removed_on=old.removed_on.isoformat())
    _check_meter(ctx, final_req, old, customer)
    meter_ids = list(ctx.session.scalars(select(Meter.id).where(Meter.customer_id == customer.id)))
    current = current_readings(ctx.session, meter_ids)
    _check_after_old_readings(req, old, current)
    _check_not_billed(ctx.session, customer, req.period)
    _check_place(ctx, final_req, old, current)
    final_point = ReadingPoint(reading_id=0, meter_id=old.id, period=req.period, read_on=req.changed_on,
                               status=ReadingStatus.METER_CHANGED, values=final_req.register_values(),
                               rollover_confirmed=req.rollover_confirmed, source=ReadingSource.MANUAL)
    _check_previous(final_req, old, [reading_point(r) for r in current], final_point)
    new = req.new_meter
    for register in tariff_registers(ctx.session, customer, req.changed_on):
        if register not in new_registers:
            raise AppError(ErrorCode.METER_REGISTERS_INSUFFICIENT, asset_no=new.asset_no, register=register.value)
    if ctx.session.scalar(select(Meter.id).where(Meter.asset_no == new.asset_no)) is not None:
        raise AppError(ErrorCode.METER_ASSET_IN_USE, asset_no=new.asset_no)
    _check_values(new.asset_no, new_registers, req.start_values)

    common = {"period": req.period, "read_on": req.changed_on, "status": ReadingStatus.METER_CHANGED,
              "source": ReadingSource.MANUAL, "entered_by": actor.user_id, "cosigned_by": cosigner.user_id}
    final = Reading(meter_id=old.id, rollover_confirmed=req.rollover_confirmed, **common,
                    **{r.value: v for r, v in final_req.register_values().items()})
    old.removed_on = req.changed_on
    installed = Meter(asset_no=new.asset_no, customer_id=customer.id, multiplier=new.ct_ratio * new.pt_ratio,
                      digits=new.digits, installed_on=req.changed_on, removed_on=None,
                      registers=[r.value for r in new_registers])
    ctx.session.add_all([final, installed])
    try:
        ctx.session.flush()
    except IntegrityError:  # a concurrent change installed the same asset number first
        raise AppError(ErrorCode.METER_ASSET_IN_USE, asset_no=new.asset_no) from None
    start = Reading(meter_id=installed.id, old_final_id=final.id, rollover_confirmed=False, **common,
                    **{r.value: Decimal(v) for r, v in req.start_values.items()})
    ctx.session.add(start)
    ctx.session.flush()
    names = {"entered_by": actor.username, "cosigned_by": cosigner.username, "customer_no": customer.customer_no}
    ctx.record(target=f"meter:{old.asset_no}", before={"asset_no": old.asset_no, "removed_on": None},
               after={"asset_no": old.asset_no, "removed_on": req.changed_on.isoformat(),
                      "replaced_by": installed.asset_no} | names)
    ctx.record(target=f"meter:{installed.asset_no}", before=None,
               after={"asset_no": installed.asset_no, "customer_no": customer.customer_no, "digits": installed.digits,
                      "ct_ratio": new.ct_ratio, "pt_ratio": new.pt_ratio, "multiplier": installed.multiplier,
                      "registers": list(installed.registers), "installed_on": req.changed_on.isoformat(),
                      "replaces": old.asset_no} | names)
    ctx.record(target=f"reading:{old.asset_no}:{req.period}", before=None, after=_audit_values(final) | names)
    ctx.record(target=f"reading:{installed.asset_no}:{req.period}", before=None, after=_audit_values(start) | names)
    meters, points = customer_history(ctx.session, customer.id)
    checker = _Checker(ctx.session, customer, meters, points)
    return MeterChangeView(old_meter=_meter_view(old), new_meter=_meter_view(installed),
                           final_reading=_view(ctx.session, final, old, checker, superseded=False),
                           start_reading=_view(ctx.session, start, installed, checker, superseded=False))
