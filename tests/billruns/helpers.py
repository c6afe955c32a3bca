"""Readings, tariff versions and calls for the bill run tests, on the factories' world (book ``T01-B001``).

The run of period 2026-11 (``PERIOD``) bills the four customers of the book that are not closed; each gets a
reading on 2026-10-25 (period 2026-10) and one on 2026-11-22 (period 2026-11) unless a test says otherwise.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.models.audit import AuditRecord
from server.models.billing import Bill, BillLine
from server.models.billruns import BillDraft, BillDraftLine, BillRun
from server.models.customers import Customer, Meter, Tariff, TariffVersion
from server.models.ledger import LedgerEntry
from server.models.readings import Reading
from server.services.tariffs import stored_doc, version_row
from shared_models.methods.readings import ReadingStatus
from tests.factories import COMMERCIAL, LI_XIUYING, WANG_FANG, ZHANG_WEI, World, password_for
from tests.rpc_helpers import Answer, Caller

BOOK = "T01-B001"
PERIOD = 202611
SUPER = ("super1", password_for("super1"))
#: 户号 → (reading of 2026-10, reading of 2026-11): kWh = the difference (multiplier 1).
READINGS: dict[str, tuple[str, str]] = {
    ZHANG_WEI: ("1000.00", "1180.00"),  # 180 kWh
    LI_XIUYING: ("500.00", "600.00"),  # 100 kWh: 53.80 yuan, of which 50.00 prepayment pays
    WANG_FANG: ("2000.00", "2120.50"),  # 120.5 kWh
    COMMERCIAL: ("8000.00", "8500.00"),  # 500 kWh at 0.8
}
BOOKED_TABLES = (Bill, BillLine, LedgerEntry, BillDraft, BillDraftLine, BillRun, Reading)


def add_reading(db: Session, customer_no: str, *, period: int, value: str, read_on: dt.date) -> None:
    """A total-register reading of the customer's meter."""
    meter_id = db.execute(select(Meter.id).join(Customer, Customer.id == Meter.customer_id)
                          .where(Customer.customer_no == customer_no)).scalar_one()
    db.add(Reading(meter_id=meter_id, period=period, read_on=read_on, total=Decimal(value),
                   status=ReadingStatus.ACTUAL))
    db.commit()


def add_readings(db: Session, *, skip: tuple[str, ...] = ()) -> None:
    """The two readings of every customer in ``READINGS`` except ``skip``."""
    for no, (before, now) in READINGS.items():
        if no in skip:
            continue
        add_reading(db, no, period=202610, value=before, read_on=dt.date(2026, 10, 25))
        add_reading(db, no, period=PERIOD, value=now, read_on=dt.date(2026, 11, 22))


def add_version(db: Session, code: str, effective_from: dt.date, price: str) -> None:
    """A new version of a factory tariff from ``effective_from`` at another energy price, the open one closed the
    day before: a price notice, here a retroactive one (written directly: the tariff RPC refuses billed days)."""
    tariff_id = db.execute(select(Tariff.id).where(Tariff.code == code)).scalar_one()
    current = db.execute(select(TariffVersion).where(TariffVersion.tariff_id == tariff_id,
                                                     TariffVersion.effective_to.is_(None))).scalar_one()
    doc = stored_doc(current)
    current.effective_to = effective_from - dt.timedelta(days=1)
    current.doc = doc.model_copy(update={"effective_to": current.effective_to}).model_dump(mode="json")
    db.flush()
    db.add(version_row(tariff_id=tariff_id, doc=doc.model_copy(update={
        "effective_from": effective_from, "effective_to": None, "energy_price": Decimal(price)})))
    db.commit()


def billing(caller: Caller) -> Caller:
    """The caller signed in as the billing clerk."""
    assert caller.login("billing1").status == 200
    return caller


def calculate(caller: Caller, *, chunk_size: int = 500, period: int = PERIOD, book: str = BOOK) -> Answer:
    return caller.call("billrun.calculate_run", {"book_code": book, "period": period, "chunk_size": chunk_size})


def calculate_all(caller: Caller, *, chunk_size: int = 500) -> dict[str, Any]:
    """Call ``calculate_run`` until the run is calculated, as the client's progress loop does."""
    for _ in range(100):
        answer = calculate(caller, chunk_size=chunk_size)
        assert answer.status == 200, answer.body
        if answer.body["state"] == "calculated":
            return answer.body
    raise AssertionError("the run never finished calculating")


def draft_ref(customer_no: str) -> dict[str, Any]:
    return {"book_code": BOOK, "period": PERIOD, "customer_no": customer_no}


def run_ref() -> dict[str, Any]:
    return {"book_code": BOOK, "period": PERIOD}


def counts(db: Session) -> dict[str, int]:
    """Rows in every table a bill run writes, and the audit log."""
    db.expire_all()
    out = {m.__tablename__: int(db.scalar(select(func.count()).select_from(m)) or 0) for m in BOOKED_TABLES}
    out["audit_log"] = int(db.scalar(select(func.count()).select_from(AuditRecord)) or 0)
    return out


def refused(caller: Caller, db: Session, method: str, params: dict[str, Any], code: str, **kwargs: Any) -> Answer:
    """A call that must be refused with ``code`` and change nothing of the books (drafts included)."""
    before = counts(db)
    snapshot = drafts_snapshot(db)
    answer = caller.call(method, params, **kwargs)
    assert answer.code == code, answer.body
    after = counts(db)
    after.pop("audit_log")
    before.pop("audit_log")  # a refused attempt may be recorded as such
    assert after == before
    assert drafts_snapshot(db) == snapshot
    return answer


def drafts_snapshot(db: Session, *, except_customer: int | None = None) -> list[tuple[Any, ...]]:
    """Every draft and draft line (but those of ``except_customer``), every column, ids and times included."""
    db.expire_all()
    drafts = [d for d in db.scalars(select(BillDraft).order_by(BillDraft.id)) if d.customer_id != except_customer]
    rows = [tuple(getattr(d, c.key) for c in BillDraft.__table__.columns) for d in drafts]
    ids = [d.id for d in drafts]
    lines = db.scalars(select(BillDraftLine).where(BillDraftLine.draft_id.in_(ids)).order_by(BillDraftLine.id))
    rows += [tuple(getattr(x, c.key) for c in BillDraftLine.__table__.columns) for x in lines]
    return rows


def balance(db: Session, world: World, customer_no: str) -> int:
    db.expire_all()
    return int(db.scalar(select(func.coalesce(func.sum(LedgerEntry.amount_fen), 0))
                         .where(LedgerEntry.customer_id == world.customers[customer_no])) or 0)


def customer_id(db: Session, customer_no: str) -> int:
    return int(db.execute(select(Customer.id).where(Customer.customer_no == customer_no)).scalar_one())


def prepare_sample(caller: Caller, db: Session, method: str, params: dict[str, Any]) -> dict[str, Any]:
    """Make the permission matrix's sample of a bill run method succeed for a role allowed to call it: the
    run calculated (with readings), a draft held, or a bill released with a price change to correct."""
    if not method.startswith("billrun.") or method in {"billrun.list_runs", "billrun.calculate_run"}:
        return params
    add_readings(db)
    calculate_all(caller)
    if method in {"billrun.release_bill", "billrun.recalculate_bill"}:
        held = caller.call("billrun.hold_bill", {**draft_ref(params["customer_no"]), "reason": "矩阵测试"})
        assert held.status == 200, held.body
    if method == "billrun.correct_bill":
        assert caller.call("billrun.release_run", run_ref()).status == 200
        add_version(db, "RES-FLAT", dt.date(2026, 11, 1), "0.6")
    return params
