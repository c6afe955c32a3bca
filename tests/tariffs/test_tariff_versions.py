"""Tariff codes and their dated versions through the RPC: listing, reading, adding a version (closing the open
one, refusing overlap, gap, billed days, float prices and unknown codes), ``versions_for`` and migration 0011."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from server.db.databases import create_database, drop_database
from server.db.embedded import EmbeddedPostgres
from server.db.session import make_engine
from server.errors import AppError
from server.migrate import upgrade
from server.models.audit import AuditRecord
from server.models.customers import Tariff, TariffKind, TariffVersion
from server.services.tariffs import billed_period_query, billed_to, version_ids_for, versions_for
from shared_models.tariffs import TariffVersionDoc
from tests.factories import World
from tests.rpc_helpers import Caller

LATE_FEE = {"daily_permille_current": "1", "daily_permille_cross_year": "1"}


def _version(effective_from: str, price: object = "0.558", **more: Any) -> dict[str, Any]:
    return {"effective_from": effective_from, "energy_price": price, "late_fee": LATE_FEE, **more}


def _versions(db: Session, code: str) -> list[tuple[dt.date, dt.date | None, Decimal]]:
    db.expire_all()
    db.rollback()
    return [(r.effective_from, r.effective_to, r.price_per_kwh) for r in db.scalars(
        select(TariffVersion).join(Tariff).where(Tariff.code == code).order_by(TariffVersion.effective_from))]


def _changes(db: Session) -> list[AuditRecord]:
    db.expire_all()
    db.rollback()
    return list(db.scalars(select(AuditRecord).where(AuditRecord.method == "tariff.add_version",
                                                     AuditRecord.refusal.is_(None)).order_by(AuditRecord.id)))


@pytest.fixture
def clerk(caller: Caller) -> Caller:
    """The billing clerk, signed in at counter T0101."""
    assert caller.login("billing1").status == 200
    return caller


class TestRead:
    def test_list(self, clerk: Caller) -> None:
        """Every code with its header, version count and newest version's start, in code order."""
        answer = clerk.call("tariff.list_tariffs", {})
        assert answer.status == 200, answer.body
        assert [(t["code"], t["category"], t["voltage"], t["two_part"], t["version_count"], t["latest_from"])
                for t in answer.body["tariffs"]] == [
            ("COM-FLAT", "commercial", "lt1kv", False, 1, "2025-01-01"),
            ("RES-FLAT", "residential", "lt1kv", False, 1, "2025-01-01"),
        ]

    def test_list_by_category(self, clerk: Caller) -> None:
        """A category filter lists only that category's codes."""
        answer = clerk.call("tariff.list_tariffs", {"category": "commercial"})
        assert [t["code"] for t in answer.body["tariffs"]] == ["COM-FLAT"]

    def test_get(self, clerk: Caller) -> None:
        """A code's versions as documents, and the last day its released bills priced (end of 2026-10)."""
        answer = clerk.call("tariff.get_tariff", {"code": "RES-FLAT"})
        assert answer.status == 200, answer.body
        assert answer.body["header"]["name"] == "居民生活用电"
        (version,) = answer.body["versions"]
        assert (version["effective_from"], version["effective_to"], version["energy_price"]) == (
            "2025-01-01", None, "0.538")
        assert version["late_fee"]["daily_permille_current"] == "1"
        assert answer.body["billed_to"] == "2026-10-31"

    def test_unknown_code(self, clerk: Caller) -> None:
        """An unknown tariff code is TARIFF_NOT_FOUND."""
        answer = clerk.call("tariff.get_tariff", {"code": "NO-SUCH"})
        assert (answer.status, answer.code, answer.params) == (404, "TARIFF_NOT_FOUND", {"code": "NO-SUCH"})


class TestAddVersion:
    def test_closes_the_open_version(self, clerk: Caller, db: Session) -> None:
        """The new version is open; the one open before ends the day before it; columns copy the document."""
        answer = clerk.call("tariff.add_version", {"code": "RES-FLAT", "version": _version("2027-01-01")})
        assert answer.status == 200, answer.body
        assert [(v["effective_from"], v["effective_to"]) for v in answer.body["versions"]] == [
            ("2025-01-01", "2026-12-31"), ("2027-01-01", None)]
        assert _versions(db, "RES-FLAT") == [
            (dt.date(2025, 1, 1), dt.date(2026, 12, 31), Decimal("0.538")),
            (dt.date(2027, 1, 1), None, Decimal("0.558")),
        ]
        old = db.scalars(select(TariffVersion).where(TariffVersion.effective_from == dt.date(2025, 1, 1),
                                                     TariffVersion.price_per_kwh == Decimal("0.538"))).one()
        assert old.doc["effective_to"] == "2026-12-31"
        assert [(r.target, r.before, r.username) for r in _changes(db)] == [
            ("tariff:RES-FLAT:2025-01-01", {"effective_to": None}, "billing1"),
            ("tariff:RES-FLAT:2027-01-01", None, "billing1"),
        ]

    def test_late_fee_columns_follow_the_document(self, clerk: Caller, db: Session) -> None:
        """The late-fee columns the counter's statement reads are the new document's ``late_fee``."""
        late_fee = {"daily_permille_current": "2", "daily_permille_cross_year": "3", "cross_year": "whole_bill",
                    "minimum_fen": 0}
        answer = clerk.call("tariff.add_version", {"code": "COM-FLAT", "version": {
            "effective_from": "2027-01-01", "energy_price": "0.7", "late_fee": late_fee}})
        assert answer.status == 200, answer.body
        row = db.scalars(select(TariffVersion).where(TariffVersion.effective_from == dt.date(2027, 1, 1))).one()
        assert (row.late_fee_daily_permille, row.late_fee_cross_year_permille, row.late_fee_cross_year_rule,
                row.late_fee_minimum_fen, row.kind) == (Decimal(2), Decimal(3), "whole_bill", 0, TariffKind.FLAT)

    def test_overlap_is_refused(self, clerk: Caller, db: Session) -> None:
        """A version starting on or before the newest one's start is TARIFF_VERSION_OVERLAP; nothing is written."""
        before = _versions(db, "RES-FLAT")
        answer = clerk.call("tariff.add_version", {"code": "RES-FLAT", "version": _version("2025-01-01")})
        assert (answer.status, answer.code) == (409, "TARIFF_VERSION_OVERLAP")
        assert answer.params == {"code": "RES-FLAT", "effective_from": "2025-01-01", "existing_from": "2025-01-01"}
        assert _versions(db, "RES-FLAT") == before
        assert _changes(db) == []

    def test_gap_is_refused(self, clerk: Caller, db: Session) -> None:
        """After a version with an end, a version starting later than the next day is TARIFF_VERSION_GAP."""
        closed = _version("2027-01-01", effective_to="2027-06-30")
        assert clerk.call("tariff.add_version", {"code": "RES-FLAT", "version": closed}).status == 200
        before = _versions(db, "RES-FLAT")
        answer = clerk.call("tariff.add_version", {"code": "RES-FLAT", "version": _version("2027-08-01")})
        assert (answer.status, answer.code) == (409, "TARIFF_VERSION_GAP")
        assert answer.params == {"code": "RES-FLAT", "gap_from": "2027-07-01", "gap_to": "2027-07-31"}
        assert _versions(db, "RES-FLAT") == before
        follow = clerk.call("tariff.add_version", {"code": "RES-FLAT", "version": _version("2027-07-01")})
        assert follow.status == 200, follow.body

    def test_inside_a_closed_version_is_an_overlap(self, clerk: Caller) -> None:
        """After a version with an end, a version starting before that end overlaps it."""
        closed = _version("2027-01-01", effective_to="2027-06-30")
        assert clerk.call("tariff.add_version", {"code": "RES-FLAT", "version": closed}).status == 200
        answer = clerk.call("tariff.add_version", {"code": "RES-FLAT", "version": _version("2027-03-01")})
        assert answer.code == "TARIFF_VERSION_OVERLAP"

    def test_billed_days_are_refused(self, clerk: Caller, db: Session) -> None:
        """A version starting on a day a released bill priced is TARIFF_VERSION_BILLED."""
        before = _versions(db, "RES-FLAT")
        answer = clerk.call("tariff.add_version", {"code": "RES-FLAT", "version": _version("2026-10-31")})
        assert (answer.status, answer.code) == (409, "TARIFF_VERSION_BILLED")
        assert answer.params == {"code": "RES-FLAT", "effective_from": "2026-10-31", "billed_to": "2026-10-31"}
        assert _versions(db, "RES-FLAT") == before
        assert clerk.call("tariff.add_version", {"code": "RES-FLAT", "version": _version("2026-11-01")}).status == 200

    @pytest.mark.parametrize("price", [0.558, 1])
    def test_number_price_is_refused(self, clerk: Caller, db: Session, price: object) -> None:
        """A price sent as a JSON number (float or int) is PRICE_NOT_DECIMAL naming the field; nothing written."""
        before = _versions(db, "RES-FLAT")
        answer = clerk.call("tariff.add_version", {"code": "RES-FLAT", "version": _version("2027-01-01", price)})
        assert (answer.status, answer.code, answer.params) == (
            422, "PRICE_NOT_DECIMAL", {"field": "version.energy_price"})
        assert _versions(db, "RES-FLAT") == before

    @pytest.mark.parametrize(("more", "field"), [
        ({"tou": {"pricing": "absolute", "prices": {"peak": "0.6", "valley": "0.3"}, "seasons": [
            {"name": "全年", "months": list(range(1, 13)), "spans": [
                {"start": "08:00", "end": "22:00", "period": "peak"},
                {"start": "22:00", "end": "07:00", "period": "valley"}]}]}}, "version.tou.seasons.0"),
        ({"tiers": {"cycle": "year", "thresholds_kwh": [4800, 2760], "increments": ["0", "0.05", "0.30"]}},
         "version.tiers"),
        ({"energy_price": "-0.1"}, "version"),
        ({"effective_to": "2026-12-31"}, "version"),
    ], ids=["tou-not-24h", "tiers-not-increasing", "negative-price", "ends-before-start"])
    def test_bad_document_is_refused(self, clerk: Caller, db: Session, more: dict[str, Any], field: str) -> None:
        """A TOU day not covering 24 h, tiers that do not increase, a negative price or an end before the start
        is INVALID_REQUEST naming where; nothing is written."""
        before = _versions(db, "RES-FLAT")
        answer = clerk.call("tariff.add_version", {"code": "RES-FLAT", "version": _version("2027-01-01", **more)})
        assert (answer.status, answer.code) == (422, "INVALID_REQUEST")
        assert answer.params["field"] == field
        assert _versions(db, "RES-FLAT") == before
        assert _changes(db) == []

    @pytest.mark.parametrize("price", ["100000000", "0.1234567"])
    def test_price_the_row_cannot_hold(self, clerk: Caller, db: Session, price: str) -> None:
        """An energy price beyond the version row's NUMERIC(14, 6) is refused (out_of_range); nothing written."""
        before = _versions(db, "RES-FLAT")
        answer = clerk.call("tariff.add_version", {"code": "RES-FLAT", "version": _version("2027-01-01", price)})
        assert (answer.status, answer.code, answer.params) == (
            422, "INVALID_REQUEST", {"field": "version.energy_price", "problem": "out_of_range"})
        assert _versions(db, "RES-FLAT") == before

    def test_unknown_code(self, clerk: Caller, db: Session) -> None:
        """A version for an unknown code is TARIFF_NOT_FOUND and writes nothing."""
        answer = clerk.call("tariff.add_version", {"code": "NO-SUCH", "version": _version("2027-01-01")})
        assert (answer.status, answer.code) == (404, "TARIFF_NOT_FOUND")
        assert _changes(db) == []

    def test_cashier_may_not(self, caller: Caller) -> None:
        """Only a billing clerk adds versions."""
        assert caller.login("cashier1").status == 200
        answer = caller.call("tariff.add_version", {"code": "RES-FLAT", "version": _version("2027-01-01")})
        assert (answer.status, answer.code) == (403, "PERMISSION_DENIED")

    def test_replay_answers_the_first_result(self, clerk: Caller, db: Session) -> None:
        """The same idempotency key sent twice adds the version once."""
        key = str(uuid.uuid4())
        params = {"code": "RES-FLAT", "version": _version("2027-01-01")}
        first = clerk.call("tariff.add_version", params, key=key)
        again = clerk.call("tariff.add_version", params, key=key)
        assert (first.status, again.status) == (200, 200)
        assert again.body == first.body
        assert len(_versions(db, "RES-FLAT")) == 2


class TestVersionsFor:
    def test_straddling_period(self, clerk: Caller, db: Session, world: World) -> None:
        """A period across a version change gets both versions, oldest first, each with its last day."""
        assert clerk.call("tariff.add_version", {"code": "RES-FLAT", "version": _version("2027-01-01")}).status == 200
        tariff_id = world.tariffs["RES-FLAT"].tariff_id
        docs = versions_for(db, tariff_id, dt.date(2026, 12, 15), dt.date(2027, 1, 14))
        assert [(d.effective_from, d.effective_to, d.energy_price) for d in docs] == [
            (dt.date(2025, 1, 1), dt.date(2026, 12, 31), Decimal("0.538")),
            (dt.date(2027, 1, 1), None, Decimal("0.558")),
        ]
        assert all(isinstance(d, TariffVersionDoc) for d in docs)
        with_ids = version_ids_for(db, tariff_id, dt.date(2026, 12, 15), dt.date(2027, 1, 14))
        assert [doc for _, doc in with_ids] == docs
        assert with_ids[0][0] == world.tariffs["RES-FLAT"].version_id
        inside = versions_for(db, tariff_id, dt.date(2027, 2, 1), dt.date(2027, 2, 28))
        assert [d.effective_from for d in inside] == [dt.date(2027, 1, 1)]

    def test_days_before_the_first_version(self, db: Session, world: World) -> None:
        """Days no version prices are TARIFF_NO_VERSION, naming them."""
        with pytest.raises(AppError) as caught:
            versions_for(db, world.tariffs["RES-FLAT"].tariff_id, dt.date(2024, 12, 20), dt.date(2025, 1, 19))
        assert caught.value.params == {"code": str(world.tariffs["RES-FLAT"].tariff_id), "date_from": "2024-12-20",
                                       "date_to": "2025-01-19"}


class TestMigration:
    def test_existing_versions_get_documents(self, pg: EmbeddedPostgres) -> None:
        """Migration 0011 gives flat versions of 0009 a document from their price and late fee, and closes
        each version the day before the next."""
        name = f"gc_m11_{uuid.uuid4().hex[:8]}"
        url = create_database(admin_url=pg.admin_url, name=name)
        try:
            upgrade(url, "0009")
            engine = make_engine(url, pool_size=1, max_overflow=0)
            with engine.begin() as conn:
                conn.execute(text("INSERT INTO tariffs (id, code, name, category)"
                                  " VALUES (1, 'OLD', '旧', 'commercial')"))
                conn.execute(text(
                    "INSERT INTO tariff_versions (tariff_id, effective_from, kind, price_per_kwh,"
                    " late_fee_daily_permille, late_fee_cross_year_permille, late_fee_cross_year_rule,"
                    " late_fee_minimum_fen) VALUES"
                    " (1, '2024-01-01', 'flat', 0.650000, 2, 3, 'split_by_day', 100),"
                    " (1, '2025-07-01', 'flat', 0.689400, 2, 3, 'whole_bill', 0)"))
            engine.dispose()
            upgrade(url)
            engine = make_engine(url, pool_size=1, max_overflow=0)
            with Session(engine) as session:
                rows = session.scalars(select(TariffVersion).order_by(TariffVersion.effective_from)).all()
                docs = [TariffVersionDoc.model_validate_json(json.dumps(r.doc)) for r in rows]
                tariff = session.scalars(select(Tariff)).one()
                assert (tariff.voltage, tariff.two_part, tariff.time_of_use) == ("lt1kv", False, False)
            engine.dispose()
            assert [(d.effective_from, d.effective_to, d.energy_price, d.late_fee.cross_year.value,
                     d.late_fee.minimum_fen) for d in docs] == [
                (dt.date(2024, 1, 1), dt.date(2025, 6, 30), Decimal("0.65"), "split_by_day", 100),
                (dt.date(2025, 7, 1), None, Decimal("0.6894"), "whole_bill", 0),
            ]
        finally:
            drop_database(admin_url=pg.admin_url, name=name)




class TestBilledToPlan:
    def test_newest_period_by_index(self, db: Session, world: World) -> None:
        """The last billed day of a tariff is read per version from ix_bills_tariff_version_period, not by
        scanning the bills (with sequential scans off, the plan still finds it: the statement can use it)."""
        tariff_id = world.tariffs["RES-FLAT"].tariff_id
        assert billed_to(db, tariff_id) == dt.date(2026, 10, 31)
        db.execute(text("SET LOCAL enable_seqscan = off"))
        sql = str(billed_period_query(tariff_id).compile(db.get_bind(), compile_kwargs={"literal_binds": True}))
        plan = "\n".join(str(r[0]) for r in db.execute(text("EXPLAIN " + sql)))
        assert "ix_bills_tariff_version_period" in plan, plan
        assert "Seq Scan on bills" not in plan, plan
