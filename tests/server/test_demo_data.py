"""Demo data: the organization, users, customers, meters and their books, loaded into a real PostgreSQL."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

import pytest
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from server.audit_chain import verify_chains
from server.billing import sources
from server.db.databases import create_database
from server.db.embedded import EmbeddedPostgres
from server.demo_data import (
    DEMO_PASSWORD,
    DEMO_USERS,
    DemoDataError,
    DemoSummary,
    has_data,
    id_check_digit,
    load_demo_data,
)
from server.demo_data.load import PENDING_BOOK
from server.migrate import upgrade
from server.models.audit import AuditRecord
from server.models.billing import Bill, BillLine
from server.models.billruns import BillDraft, BillRun
from server.models.customers import Customer, CustomerCategory, Meter, Tariff, TariffVersion
from server.models.ledger import EntryKind, LedgerEntry
from server.models.org import Counter as CounterRow
from server.models.org import OrgKind, OrgUnit
from server.models.readings import Reading
from server.models.terms import CustomerTermsRow
from server.models.users import User
from server.security import PiiCipher, mask_id_number, verify_password
from server.services.billruns import _price
from shared_models.methods.billruns import RunState
from shared_models.roles import Role
from shared_models.rules.hall_time import HALL_TZ
from shared_models.rules.late_fees import LateFeeRule
from tests.billruns.bulk_compare import differences
from tests.reaper import owned_temp_dir

CUSTOMERS = 300
MONTHS = 12
TODAY = dt.date(2026, 11, 23)


@dataclass(frozen=True)
class Loaded:
    """A database with demo data, the server it lives on, and the load's summary."""

    server: EmbeddedPostgres
    url: str
    pii: PiiCipher
    summary: DemoSummary


@pytest.fixture(scope="module")
def loaded() -> Iterator[Loaded]:
    """A PostgreSQL of its own in a fresh folder, migrated and loaded with 300 demo customers."""
    data_dir = owned_temp_dir("gridcounter-demo-")
    server = EmbeddedPostgres(data_dir=data_dir)
    try:
        url = server.start()
        upgrade(url)
        pii = PiiCipher(bytes(range(32)))
        summary = load_demo_data(url=url, customers=CUSTOMERS, pii=pii, months=MONTHS, today=TODAY)
        yield Loaded(server=server, url=url, pii=pii, summary=summary)
    finally:
        server.stop()
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="module")
def engine(loaded: Loaded) -> Iterator[Engine]:
    """An engine on the loaded database."""
    eng = create_engine(loaded.url, poolclass=NullPool)
    yield eng
    eng.dispose()


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    """A session for looking at the loaded data."""
    with Session(engine) as session:
        yield session


def _schema(engine: Engine) -> set[tuple[str, str]]:
    """Every constraint and index of the public schema, with its definition."""
    with engine.connect() as conn:
        constraints = conn.execute(text(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE connamespace = 'public'::regnamespace"
        )).all()
        indexes = conn.execute(text("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'")).all()
    return {(str(a), str(b)) for a, b in [*constraints, *indexes]}


#: One digest per table of what a load writes (customer ids and texts, not the ciphertexts: their nonces differ).
_BOOK_DIGESTS = (
    "SELECT md5(string_agg(concat_ws('|', id, customer_no, name, address, phone, id_number_masked, category,"
    " status, payment_mode), ',' ORDER BY id)) FROM customers",
    "SELECT md5(string_agg(concat_ws('|', id, meter_id, period, read_on, total), ',' ORDER BY id)) FROM readings",
    "SELECT md5(string_agg(concat_ws('|', id, bill_no, kwh, amount_fen, issued_on, due_on), ',' ORDER BY id))"
    " FROM bills",
    "SELECT md5(string_agg(concat_ws('|', id, customer_id, kind, amount_fen, bill_id, posted_at, posted_by,"
    " reference), ',' ORDER BY id)) FROM ledger_entries",
)


class TestOrganization:
    def test_tree_shape(self, db: Session) -> None:
        """One center, 2 cities, a county each, 4 halls and 8 counters, each hall with two."""
        kinds = Counter(db.scalars(select(OrgUnit.kind)))
        assert kinds == {OrgKind.CENTER: 1, OrgKind.CITY: 2, OrgKind.COUNTY: 2, OrgKind.HALL: 4}
        by_id = {u.id: u for u in db.scalars(select(OrgUnit))}
        halls = {u.code: u for u in by_id.values() if u.kind is OrgKind.HALL}
        assert sorted(halls) == ["H01", "H02", "H03", "H04"]
        for hall in halls.values():
            county = by_id[hall.parent_id or 0]
            city = by_id[county.parent_id or 0]
            assert (county.kind, city.kind, by_id[city.parent_id or 0].code) == (OrgKind.COUNTY, OrgKind.CITY, "P33")
        counters = db.scalars(select(CounterRow)).all()
        assert sorted(c.code for c in counters) == [f"H0{h}0{n}" for h in range(1, 5) for n in (1, 2)]
        assert Counter(by_id[c.hall_id].code for c in counters) == {"H01": 2, "H02": 2, "H03": 2, "H04": 2}

    def test_counters_are_not_enrolled(self, db: Session) -> None:
        """Counters come without a device key: enrollment is a separate step."""
        assert all(c.device_key_hash is None and c.enrolled_at is None for c in db.scalars(select(CounterRow)))


class TestUsers:
    def test_every_role_has_a_user_with_the_demo_password(self, db: Session) -> None:
        """Each role has an active user whose stored hash verifies the documented password."""
        users = db.scalars(select(User)).all()
        assert {u.username for u in users} == {name for name, *_ in DEMO_USERS}
        assert {u.role for u in users} == set(Role)
        assert all(u.active and not u.must_change_password for u in users)
        first_of_role = {u.role: u for u in sorted(users, key=lambda u: u.username)}
        assert all(verify_password(u.password_hash, DEMO_PASSWORD) for u in first_of_role.values())
        assert not verify_password(first_of_role[Role.ADMIN].password_hash, "wrong-password-1")

    def test_users_sit_where_their_role_works(self, db: Session) -> None:
        """Cashiers and readers at halls, billing clerks at cities, the admin at the center."""
        org = {u.id: u for u in db.scalars(select(OrgUnit))}
        where = {u.username: org[u.org_unit_id] for u in db.scalars(select(User))}
        assert where["admin"].code == "P33"
        assert where["cashier0302"].code == "H03"
        assert where["reader04"].code == "H04"
        assert {where["billing01"].kind, where["billing02"].kind} == {OrgKind.CITY}
        assert (where["business01"].code, where["business02"].code) == ("H01", "H03")


class TestCustomers:
    def test_numbers_are_10_or_13_digits_and_unique(self, db: Session) -> None:
        """Customer numbers are strings of 10 digits or 13 digits starting with 330, all different."""
        numbers = db.scalars(select(Customer.customer_no)).all()
        assert len(numbers) == CUSTOMERS == len(set(numbers))
        assert all(re.fullmatch(r"[0-9]{10}|330[0-9]{10}", n) for n in numbers)
        lengths = Counter(len(n) for n in numbers)
        assert 0.15 < lengths[10] / CUSTOMERS < 0.45
        # A 10-digit number and a 13-digit one never name the same account after normalisation.
        assert not {n for n in numbers if len(n) == 10} & {n[3:] for n in numbers if len(n) == 13}

    def test_id_numbers_decrypt_to_valid_checksums(self, db: Session, loaded: Loaded) -> None:
        """Every ID number decrypts to 18 characters with a valid GB 11643 check digit and its stored mask."""
        for enc, masked in db.execute(select(Customer.id_number_enc, Customer.id_number_masked)):
            id_number = loaded.pii.decrypt(enc)
            assert len(id_number) == 18
            assert id_number[:6] in {"330102", "330105", "330106", "330108", "330109", "330110", "330203",
                                     "330205", "330206", "330211", "330212", "330213", "330227"}
            assert 1940 <= int(id_number[6:10]) <= 2005
            assert id_number[17] == id_check_digit(id_number[:17])
            assert masked == mask_id_number(id_number)

    def test_check_digit_of_a_known_number(self) -> None:
        """The check digit agrees with the standard's worked example."""
        assert id_check_digit("11010519491231002") == "X"

    def test_contact_data_looks_real(self, db: Session) -> None:
        """Mobile numbers, Zhejiang addresses and Chinese names, many of them two characters long."""
        rows = db.execute(select(Customer.name, Customer.address, Customer.phone)).all()
        assert all(re.fullmatch(r"1[3-9][0-9]{9}", phone) for _, _, phone in rows)
        assert all(re.match(r"浙江省(杭州市西湖区|宁波市鄞州区)", address) for _, address, _ in rows)
        assert all(re.fullmatch(r"[\u4e00-\u9fff]{2,20}", name) for name, _, _ in rows)
        assert sum(len(name) == 2 for name, _, _ in rows) > CUSTOMERS // 10

    def test_spread_and_mix(self, db: Session) -> None:
        """Customers spread evenly over the halls, mostly residential, postpaid and active."""
        halls = Counter(db.scalars(select(Customer.hall_id)))
        assert sorted(halls.values()) == [CUSTOMERS // 4] * 4
        categories = Counter(c.value for c in db.scalars(select(Customer.category)))
        assert categories["residential"] > 0.8 * CUSTOMERS
        assert categories["commercial"] > 0
        modes = Counter(m.value for m in db.scalars(select(Customer.payment_mode)))
        assert modes["postpaid"] > 0.75 * CUSTOMERS
        assert modes["prepaid_card"] > 0
        assert Counter(s.value for s in db.scalars(select(Customer.status)))["active"] > 0.9 * CUSTOMERS

    def test_one_meter_each_with_the_right_tariff(self, db: Session) -> None:
        """Each customer has one meter in service with a unique 22-digit asset number (a changed one besides);
        homes have multiplier 1."""
        meters = db.scalars(select(Meter)).all()
        in_service = [m.customer_id for m in meters if m.removed_on is None]
        assert sorted(in_service) == sorted(db.scalars(select(Customer.id)))
        assert all(re.fullmatch(r"[0-9]{22}", m.asset_no) for m in meters)
        assert len({m.asset_no for m in meters}) == len(meters)
        category = dict(db.execute(select(Customer.id, Customer.category)).all())
        for m in meters:
            if category[m.customer_id].value == "residential":
                assert (m.multiplier, m.digits) == (1, 6)
            else:
                assert m.multiplier in {1, 30, 50, 80}
                assert m.digits == 8


class TestBooks:
    def test_readings_rise_monotonically(self, db: Session) -> None:
        """Each customer has a baseline and one reading per month, ending last month; a register only goes down
        at a confirmed rollover or a new meter (换表); a few months without consumption."""
        readings: dict[int, list[Reading]] = defaultdict(list)
        for r in db.scalars(select(Reading).where(Reading.total.is_not(None)).order_by(Reading.period, Reading.id)):
            readings[r.meter_id].append(r)
        meters = {m.id: m for m in db.scalars(select(Meter))}
        assert {meters[m].customer_id for m in readings} == set(range(1, CUSTOMERS + 1))
        for rows in readings.values():
            for a, b in pairwise(rows):
                assert a.total is not None
                assert b.total is not None
                assert a.total <= b.total or b.rollover_confirmed
            assert all(r.read_on.year * 100 + r.read_on.month == r.period for r in rows)
        deltas = [(b.total or 0) - (a.total or 0) for rows in readings.values() for a, b in pairwise(rows)]
        assert 0 < sum(d == 0 for d in deltas) < len(deltas) // 5

    def test_meters_have_the_registers_of_their_tariff(self, db: Session) -> None:
        """TOU meters read their TOU registers, two-part meters reactive and demand too; the TOU registers of a
        reading sum to its total (except the deliberate mismatch)."""
        rows = db.execute(select(Tariff.code, Meter.registers).join(Customer, Customer.tariff_id == Tariff.id)
                          .join(Meter, Meter.customer_id == Customer.id)).all()
        expected = {"ZJ-RES-TOU": {"total", "peak", "valley"}, "ZJ-RES-SHARED": {"total"}, "ZJ-AGR-1KV": {"total"},
                    "ZJ-COM-TOU": {"total", "sharp", "peak", "flat", "valley"}}
        for code, registers in rows:
            if code in expected:
                assert set(registers) == expected[code], code
            else:
                assert {"reactive", "demand"} <= set(registers), code

    def test_bills_come_out_of_bill_runs(self, db: Session) -> None:
        """Every bill names the run that released it and equals its draft, lines included; every book's run of
        every month is released except the pending book's last one, calculated for the clerk to review."""
        bills = db.scalars(select(Bill)).all()
        assert bills
        drafts = {d.bill_id: d for d in db.scalars(select(BillDraft).where(BillDraft.bill_id.is_not(None)))}
        for bill in bills:
            assert bill.bill_run_id is not None
            draft = drafts[bill.id]
            assert (bill.amount_fen, bill.kwh) == (draft.total_fen, draft.total_kwh)
        lines: dict[int, int] = defaultdict(int)
        for line in db.scalars(select(BillLine)):
            lines[line.bill_id] += line.amount_fen
        assert all(lines[b.id] == b.amount_fen for b in bills if b.amount_fen)
        runs = db.scalars(select(BillRun)).all()
        pending = [r for r in runs if r.state is not RunState.RELEASED]
        assert [(r.book_code, r.period, r.state) for r in pending] == [(PENDING_BOOK, 202610, RunState.CALCULATED)]
        assert len({r.period for r in runs}) == MONTHS

    def test_recalculating_a_released_period_reproduces_the_bills(self, db: Session) -> None:
        """Pricing the released customers again from the readings gives the released amounts to the fen."""
        customers = {c.id: c for c in db.scalars(select(Customer))}
        checked = 0
        for bill in db.scalars(select(Bill).where(Bill.period.in_((202601, 202608))).order_by(Bill.id)):
            customer = customers[bill.customer_id]
            inputs = sources.gather(db, customer_id=customer.id, tariff_id=customer.tariff_id, period=bill.period)
            priced, _ = _price(inputs)
            assert priced is not None, bill.bill_no
            assert priced.total_fen == bill.amount_fen, bill.bill_no
            checked += 1
        assert checked > CUSTOMERS

    def test_bulk_path_equals_one_by_one(self, db: Session) -> None:
        """Over every book and a released and the pending period, the bill run's bulk path gives each customer
        the one-by-one path's inputs, anomalies (of every kind, pricing refusals included) and priced bill."""
        books = sorted(set(db.scalars(select(Customer.book_code))))
        compared = 0
        for book in books:
            for period in (202608, 202610):
                count, diffs = differences(db, book_code=book, period=period)
                assert diffs == [], (book, period)
                compared += count
        assert compared >= 2 * CUSTOMERS

    def test_two_part_customers_are_billed_on_their_terms(self, db: Session) -> None:
        """Every two-part customer has stored terms (its tariff's basis, transformer kVA, contract demand), so
        its bills carry the basic charge (and, with reactive energy, the power-factor adjustment); no draft is
        refused for want of a demand basis."""
        two_part = dict(db.execute(
            select(Customer.id, Tariff.code).join(Tariff, Tariff.id == Customer.tariff_id)
            .where(Tariff.code.in_(("ZJ-LI-CAP-10KV", "ZJ-LI-DEM-35KV")))).all())
        assert two_part
        terms = {t.customer_id: t for t in db.scalars(select(CustomerTermsRow))}
        assert set(terms) == set(two_part)
        for cid, code in two_part.items():
            row = terms[cid]
            assert (row.demand_basis, row.capacity_kva is not None, row.contract_demand_kw is not None) == (
                "capacity" if code == "ZJ-LI-CAP-10KV" else "contract_demand", True, True), cid
        kinds: dict[int, set[str]] = defaultdict(set)
        for bill_id, kind in db.execute(select(BillLine.bill_id, BillLine.kind).join(Bill, Bill.id == BillLine.bill_id)
                                        .where(Bill.customer_id.in_(list(two_part)))):
            kinds[bill_id].add(str(kind))
        assert kinds
        assert all(k & {"basic_capacity", "basic_demand"} for k in kinds.values())
        assert any("power_factor" in k for k in kinds.values())
        refusals = [a for d in db.scalars(select(BillDraft)) for a in d.anomalies
                    if a["code"] == "pricing_refused" and a["params"].get("refusal") == "no_demand_basis"]
        assert refusals == []

    def test_anomalies_of_each_kind(self, db: Session) -> None:
        """The drafts carry the deliberate anomalies; the pending run has some; a meter was changed (换表)."""
        codes = Counter(a["code"] for d in db.scalars(select(BillDraft)) for a in d.anomalies)
        for code in ("zero_streak", "rise_vs_previous", "drop_vs_previous", "rollover", "tou_sum_mismatch",
                     "outside_window", "estimated"):
            assert codes[code] > 0, code
        pending = db.scalars(select(BillDraft).join(BillRun, BillRun.id == BillDraft.run_id)
                             .where(BillRun.book_code == PENDING_BOOK, BillRun.period == 202610)).all()
        assert any(d.anomalies for d in pending)
        assert db.scalar(select(func.count()).select_from(Meter).where(Meter.removed_on.is_not(None))) == 1

    def test_tariffs_carry_the_late_fee_rule(self, db: Session) -> None:
        """Each tariff's version holds the late-fee terms of its category's rule and a price from a string."""
        rows = db.execute(select(Tariff.category, TariffVersion).join(TariffVersion)).all()
        assert {category for category, _ in rows} == set(CustomerCategory)
        for category, version in rows:
            residential = category is CustomerCategory.RESIDENTIAL
            rule = LateFeeRule.residential() if residential else LateFeeRule.non_residential()
            assert (version.late_fee_daily_permille, version.late_fee_cross_year_permille) == (
                rule.daily_permille_current, rule.daily_permille_cross_year)
            assert (version.late_fee_cross_year_rule, version.late_fee_minimum_fen) == (
                rule.cross_year.value, rule.minimum_fen)
        prices = dict(db.execute(select(Tariff.code, TariffVersion.price_per_kwh).join(TariffVersion)
                                 .order_by(TariffVersion.effective_from)).all())
        assert prices["ZJ-RES-TOU"] == Decimal("0.538")

    def test_ledger_explains_every_balance(self, db: Session) -> None:
        """Charges match bills; a balance is open bills (arrears) or a surplus (prepayment), never both."""
        bills = {b.id: b for b in db.scalars(select(Bill))}
        entries: dict[int, list[LedgerEntry]] = defaultdict(list)
        for e in db.scalars(select(LedgerEntry).order_by(LedgerEntry.id)):
            entries[e.customer_id].append(e)
        bills_of: dict[int, list[Bill]] = defaultdict(list)
        for b in bills.values():
            bills_of[b.customer_id].append(b)
        arrears = prepaid = past_due = 0
        for customer_id in db.scalars(select(Customer.id)):
            rows = entries[customer_id]
            # every entry is on a bill except a prepayment surplus, which is a payment on no bill
            surplus_rows = [e for e in rows if e.bill_id is None]
            assert {e.kind for e in rows} <= {EntryKind.CHARGE, EntryKind.PAYMENT}
            assert all(e.kind is EntryKind.PAYMENT and e.amount_fen > 0 for e in surplus_rows)
            charges = {int(e.bill_id or 0): e for e in rows if e.kind is EntryKind.CHARGE}
            paid = {int(e.bill_id or 0): e for e in rows if e.kind is EntryKind.PAYMENT and e.bill_id is not None}
            assert {b.id for b in bills_of[customer_id] if b.amount_fen > 0} == set(charges)
            assert all(charges[b].amount_fen == -bills[b].amount_fen for b in charges)
            assert all(charges[b].posted_at.astimezone(HALL_TZ).date() == bills[b].issued_on for b in charges)
            assert all(bills[b].issued_on <= p.posted_at.date() <= bills[b].due_on for b, p in paid.items())
            assert all(p.amount_fen == bills[b].amount_fen for b, p in paid.items())
            assert all(p.reference == f"DEMO-{bills[b].bill_no}" for b, p in paid.items())
            open_bills = [bills[b] for b in charges if b not in paid]
            surplus = sum(e.amount_fen for e in surplus_rows)
            balance = sum(e.amount_fen for e in rows)
            assert balance == surplus - sum(b.amount_fen for b in open_bills)
            assert not (open_bills and surplus)
            if open_bills:
                arrears += 1
                past_due += int(any(b.due_on < TODAY for b in open_bills))
                newest_paid = max((bills[b].period for b in paid), default=0)
                assert all(b.period > newest_paid for b in open_bills), "only the latest bills are open"
            prepaid += int(balance > 0)
        assert 0.02 * CUSTOMERS < arrears < 0.15 * CUSTOMERS
        assert 0 < past_due <= arrears  # due 20 days after issue: last month's open bills are due by now
        assert 0.01 * CUSTOMERS < prepaid < 0.12 * CUSTOMERS


class TestLoad:
    def test_summary_matches_the_tables(self, db: Session, loaded: Loaded) -> None:
        """The summary counts what is in the database."""
        s = loaded.summary
        counts = {model: db.scalar(select(func.count()).select_from(model)) for model in
                  (OrgUnit, CounterRow, User, Customer, Meter, Reading, Bill, LedgerEntry)}
        assert list(counts.values()) == [s.org_units, s.counters, s.users, s.customers, s.meters, s.readings,
                                         s.bills, s.ledger_entries]
        assert (s.org_units, s.counters, s.users, s.customers) == (9, 8, len(DEMO_USERS), CUSTOMERS)
        assert s.seconds > 0

    def test_one_audit_record_and_clean_chains(self, db: Session, loaded: Loaded) -> None:
        """The load is one audit record on the server chain, and every chain verifies."""
        record = db.scalars(select(AuditRecord).where(AuditRecord.method == "demo_data.load")).one()
        assert (record.chain, record.username, record.method, record.target) == (
            "server", "demo-data", "demo_data.load", "database")
        assert record.after is not None
        assert record.after["customers"] == CUSTOMERS
        assert record.after["ledger_entries"] == loaded.summary.ledger_entries
        assert verify_chains(db).problems == []

    def test_schema_is_as_migrated(self, engine: Engine, loaded: Loaded) -> None:
        """The keys and indexes dropped for the bulk load are all back, as the migrations made them."""
        url = create_database(admin_url=loaded.server.admin_url, name="gc_fresh_schema")
        upgrade(url)
        fresh = create_engine(url, poolclass=NullPool)
        try:
            assert _schema(engine) == _schema(fresh)
        finally:
            fresh.dispose()

    def test_identities_continue_after_the_loaded_rows(self, db: Session) -> None:
        """New rows get ids after the explicitly numbered demo rows."""
        for table in ("customers", "meters", "readings", "bills", "bill_lines", "ledger_entries"):
            last = db.scalar(text(f"SELECT max(id) FROM {table}"))  # noqa: S608 - fixed table names
            nxt = db.scalar(text(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id'))"))
            assert nxt > last, table
        db.rollback()

    def test_second_load_is_refused(self, loaded: Loaded, db: Session) -> None:
        """A database that already has an organization is refused and left as it was."""
        assert has_data(loaded.url)
        with pytest.raises(DemoDataError, match="already has an organization"):
            load_demo_data(url=loaded.url, customers=5, pii=loaded.pii, today=TODAY)
        assert db.scalar(select(func.count()).select_from(Customer)) == CUSTOMERS

    def test_bad_arguments_are_refused(self, loaded: Loaded) -> None:
        """Negative customer counts and absurd month counts are refused before touching the database."""
        with pytest.raises(DemoDataError):
            load_demo_data(url=loaded.url, customers=-1, pii=loaded.pii)
        with pytest.raises(DemoDataError):
            load_demo_data(url=loaded.url, customers=1, pii=loaded.pii, months=0)

    def test_same_seed_same_books(self, loaded: Loaded) -> None:
        """Two loads with the same seed and day write the same customers, readings, bills and ledger."""
        digests = []
        for name in ("gc_seed_a", "gc_seed_b"):
            url = create_database(admin_url=loaded.server.admin_url, name=name)
            upgrade(url)
            load_demo_data(url=url, customers=40, pii=loaded.pii, months=MONTHS, today=TODAY)
            engine = create_engine(url, poolclass=NullPool)
            with engine.connect() as conn:
                digests.append([conn.execute(text(sql)).scalar_one() for sql in _BOOK_DIGESTS])
            engine.dispose()
        assert digests[0] == digests[1]
        assert all(digests[0])

    def test_empty_database_has_no_data(self, loaded: Loaded) -> None:
        """has_data is false on a freshly migrated database."""
        url = create_database(admin_url=loaded.server.admin_url, name="gc_empty")
        upgrade(url)
        assert not has_data(url)
