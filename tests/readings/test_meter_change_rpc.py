"""reading.change_meter through the dispatcher on a real PostgreSQL: a meter change (换表) at the desk writes the
old meter's final reading, removes the old meter, installs the new one with its start reading, in one transaction
with its audit records; the period bills both parts; each refusal changes nothing."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from server.models.audit import AuditRecord
from server.models.billruns import BillRun
from server.models.customers import Customer, CustomerCategory, Meter
from server.models.readings import Reading
from server.models.terms import CustomerTermsRow
from server.rpc.dispatch import Dispatcher
from server.services.readings import tariff_registers, usage_of_customer
from server.services.tariffs import create_tariff
from shared_models.methods.billruns import RunState
from shared_models.methods.readings import Register
from shared_models.tariffs import (
    DemandBasis,
    LateFeeSpec,
    PowerFactorSpec,
    PowerFactorStandard,
    TariffHeader,
    TariffVersionDoc,
    TouPeriod,
    TouPricing,
    TouSeason,
    TouSpan,
    TouSpec,
    TwoPartSpec,
    VoltageLevel,
)
from tests.factories import CLOSED, WANG_FANG, ZHANG_WEI, World, password_for
from tests.readings.test_reading_rpc import CLOSED_METER, SUPER, WANG_METER, ZHANG_METER, add_meter, count, enter, ok
from tests.rpc_helpers import Answer, Caller
from tests.server.attempt_helpers import refusals

NEW = "NEW-0001"


def change(caller: Caller, *, asset_no: str = ZHANG_METER, period: int = 202611, changed_on: str = "2026-11-10",
           final: dict[str, str] | None = None, new: dict[str, Any] | None = None,
           start: dict[str, str] | None = None, cosign: tuple[str, str] | None = SUPER, key: str | None = None,
           **extra: Any) -> Answer:
    """Change ``asset_no`` for NEW-0001 (total only, 6 digits, CT 2 × PT 1), final total 520 and start 0 unless
    given; co-signed by super1."""
    params = {"asset_no": asset_no, "period": period, "changed_on": changed_on,
              "final_values": {"total": "520.00"} if final is None else final,
              "new_meter": {"asset_no": NEW, "digits": 6, "ct_ratio": 2, "pt_ratio": 1, "registers": ["total"]}
              | (new or {}),
              "start_values": {"total": "0.00"} if start is None else start, **extra}
    return caller.call("reading.change_meter", params, cosign=cosign, key=key)


@pytest.fixture
def reader(caller: Caller) -> Caller:
    """Signed in as the meter reader of hall T01, 张伟's meter read in October (total 500 on 2026-10-25)."""
    assert caller.login("reader1").status == 200
    ok(enter(caller, period=202610, read_on="2026-10-25", values={"total": "500.00"}))
    return caller


def meter(db: Session, asset_no: str) -> Meter | None:
    """The meter row of ``asset_no`` as stored now."""
    db.expire_all()
    return db.scalar(select(Meter).where(Meter.asset_no == asset_no))


def tou_customer(db: Session, world: World, customer_no: str = WANG_FANG, *, power_factor: bool = False,
                 demand_basis: DemandBasis | None = None) -> None:
    """Put ``customer_no`` on a peak/valley TOU tariff (two-part with a power-factor adjustment when asked, and
    the demand basis in its terms), committed."""
    late = LateFeeSpec(daily_permille_current=Decimal("1"), daily_permille_cross_year=Decimal("1"))
    tou = TouSpec(seasons=[TouSeason(name="全年", months=list(range(1, 13)), spans=[
        TouSpan(start="08:00", end="22:00", period=TouPeriod.PEAK),
        TouSpan(start="22:00", end="08:00", period=TouPeriod.VALLEY)])],
        pricing=TouPricing.ABSOLUTE, prices={TouPeriod.PEAK: Decimal("0.568"), TouPeriod.VALLEY: Decimal("0.288")})
    more: dict[str, Any] = {}
    if power_factor:
        more["power_factor"] = PowerFactorSpec(standard=PowerFactorStandard.PF_090)
    if demand_basis is not None:
        more["two_part"] = TwoPartSpec(capacity_price_per_kva=Decimal("30"), demand_price_per_kw=Decimal("40"))
    doc = TariffVersionDoc(effective_from=dt.date(2025, 1, 1), energy_price=Decimal("0.538"), late_fee=late,
                           tou=tou, **more)
    header = TariffHeader(code="TOU-TEST", name="峰谷测试", category=CustomerCategory.RESIDENTIAL,
                          voltage=VoltageLevel.BELOW_1KV, two_part=demand_basis is not None, time_of_use=True)
    tariff, _ = create_tariff(db, header=header, versions=[doc])
    db.execute(update(Customer).where(Customer.id == world.customers[customer_no]).values(tariff_id=tariff.id))
    if demand_basis is not None:
        db.add(CustomerTermsRow(customer_id=world.customers[customer_no], effective_from=dt.date(2025, 1, 1),
                                demand_basis=demand_basis, capacity_kva=Decimal("400"),
                                contract_demand_kw=Decimal("300")))
    db.commit()


class TestChange:
    def test_mid_period_change_bills_both_parts(self, reader: Caller, db: Session, world: World) -> None:
        """The old meter's final reading, the old meter removed on the day, the new meter installed with CT × PT
        as its multiplier, its start reading naming the final; the new meter's November reading then gives the
        period old part + new part, each at its own multiplier."""
        view = ok(change(reader, new={"ct_ratio": 5, "pt_ratio": 2}))
        assert view["old_meter"]["removed_on"] == "2026-11-10"
        assert (view["new_meter"]["asset_no"], view["new_meter"]["multiplier"], view["new_meter"]["installed_on"]) \
            == (NEW, 10, "2026-11-10")
        final, start = view["final_reading"], view["start_reading"]
        assert (final["status"], final["values"], final["kwh"]) == ("meter_changed", {"total": "520.00"},
                                                                    {"total": "20.00"})
        assert (start["status"], start["old_final_reading_id"]) == ("meter_changed", final["reading_id"])
        assert (start["entered_by"], start["cosigned_by"]) == ("reader1", "super1")
        old = meter(db, ZHANG_METER)
        assert old is not None
        assert old.removed_on == dt.date(2026, 11, 10)
        installed = meter(db, NEW)
        assert installed is not None
        assert (installed.customer_id, installed.digits, installed.registers) == (world.customers[ZHANG_WEI], 6,
                                                                                  ["total"])
        assert db.get_one(Reading, start["reading_id"]).old_final_id == final["reading_id"]

        later = ok(enter(reader, asset_no=NEW, period=202611, read_on="2026-11-22", values={"total": "3.00"}))
        assert later["kwh"] == {"total": "50.00"}  # 20 × 1 + 3 × 10
        usage = usage_of_customer(session=db, customer_id=world.customers[ZHANG_WEI], period=202611)
        assert (usage.total_kwh, usage.period_from, usage.period_to) == (Decimal("50.00"), dt.date(2026, 10, 26),
                                                                          dt.date(2026, 11, 22))
        assert enter(reader, period=202612, read_on="2026-11-23").code == "METER_CLOSED"  # the old one is out

    def test_audit_records_in_the_same_transaction(self, reader: Caller, db: Session) -> None:
        """Four records: the old meter removed, the new one installed, the final and the start reading, each with
        both names."""
        before = count(db, AuditRecord)
        ok(change(reader))
        records = list(db.scalars(select(AuditRecord).order_by(AuditRecord.id)))[before:]
        assert [r.target for r in records] == [f"meter:{ZHANG_METER}", f"meter:{NEW}", f"reading:{ZHANG_METER}:202611",
                                               f"reading:{NEW}:202611"]
        removed, installed = records[0], records[1]
        assert removed.before == {"asset_no": ZHANG_METER, "removed_on": None}
        assert removed.after is not None
        assert (removed.after["removed_on"], removed.after["replaced_by"]) == ("2026-11-10", NEW)
        assert installed.after is not None
        assert (installed.after["multiplier"], installed.after["ct_ratio"], installed.after["cosigned_by"]) == (
            2, 2, "super1")

    def test_lost_answer_resent_with_the_same_key(self, reader: Caller, db: Session) -> None:
        """A change whose answer was lost is sent again with the same key: the same answer, one new meter; the key
        with another change is refused."""
        key = "7c1f2a10-3f0e-4a8e-9d5c-1b2a3c4d5e6f"
        first = ok(change(reader, key=key))
        meters, readings = count(db, Meter), count(db, Reading)
        assert ok(change(reader, key=key)) == first
        assert (count(db, Meter), count(db, Reading)) == (meters, readings)
        assert change(reader, key=key, start={"total": "1.00"}).code == "IDEMPOTENCY_KEY_REUSED"
        assert (count(db, Meter), count(db, Reading)) == (meters, readings)

    def test_tou_meter_for_a_tou_customer(self, reader: Caller, db: Session, world: World) -> None:
        """A TOU customer's meter is changed for a TOU meter: both meters' registers are read."""
        tou_customer(db, world)
        add_meter(db, world, asset_no="TOU-OLD", customer_no=WANG_FANG, multiplier=1)
        ok(enter(reader, asset_no="TOU-OLD", period=202610, read_on="2026-10-25",
                 values={"total": "100.00", "peak": "60.00", "valley": "40.00"}))
        view = ok(change(reader, asset_no="TOU-OLD", final={"total": "110.00", "peak": "66.00", "valley": "44.00"},
                         new={"registers": ["valley", "total", "peak"]},
                         start={"total": "1.00", "peak": "0.50", "valley": "0.50"}))
        assert view["new_meter"]["registers"] == ["total", "peak", "valley"]  # in register order
        assert view["final_reading"]["kwh"] == {"total": "10.00", "peak": "6.00", "valley": "4.00"}

    def test_what_the_tariff_needs(self, db: Session, world: World) -> None:
        """The total always; each TOU period of the table; reactive for a power-factor adjustment; demand for a
        two-part tariff billed on the month's maximum demand (not on capacity)."""
        customer = db.get_one(Customer, world.customers[ZHANG_WEI])
        assert tariff_registers(db, customer, dt.date(2026, 11, 10)) == [Register.TOTAL]
        tou_customer(db, world, power_factor=True, demand_basis=DemandBasis.DEMAND)
        customer = db.get_one(Customer, world.customers[WANG_FANG])
        assert tariff_registers(db, customer, dt.date(2026, 11, 10)) == [
            Register.TOTAL, Register.PEAK, Register.VALLEY, Register.REACTIVE, Register.DEMAND]
        db.add(CustomerTermsRow(customer_id=customer.id, effective_from=dt.date(2026, 1, 1),
                                demand_basis=DemandBasis.CAPACITY, capacity_kva=Decimal("400")))
        db.commit()
        assert Register.DEMAND not in tariff_registers(db, customer, dt.date(2026, 11, 10))

    def test_two_changes_at_once_change_once(self, dispatcher: Dispatcher, db: Session) -> None:
        """Two clerks entering the same change at the same time (each its own key): one is stored, the other
        finds the old meter removed."""
        callers = [Caller(dispatcher, counter=c) for c in ("T0101", "T0102")]
        for c in callers:
            assert c.login("reader1").status == 200
        ok(enter(callers[0], period=202610, read_on="2026-10-25", values={"total": "500.00"}))
        with ThreadPoolExecutor(max_workers=2) as pool:
            answers = list(pool.map(change, callers))
        assert sorted(a.status for a in answers) == [200, 409]
        assert {a.code for a in answers} == {None, "METER_CLOSED"}
        assert count(db, Reading) == 3


class TestRefusals:
    """Each bad change is refused with its code, writes nothing and leaves the old meter in service."""

    @staticmethod
    def refused(reader: Caller, db: Session, code: str, **params: Any) -> Answer:
        readings, meters, attempts = count(db, Reading), count(db, Meter), refusals(db)
        removed = {m.asset_no: m.removed_on for m in db.scalars(select(Meter))}
        answer = change(reader, **params)
        assert answer.code == code, answer.body
        assert (count(db, Reading), count(db, Meter)) == (readings, meters)
        assert {m.asset_no: m.removed_on for m in db.scalars(select(Meter))} == removed
        assert [c for _, c, _, _ in refusals(db)[len(attempts):]] == [code]
        return answer

    def test_asset_number_in_use(self, reader: Caller, db: Session) -> None:
        """The new meter's asset number is another meter's."""
        answer = self.refused(reader, db, "METER_ASSET_IN_USE", new={"asset_no": WANG_METER})
        assert answer.params == {"asset_no": WANG_METER}

    def test_asset_number_of_a_removed_meter(self, reader: Caller, db: Session, world: World) -> None:
        """An asset number stays a meter's after its removal."""
        add_meter(db, world, asset_no="GONE-0001", customer_no=WANG_FANG, registers=["total"],
                  removed_on=dt.date(2025, 6, 1))
        self.refused(reader, db, "METER_ASSET_IN_USE", new={"asset_no": "GONE-0001"})

    def test_date_before_the_last_reading(self, reader: Caller, db: Session) -> None:
        """The change is not later than the old meter's last reading (2026-10-25)."""
        answer = self.refused(reader, db, "READING_DATE_INVALID", changed_on="2026-10-25")
        assert answer.params == {"read_on": "2026-10-25", "problem": "not_after_previous"}

    def test_period_before_the_last_reading(self, reader: Caller, db: Session) -> None:
        """A later date but an earlier period than the old meter's last reading."""
        self.refused(reader, db, "READING_DATE_INVALID", period=202609)

    def test_date_in_the_future(self, reader: Caller, db: Session) -> None:
        """The hall's business day is 2026-11-23."""
        answer = self.refused(reader, db, "READING_DATE_INVALID", changed_on="2026-11-24")
        assert answer.params["problem"] == "future"

    def test_period_already_billed(self, reader: Caller, db: Session) -> None:
        """张伟 has a released bill of 2026-10: a change in that period would change what was billed."""
        answer = self.refused(reader, db, "METER_CHANGE_PERIOD_RELEASED", period=202610, changed_on="2026-10-30")
        assert answer.params == {"period": 202610, "billed": 202610}

    def test_period_of_a_released_run(self, reader: Caller, db: Session, world: World) -> None:
        """The book's run of the period was released (a customer without a bill of it is still refused)."""
        db.add(BillRun(book_code="T01-B001", period=202611, state=RunState.RELEASED, customers_total=0,
                       customers_done=0, passes=1, created_by=world.users["billing1"]))
        db.commit()
        answer = self.refused(reader, db, "METER_CHANGE_PERIOD_RELEASED")
        assert answer.params == {"period": 202611, "billed": 202611}

    def test_final_register_missing(self, reader: Caller, db: Session, world: World) -> None:
        """The old meter's final reading lacks a register of the old meter."""
        add_meter(db, world, asset_no="TOU-OLD", customer_no=WANG_FANG, multiplier=1)
        answer = self.refused(reader, db, "READING_REGISTER_MISSING", asset_no="TOU-OLD",
                              final={"total": "10.00", "valley": "4.00"})
        assert answer.params == {"asset_no": "TOU-OLD", "register": "peak"}

    def test_start_register_missing(self, reader: Caller, db: Session) -> None:
        """The new meter's start reading lacks one of its registers."""
        answer = self.refused(reader, db, "READING_REGISTER_MISSING", new={"registers": ["total", "reactive"]},
                              start={"total": "0.00"})
        assert answer.params == {"asset_no": NEW, "register": "reactive"}

    def test_start_register_the_new_meter_lacks(self, reader: Caller, db: Session) -> None:
        """A start value for a register the new meter does not have."""
        answer = self.refused(reader, db, "READING_REGISTER_UNKNOWN", start={"total": "0.00", "peak": "0.00"})
        assert answer.params == {"asset_no": NEW, "register": "peak"}

    def test_total_only_meter_for_a_tou_customer(self, reader: Caller, db: Session, world: World) -> None:
        """A TOU customer given a meter with the total register only: the tariff bills 峰 and 谷 apart."""
        tou_customer(db, world)
        add_meter(db, world, asset_no="TOU-OLD", customer_no=WANG_FANG, multiplier=1)
        answer = self.refused(reader, db, "METER_REGISTERS_INSUFFICIENT", asset_no="TOU-OLD",
                              final={"total": "10.00", "peak": "6.00", "valley": "4.00"})
        assert answer.params == {"asset_no": NEW, "register": "peak"}

    def test_new_meter_without_the_total(self, reader: Caller, db: Session) -> None:
        """Every meter has the total register."""
        answer = self.refused(reader, db, "METER_REGISTERS_INSUFFICIENT", new={"registers": ["peak", "valley"]},
                              start={"peak": "0.00", "valley": "0.00"})
        assert answer.params == {"asset_no": NEW, "register": "total"}

    def test_old_meter_already_removed(self, reader: Caller, db: Session, world: World) -> None:
        """A meter removed before is not changed again."""
        add_meter(db, world, asset_no="OLD-0001", customer_no=WANG_FANG, registers=["total"],
                  removed_on=dt.date(2026, 10, 1))
        answer = self.refused(reader, db, "METER_CLOSED", asset_no="OLD-0001")
        assert answer.params == {"asset_no": "OLD-0001", "removed_on": "2026-10-01"}

    @pytest.mark.parametrize(("field", "value", "low", "high"), [
        ("digits", 3, 4, 10), ("digits", 11, 4, 10), ("ct_ratio", 0, 1, 10_000), ("ct_ratio", 10_001, 1, 10_000),
        ("pt_ratio", 0, 1, 10_000), ("pt_ratio", 10_001, 1, 10_000),
    ])
    def test_figure_out_of_range(  # noqa: PLR0917 - pytest hands fixtures and parameters in
            self, reader: Caller, db: Session, field: str, value: int, low: int, high: int) -> None:
        """Digits, CT and PT ratios outside what meters and transformers are made with."""
        answer = self.refused(reader, db, "METER_SPEC_INVALID", new={field: value})
        assert answer.params == {"field": field, "value": value, "min": low, "max": high}

    def test_final_below_the_previous_reading(self, reader: Caller, db: Session) -> None:
        """The old meter's final value below its October reading without a confirmed rollover."""
        answer = self.refused(reader, db, "READING_BELOW_PREVIOUS", final={"total": "490.00"})
        assert answer.params == {"asset_no": ZHANG_METER, "register": "total", "previous": "500.00",
                                 "current": "490.00"}

    def test_unknown_old_meter(self, reader: Caller, db: Session) -> None:
        """A meter nobody installed."""
        self.refused(reader, db, "METER_NOT_FOUND", asset_no="UNKNOWN-1")

    def test_closed_customer(self, reader: Caller, db: Session) -> None:
        """A closed account gets no new meter."""
        answer = self.refused(reader, db, "CUSTOMER_CLOSED", asset_no=CLOSED_METER)
        assert answer.params == {"customer_no": CLOSED}

    def test_no_such_month(self, reader: Caller, db: Session) -> None:
        """A period whose month is 13."""
        self.refused(reader, db, "READING_PERIOD_INVALID", period=202613)

    def test_without_cosign(self, reader: Caller, db: Session) -> None:
        """A meter change needs a supervisor's co-sign."""
        meters = count(db, Meter)
        assert change(reader, cosign=None).code == "COSIGN_REQUIRED"
        assert count(db, Meter) == meters

    def test_cashier_may_not(self, caller: Caller, db: Session) -> None:
        """A cashier has no reading permission."""
        assert caller.login("cashier1").status == 200
        meters = count(db, Meter)
        assert change(caller, cosign=("super1", password_for("super1"))).code == "PERMISSION_DENIED"
        assert count(db, Meter) == meters

    @pytest.mark.parametrize("bad", [
        {"final_values": {"total": 520.5}},  # a float
        {"start_values": {"total": "-1.00"}},  # negative
        {"new_meter": {"asset_no": "NEW 1", "digits": 6, "registers": ["total"]}},  # a space in the asset number
        {"new_meter": {"asset_no": NEW, "digits": "6", "registers": ["total"]}},  # digits as text
        {"new_meter": {"asset_no": NEW, "digits": 6, "registers": []}},  # no register at all
        {"new_meter": {"asset_no": NEW, "digits": 6, "registers": ["sum"]}},  # no such register
    ])
    def test_malformed(self, reader: Caller, db: Session, bad: dict[str, Any]) -> None:
        """Requests the contract refuses before the service runs."""
        meters = count(db, Meter)
        params = {"asset_no": ZHANG_METER, "period": 202611, "changed_on": "2026-11-10",
                  "final_values": {"total": "520.00"}, "new_meter": {"asset_no": NEW, "digits": 6,
                                                                     "registers": ["total"]},
                  "start_values": {"total": "0.00"}} | bad
        assert reader.call("reading.change_meter", params, cosign=SUPER).code == "INVALID_REQUEST"
        assert count(db, Meter) == meters
