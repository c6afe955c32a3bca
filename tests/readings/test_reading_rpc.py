"""reading.enter_reading and reading.list_readings through the dispatcher on a real PostgreSQL: entry with a
supervisor's co-sign, corrections, meter change, estimates, anomalies, each refusal, and what bill runs read."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from server.models.audit import AuditRecord
from server.models.customers import CustomerCategory, Meter
from server.models.readings import AnomalyThreshold, Reading, ReadingBook
from server.rpc.dispatch import Dispatcher
from server.services.readings import customer_histories, period_anomalies, usage_of_customer
from shared_models.methods.readings import AnomalyCode, Register
from shared_models.rules.reading_consumption import ConsumptionError, usage_for
from shared_models.tariffs import TouPeriod
from tests.factories import CLOSED, LI_XIUYING, WANG_FANG, ZHANG_WEI, World, password_for
from tests.rpc_helpers import Answer, Caller
from tests.server.attempt_helpers import refusals

SUPER = ("super1", password_for("super1"))
#: The factory meters: one per customer, total register only, multiplier 1, 6 digits, installed 2020-01-01.
ZHANG_METER = f"{0:022d}"
WANG_METER = f"{2:022d}"
CLOSED_METER = f"{4:022d}"
TOU_METER = "TOU-0001"


def enter(caller: Caller, *, asset_no: str = ZHANG_METER, period: int = 202610, read_on: str = "2026-10-15",
          status: str = "actual", values: dict[str, str] | None = None, cosign: tuple[str, str] | None = SUPER,
          key: str | None = None, **extra: Any) -> Answer:
    """Enter a reading (total 100 unless given) co-signed by super1 (a fresh idempotency key unless given)."""
    params = {"asset_no": asset_no, "period": period, "read_on": read_on, "status": status,
              "values": {"total": "100.00"} if values is None else values, **extra}
    return caller.call("reading.enter_reading", params, cosign=cosign, key=key)


def ok(answer: Answer) -> dict[str, Any]:
    """The body of a successful call."""
    assert answer.status == 200, answer.body
    return answer.body


def codes(view: dict[str, Any]) -> list[str]:
    """The anomaly codes of a reading view."""
    return [a["code"] for a in view["anomalies"]]


def count(db: Session, model: type[Any]) -> int:
    """Rows of a table."""
    db.expire_all()
    return int(db.scalar(select(func.count()).select_from(model)) or 0)


def add_meter(db: Session, world: World, *, asset_no: str = TOU_METER, customer_no: str = WANG_FANG,
              registers: list[str] | None = None, multiplier: int = 30, removed_on: dt.date | None = None,
              installed_on: dt.date = dt.date(2024, 1, 1)) -> int:
    """A further meter of a customer, committed."""
    meter = Meter(asset_no=asset_no, customer_id=world.customers[customer_no], multiplier=multiplier, digits=6,
                  installed_on=installed_on, removed_on=removed_on,
                  registers=registers or ["total", "peak", "valley"])
    db.add(meter)
    db.commit()
    return meter.id


@pytest.fixture
def reader(caller: Caller) -> Caller:
    """Signed in as the meter reader of hall T01."""
    assert caller.login("reader1").status == 200
    return caller


class TestEnter:
    def test_first_reading_is_a_baseline(self, reader: Caller, db: Session) -> None:
        """A meter's first reading is stored with who entered and co-signed it; it has no consumption yet."""
        view = ok(enter(reader))
        assert view["values"] == {"total": "100.00"}
        assert view["kwh"] == {}
        assert codes(view) == ["manual_entry", "no_previous"]
        assert (view["entered_by"], view["cosigned_by"], view["source"]) == ("reader1", "super1", "manual")
        row = db.get_one(Reading, view["reading_id"])
        assert (row.total, row.peak, row.status.value, row.supersedes_id) == (Decimal("100.00"), None, "actual", None)

    def test_second_reading_gives_consumption_and_an_audit_record(self, reader: Caller, db: Session) -> None:
        """kWh = current − previous; the entry is audited with both names, in the same transaction."""
        ok(enter(reader, period=202609, read_on="2026-09-15"))
        before = count(db, AuditRecord)
        view = ok(enter(reader, values={"total": "180.50"}))
        assert view["kwh"] == {"total": "80.50"}
        assert codes(view) == ["manual_entry"]
        assert count(db, AuditRecord) == before + 1
        record = db.scalars(select(AuditRecord).order_by(AuditRecord.id.desc())).first()
        assert record is not None
        assert record.target == f"reading:{ZHANG_METER}:202610"
        assert record.after is not None
        assert (record.after["values"], record.after["cosigned_by"]) == ({"total": "180.50"}, "super1")

    def test_lost_answer_resent_with_the_same_key(self, reader: Caller, db: Session) -> None:
        """A reading whose answer was lost is sent again with the same key: the same answer, one row; the key
        with another reading is refused."""
        key = "0b5e3f3c-7a55-4d8e-9a53-7f1f6d7a0c42"
        first = ok(enter(reader, key=key))
        again = ok(enter(reader, key=key))
        assert again == first
        assert count(db, Reading) == 1
        assert enter(reader, key=key, values={"total": "101.00"}).code == "IDEMPOTENCY_KEY_REUSED"
        assert count(db, Reading) == 1

    def test_tou_meter_with_multiplier(self, reader: Caller, db: Session, world: World) -> None:
        """Every register of the meter, × multiplier; the TOU sum is checked against the total."""
        add_meter(db, world)
        ok(enter(reader, asset_no=TOU_METER, period=202609, read_on="2026-09-15",
                 values={"total": "10.00", "peak": "6.00", "valley": "4.00"}))
        view = ok(enter(reader, asset_no=TOU_METER, values={"total": "20.00", "peak": "12.00", "valley": "7.00"}))
        assert view["kwh"] == {"total": "300.00", "peak": "180.00", "valley": "90.00"}
        assert "tou_sum_mismatch" in codes(view)
        usage = usage_of_customer(session=db, customer_id=world.customers[WANG_FANG], period=202610)
        assert usage.total_kwh == Decimal("300.00")
        assert usage.tou_kwh == {TouPeriod.PEAK: Decimal("180.00"), TouPeriod.VALLEY: Decimal("90.00")}

    def test_billing_clerk_may_enter_a_reading(self, caller: Caller) -> None:
        """A billing clerk enters readings by hand too (with the co-sign)."""
        assert caller.login("billing1").status == 200
        assert ok(enter(caller))["entered_by"] == "billing1"

    def test_confirmed_rollover(self, reader: Caller) -> None:
        """A value below the previous one with a confirmed rollover wraps at 10^digits and is listed."""
        ok(enter(reader, period=202609, read_on="2026-09-15", values={"total": "999990.00"}))
        view = ok(enter(reader, values={"total": "15.00"}, rollover_confirmed=True))
        assert view["kwh"] == {"total": "25.00"}
        assert "rollover" in codes(view)

    def test_no_access_is_estimated_from_the_previous_period(self, reader: Caller) -> None:
        """门闭 carries no values: the previous period's consumption is billed and flagged as estimated."""
        ok(enter(reader, period=202608, read_on="2026-08-15", values={"total": "100.00"}))
        ok(enter(reader, period=202609, read_on="2026-09-15", values={"total": "160.00"}))
        view = ok(enter(reader, status="no_access", values={}))
        assert view["values"] == {}
        assert view["kwh"] == {"total": "60.00"}
        assert view["estimated"] is True
        assert "estimated" in codes(view)
        settled = ok(enter(reader, period=202611, read_on="2026-11-15", values={"total": "250.00"}))
        assert settled["kwh"] == {"total": "30.00"}

    def test_correction_supersedes_and_keeps_the_original(self, reader: Caller, db: Session) -> None:
        """A correction is a new row naming the one it replaces; the history shows both, the original superseded."""
        ok(enter(reader, period=202609, read_on="2026-09-15"))
        wrong = ok(enter(reader, values={"total": "1800.00"}))
        assert "rise_vs_previous" not in codes(wrong)  # the previous period has no consumption to compare with
        fixed = ok(enter(reader, values={"total": "180.00"},
                         correction={"reading_id": wrong["reading_id"], "reason": "抄错一位"}))
        assert fixed["supersedes_id"] == wrong["reading_id"]
        assert fixed["kwh"] == {"total": "80.00"}
        assert fixed["reason"] == "抄错一位"
        history = ok(reader.call("reading.list_readings", {"customer_no": ZHANG_WEI}))
        rows = [(r["reading_id"], r["superseded"], r["kwh"]) for r in history["readings"]]
        assert rows[:2] == [(fixed["reading_id"], False, {"total": "80.00"}), (wrong["reading_id"], True, {})]
        assert db.get_one(Reading, wrong["reading_id"]).total == Decimal("1800.00")  # never changed in place
        record = db.scalars(select(AuditRecord).order_by(AuditRecord.id.desc())).first()
        assert record is not None
        assert record.before is not None
        assert record.before["values"] == {"total": "1800.00"}

    def test_meter_change(self, reader: Caller, db: Session, world: World) -> None:
        """换表: the old meter's final reading, the new meter's start naming it, the new meter's reading; the
        period bills both parts, each at its own multiplier."""
        ok(enter(reader, period=202609, read_on="2026-09-15", values={"total": "500.00"}))
        add_meter(db, world, asset_no="NEW-0001", customer_no=ZHANG_WEI, registers=["total"], multiplier=2,
                  installed_on=dt.date(2026, 10, 8))
        final = ok(enter(reader, status="meter_changed", read_on="2026-10-08", values={"total": "520.00"}))
        assert final["kwh"] == {"total": "20.00"}  # the old meter's part until the new meter is read
        start = ok(enter(reader, asset_no="NEW-0001", status="meter_changed", read_on="2026-10-08",
                         values={"total": "0.00"}, old_final_reading_id=final["reading_id"]))
        assert start["old_final_reading_id"] == final["reading_id"]
        view = ok(enter(reader, asset_no="NEW-0001", values={"total": "30.00"}))
        assert view["kwh"] == {"total": "80.00"}  # 20 × 1 + 30 × 2
        history = ok(reader.call("reading.list_readings", {"customer_no": ZHANG_WEI, "asset_no": "NEW-0001"}))
        assert [m["asset_no"] for m in history["meters"]] == ["NEW-0001"]
        assert len(history["readings"]) == 2


class TestList:
    def test_history_newest_first_with_meters(self, reader: Caller) -> None:
        """The history lists the meters with their registers and the readings newest period first."""
        for period, total in ((202608, "10.00"), (202609, "20.00"), (202610, "30.00")):
            ok(enter(reader, period=period, read_on=f"{period // 100}-{period % 100:02d}-15", values={"total": total}))
        history = ok(reader.call("reading.list_readings", {"customer_no": ZHANG_WEI, "periods": 2}))
        assert history["customer_name"] == "张伟"
        assert history["book_code"] == "T01-B001"
        assert history["meters"] == [{"asset_no": ZHANG_METER, "multiplier": 1, "digits": 6, "registers": ["total"],
                                      "installed_on": "2020-01-01", "removed_on": None}]
        assert [(r["period"], r["kwh"]) for r in history["readings"]] == [
            (202610, {"total": "10.00"}), (202609, {"total": "10.00"})]

    def test_cashier_may_look(self, caller: Caller) -> None:
        """The history is a customer view: a cashier answering "why is my bill this high" reads it."""
        assert caller.login("cashier1").status == 200
        assert ok(caller.call("reading.list_readings", {"customer_no": ZHANG_WEI}))["readings"] == []

    def test_unknown_customer_and_meter(self, reader: Caller) -> None:
        """An unknown 户号 or meter is refused with its code."""
        assert reader.call("reading.list_readings", {"customer_no": "3309999999"}).code == "CUSTOMER_NOT_FOUND"
        answer = reader.call("reading.list_readings", {"customer_no": ZHANG_WEI, "asset_no": "NOPE-1"})
        assert answer.code == "METER_NOT_FOUND"

    def test_meter_of_another_customer(self, reader: Caller) -> None:
        """A meter is listed only under its own customer."""
        answer = reader.call("reading.list_readings", {"customer_no": ZHANG_WEI, "asset_no": WANG_METER})
        assert (answer.code, answer.params) == ("METER_NOT_FOUND", {"asset_no": WANG_METER})


class TestRefusals:
    """Each bad reading is refused with its code and changes nothing (one audit record of the attempt)."""

    @staticmethod
    def refused(reader: Caller, db: Session, code: str, **params: Any) -> Answer:
        readings, attempts = count(db, Reading), refusals(db)
        answer = enter(reader, **params)
        assert answer.code == code, answer.body
        assert count(db, Reading) == readings
        assert [c for _, c, _, _ in refusals(db)[len(attempts):]] == [code]
        return answer

    def test_unknown_meter(self, reader: Caller, db: Session) -> None:
        """A meter nobody installed."""
        answer = self.refused(reader, db, "METER_NOT_FOUND", asset_no="UNKNOWN-1")
        assert answer.params == {"asset_no": "UNKNOWN-1"}

    def test_closed_customer(self, reader: Caller, db: Session) -> None:
        """A customer whose account is closed takes no reading."""
        answer = self.refused(reader, db, "CUSTOMER_CLOSED", asset_no=CLOSED_METER)
        assert answer.params == {"customer_no": CLOSED}

    def test_removed_meter(self, reader: Caller, db: Session, world: World) -> None:
        """A removed meter takes only its final 换表 reading up to its removal day."""
        add_meter(db, world, asset_no="OLD-0001", registers=["total"], removed_on=dt.date(2026, 10, 1))
        answer = self.refused(reader, db, "METER_CLOSED", asset_no="OLD-0001")
        assert answer.params == {"asset_no": "OLD-0001", "removed_on": "2026-10-01"}
        ok(enter(reader, asset_no="OLD-0001", status="meter_changed", read_on="2026-10-01"))

    def test_missing_register(self, reader: Caller, db: Session, world: World) -> None:
        """Every register of the meter needs a value."""
        add_meter(db, world)
        answer = self.refused(reader, db, "READING_REGISTER_MISSING", asset_no=TOU_METER,
                              values={"total": "10.00", "valley": "4.00"})
        assert answer.params == {"asset_no": TOU_METER, "register": "peak"}

    def test_register_the_meter_lacks(self, reader: Caller, db: Session) -> None:
        """A value for a register the meter does not have."""
        answer = self.refused(reader, db, "READING_REGISTER_UNKNOWN", values={"total": "10.00", "peak": "4.00"})
        assert answer.params == {"asset_no": ZHANG_METER, "register": "peak"}

    def test_below_previous_without_confirmation(self, reader: Caller, db: Session) -> None:
        """Below the previous value, neither a change nor a rollover recorded."""
        ok(enter(reader, period=202609, read_on="2026-09-15", values={"total": "500.00"}))
        answer = self.refused(reader, db, "READING_BELOW_PREVIOUS", values={"total": "499.99"})
        assert answer.params == {"asset_no": ZHANG_METER, "register": "total", "previous": "500.00",
                                 "current": "499.99"}

    def test_twice_for_the_same_period(self, reader: Caller, db: Session) -> None:
        """A second reading of a period that is not a correction."""
        first = ok(enter(reader))
        answer = self.refused(reader, db, "READING_EXISTS", values={"total": "101.00"})
        assert answer.params == {"asset_no": ZHANG_METER, "period": 202610, "reading_id": first["reading_id"]}

    def test_correction_of_an_unknown_reading(self, reader: Caller, db: Session) -> None:
        """A correction must name an existing reading."""
        self.refused(reader, db, "READING_NOT_FOUND", correction={"reading_id": 987654, "reason": "核对"})

    def test_correction_of_a_corrected_reading(self, reader: Caller, db: Session) -> None:
        """Only the current reading is corrected; the answer names it."""
        first = ok(enter(reader))
        second = ok(enter(reader, values={"total": "101.00"},
                          correction={"reading_id": first["reading_id"], "reason": "核对"}))
        answer = self.refused(reader, db, "READING_ALREADY_CORRECTED", values={"total": "102.00"},
                              correction={"reading_id": first["reading_id"], "reason": "再核对"})
        assert answer.params == {"reading_id": first["reading_id"], "current_id": second["reading_id"]}

    def test_correction_for_another_period(self, reader: Caller, db: Session) -> None:
        """A correction keeps the meter and period of the reading it corrects."""
        first = ok(enter(reader))
        self.refused(reader, db, "READING_CORRECTION_MISMATCH", period=202611, read_on="2026-11-15",
                     correction={"reading_id": first["reading_id"], "reason": "核对"})

    @pytest.mark.parametrize(("read_on", "problem"), [("2026-11-24", "future"), ("2019-12-31", "before_installation")])
    def test_impossible_date(self, reader: Caller, db: Session, read_on: str, problem: str) -> None:
        """A date after today (hall time 2026-11-23) or before the meter was installed."""
        answer = self.refused(reader, db, "READING_DATE_INVALID", read_on=read_on)
        assert answer.params == {"read_on": read_on, "problem": problem}

    def test_date_not_after_the_previous_reading(self, reader: Caller, db: Session) -> None:
        """A later period read on a day not after the previous reading's."""
        ok(enter(reader, period=202609, read_on="2026-09-15"))
        answer = self.refused(reader, db, "READING_DATE_INVALID", read_on="2026-09-15", values={"total": "110.00"})
        assert answer.params["problem"] == "not_after_previous"

    def test_start_reading_naming_no_final(self, reader: Caller, db: Session, world: World) -> None:
        """A new meter's start reading must name the old meter's final reading."""
        regular = ok(enter(reader))
        add_meter(db, world, asset_no="NEW-0002", customer_no=ZHANG_WEI, registers=["total"])
        answer = self.refused(reader, db, "METER_CHANGE_INVALID", asset_no="NEW-0002", status="meter_changed",
                              old_final_reading_id=regular["reading_id"])
        assert answer.params == {"reading_id": regular["reading_id"], "problem": "not_a_final"}

    def test_no_such_month(self, reader: Caller, db: Session) -> None:
        """A period whose month is not 1–12."""
        answer = self.refused(reader, db, "READING_PERIOD_INVALID", period=202613)
        assert answer.params == {"period": 202613}

    def test_values_for_a_closed_door(self, reader: Caller, db: Session) -> None:
        """门闭 and 表坏 carry no register values."""
        answer = self.refused(reader, db, "READING_VALUES_NOT_EXPECTED", status="no_access")
        assert answer.params == {"status": "no_access"}

    def test_old_final_on_a_regular_reading(self, reader: Caller, db: Session) -> None:
        """Only a 换表 reading names an old meter's final reading."""
        answer = self.refused(reader, db, "METER_CHANGE_INVALID", old_final_reading_id=5)
        assert answer.params == {"reading_id": 5, "problem": "not_a_change"}

    def test_without_cosign(self, reader: Caller, db: Session) -> None:
        """A manual reading needs a supervisor's co-sign."""
        readings = count(db, Reading)
        assert enter(reader, cosign=None).code == "COSIGN_REQUIRED"
        assert count(db, Reading) == readings

    @pytest.mark.parametrize("bad", [
        {"correction": {"reading_id": 1}},  # a correction without a reason
        {"values": {"total": 100.5}},  # a float
        {"values": {"total": "100.005"}},  # registers are read to 0.01
        {"values": {"total": "-1.00"}},  # negative
        {"values": {"total": "1e3"}},  # not as the meter shows it
        {"period": 209913},  # outside the years
        {"values": {"sum": "1.00"}},  # no such register
        {"old_final_reading_id": 2**63},  # beyond any id
    ])
    def test_malformed(self, reader: Caller, db: Session, bad: dict[str, Any]) -> None:
        """Requests the contract refuses before the service runs."""
        readings = count(db, Reading)
        assert enter(reader, **bad).code == "INVALID_REQUEST"
        assert count(db, Reading) == readings

    def test_two_entries_at_once_store_one(self, dispatcher: Dispatcher, db: Session) -> None:
        """Two readers entering the same meter and period at the same time: one is stored, the other refused."""
        callers = [Caller(dispatcher, counter=c) for c in ("T0101", "T0102")]
        for c in callers:
            assert c.login("reader1").status == 200
        with ThreadPoolExecutor(max_workers=2) as pool:
            answers = list(pool.map(enter, callers))
        assert sorted(a.status for a in answers) == [200, 409]
        assert {a.code for a in answers} == {None, "READING_EXISTS"}
        assert count(db, Reading) == 1


class TestBooks:
    def test_readings_are_append_only(self, reader: Caller, db: Session) -> None:
        """The database refuses to change or delete a reading in place."""
        view = ok(enter(reader))
        with pytest.raises(DBAPIError, match="append-only"):
            db.execute(text("UPDATE readings SET total = 1 WHERE id = :id"), {"id": view["reading_id"]})
        db.rollback()

    def test_book_window_and_category_thresholds(self, reader: Caller, db: Session, world: World) -> None:
        """The book's reading day and window, and the category's thresholds, come from their tables."""
        db.add(ReadingBook(code="T01-B001", name="文三路一段", hall_id=world.org["T01"],
                           reader_id=world.users["reader1"], reading_day=10, window_days=2))
        db.add(AnomalyThreshold(category=CustomerCategory.RESIDENTIAL, rise_share=Decimal("0.20"),
                                drop_share=Decimal("0.20"), zero_streak=2))
        db.commit()
        ok(enter(reader, period=202608, read_on="2026-08-10", values={"total": "100.00"}))
        ok(enter(reader, period=202609, read_on="2026-09-10", values={"total": "200.00"}))
        view = ok(enter(reader, values={"total": "330.00"}))  # read on the 15th, outside 10 ± 2; +30 %
        assert codes(view) == ["manual_entry", "outside_window", "rise_vs_previous"]
        found = period_anomalies(session=db, customer_id=world.customers[ZHANG_WEI], period=202610)
        assert [a.code for a in found] == [AnomalyCode.MANUAL_ENTRY, AnomalyCode.OUTSIDE_WINDOW,
                                           AnomalyCode.RISE_VS_PREVIOUS]

    def test_histories_of_many_customers(self, reader: Caller, db: Session, world: World) -> None:
        """A bill run reads the meters and current readings of a book's customers at once; corrections count,
        the readings they replaced do not, and ``since_period`` leaves out older ones."""
        ok(enter(reader, period=202608, read_on="2026-08-15", values={"total": "90.00"}))
        ok(enter(reader, period=202609, read_on="2026-09-15"))
        wrong = ok(enter(reader, values={"total": "900.00"}))
        ok(enter(reader, values={"total": "130.00"}, correction={"reading_id": wrong["reading_id"], "reason": "核对"}))
        ok(enter(reader, asset_no=WANG_METER, period=202609, read_on="2026-09-15", values={"total": "5.00"}))
        zhang, wang, li = world.customers[ZHANG_WEI], world.customers[WANG_FANG], world.customers[LI_XIUYING]
        found = customer_histories(db, [zhang, wang, li], since_period=202609)
        meters, readings = found[zhang]
        assert [(m.multiplier, m.registers) for m in meters] == [(1, frozenset({Register.TOTAL}))]
        assert [(r.period, r.values) for r in readings] == [(202609, {Register.TOTAL: Decimal("100.00")}),
                                                            (202610, {Register.TOTAL: Decimal("130.00")})]
        assert usage_for(meters=meters, readings=readings, period=202610).total_kwh == Decimal("30.00")
        assert [r.period for r in found[wang][1]] == [202609]
        assert found[li][1] == []

    def test_usage_of_a_period_without_readings(self, db: Session, world: World) -> None:
        """A bill run asking for a period nobody read gets the reason, not a made-up consumption."""
        with pytest.raises(ConsumptionError) as caught:
            usage_of_customer(session=db, customer_id=world.customers[ZHANG_WEI], period=202610)
        assert caught.value.code is AnomalyCode.NO_PREVIOUS
        found = period_anomalies(session=db, customer_id=world.customers[ZHANG_WEI], period=202610)
        assert [a.code for a in found] == [AnomalyCode.NO_PREVIOUS]
