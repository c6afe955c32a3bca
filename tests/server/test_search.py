"""customer.search_customers: every kind of key, ranking, paging, bad keys, permission, the indexes
that serve each kind, and the UTF-8 ctype that Chinese trigrams need in every database we create."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from server.db.databases import create_database, drop_database
from server.db.embedded import EmbeddedPostgres
from server.models.billing import Bill
from server.models.customers import (
    Customer,
    CustomerCategory,
    CustomerStatus,
    Meter,
    PaymentMode,
    Tariff,
    TariffVersion,
)
from server.security import PiiCipher, mask_id_number
from server.services import search
from server.services.search import TextColumn
from tests.conftest import TEMPLATE
from tests.factories import World
from tests.rpc_helpers import Answer, Caller

METHOD = "customer.search_customers"

#: (户号, name, address, phone, meter asset number) seeded on top of the factory world, whose
#: customers are 张伟 3301000001, 李秀英 3300000000002 and 王芳 3301000003 (文三路100-102号).
PEOPLE = (
    ("3302000001", "张伟东", "浙江省杭州市西湖区教工路8号2幢1单元301室", "13912345678", "3310012301234567890001"),
    ("3302000002", "王张伟", "浙江省宁波市鄞州区天童南路55号", "0574-8765 4321", "3310012301234567890002"),
    ("3302000003", "张伟", "浙江省杭州市西湖区西溪路3号", "15900012345", "ZJ3301-0042"),
    ("3302000004", "张三丰", "浙江省杭州市西湖区三墩镇灯塔村12号", "18800054321", "3310012301234567890004"),
    ("3302000005", "欧阳张三丰", "浙江省宁波市鄞州区姜山镇科技路100%号", "13700000000", "3310012301234567890005"),
    ("3300000000006", "鑫源便利店", "浙江省杭州市西湖区文三路1_0号", "13600054321", "3310012301234567890006"),
)
BILL_NO = "2026100000000042"  # a bill number as the demo data makes them (period + 10 digits), of 张三丰


def _person(session: Session, pii: PiiCipher, *, no: str, name: str, address: str, phone: str,
            meter: str) -> Customer:
    tariff = session.scalars(select(Tariff)).first()
    hall = session.scalar(select(Customer.hall_id).limit(1))
    assert tariff is not None
    assert hall is not None
    id_number = "330106198001010019"
    customer = Customer(customer_no=no, name=name, address=address, phone=phone,
                        id_number_enc=pii.encrypt(id_number), id_number_masked=mask_id_number(id_number),
                        category=CustomerCategory.RESIDENTIAL, status=CustomerStatus.ACTIVE,
                        payment_mode=PaymentMode.POSTPAID, tariff_id=tariff.id, hall_id=hall, book_code="T01-B009",
                        book_seq=1)
    session.add(customer)
    session.flush()
    session.add(Meter(asset_no=meter, customer_id=customer.id, multiplier=1, digits=6,
                      installed_on=dt.date(2021, 5, 1)))
    return customer


@pytest.fixture
def people(db: Session, pii: PiiCipher, world: World) -> dict[str, int]:
    """The extra customers, a bill with a barcode, and a removed meter of 王芳; returns ids by 户号."""
    ids = {}
    for no, name, address, phone, meter in PEOPLE:
        ids[no] = _person(db, pii, no=no, name=name, address=address, phone=phone, meter=meter).id
    version = db.scalars(select(TariffVersion)).first()
    assert version is not None
    db.add(Bill(bill_no=BILL_NO, customer_id=ids["3302000004"], period=202610, kwh=100, amount_fen=5380,
                issued_on=dt.date(2026, 11, 1), due_on=dt.date(2026, 11, 24), tariff_version_id=version.id))
    db.add(Meter(asset_no="3310012301234567899999", customer_id=world.customers["3301000003"], multiplier=1,
                 digits=6, installed_on=dt.date(2010, 1, 1), removed_on=dt.date(2019, 12, 31)))
    db.commit()
    return ids


@pytest.fixture
def cashier(caller: Caller, people: dict[str, int]) -> Caller:
    """A cashier signed in at T0101, with the extra customers in place."""
    assert caller.login("cashier1").status == 200
    return caller


def _search(caller: Caller, query: str, **extra: Any) -> Answer:
    answer = caller.call(METHOD, {"query": query, **extra})
    assert answer.status == 200, answer.body
    return answer


def _numbers(answer: Answer) -> list[str]:
    return [hit["customer_no"] for hit in answer.body["items"]]


class TestKinds:
    def test_customer_no_ten_and_thirteen_digits(self, cashier: Caller) -> None:
        """A 户号 of 10 or 13 digits finds exactly that customer, with its hall and current meter."""
        ten = _search(cashier, "3301000001")
        assert ten.body["kind"] == "customer_no"
        assert ten.body["items"] == [{
            "customer_no": "3301000001", "name": "张伟", "address": "浙江省杭州市西湖区文三路100号",
            "phone": "13800000000", "status": "active", "category": "residential", "payment_mode": "postpaid",
            "meter_no": "0" * 22, "hall_code": "T01",
        }]
        assert _numbers(_search(cashier, "3300000000006")) == ["3300000000006"]

    def test_full_width_digits_and_spaces(self, cashier: Caller) -> None:
        """Full-width digits, grouping spaces and a scanner's trailing CR are normalised away."""
        answer = _search(cashier, "３３０１ ０００ ００１\r\n")
        assert (answer.body["kind"], answer.body["query"], _numbers(answer)) == (
            "customer_no", "3301000001", ["3301000001"])

    def test_unknown_customer_no_is_no_hit(self, cashier: Caller) -> None:
        """A well-formed 户号 nobody has is an empty page, not an error."""
        answer = _search(cashier, "9999999999")
        assert (answer.body["items"], answer.body["has_more"]) == ([], False)

    def test_barcode_finds_the_bills_customer(self, cashier: Caller) -> None:
        """A scanned bill barcode (the 16-digit bill number) opens the bill's customer."""
        answer = _search(cashier, BILL_NO)
        assert (answer.body["kind"], answer.body["query"], _numbers(answer)) == ("barcode", BILL_NO, ["3302000004"])

    def test_barcode_of_a_bill_numbered_with_a_dash(self, cashier: Caller, db: Session) -> None:
        """A bill numbered ``YYYYMM-户号`` is found from the digits alone, as a barcode carries them."""
        bill = db.scalars(select(Bill).where(Bill.bill_no.like("%-%"))).first()
        assert bill is not None
        owner = db.scalars(select(Customer.customer_no).where(Customer.id == bill.customer_id)).one()
        assert _numbers(_search(cashier, bill.bill_no.replace("-", ""))) == [owner]

    def test_barcode_without_a_bill_names_the_customer(self, cashier: Caller) -> None:
        """A period and a 13-digit 户号 (19 digits) with no such bill still opens the customer."""
        answer = _search(cashier, "2027013300000000006")
        assert (answer.body["kind"], _numbers(answer)) == ("barcode", ["3300000000006"])

    def test_phone_exact_then_trailing_digits(self, cashier: Caller) -> None:
        """An 11-digit phone ranks the exact owner first; 5 to 9 trailing digits find every phone ending so."""
        assert _numbers(_search(cashier, "138 0000 0000")) == ["3301000001"]
        tail = _search(cashier, "54321")
        assert tail.body["kind"] == "phone"
        assert _numbers(tail) == ["3300000000006", "3302000002", "3302000004"]

    def test_landline_with_punctuation(self, cashier: Caller) -> None:
        """A phone stored as ``0574-8765 4321`` is found by its digits."""
        assert _numbers(_search(cashier, "057487654321")) == ["3302000002"]

    def test_meter_asset_numbers(self, cashier: Caller) -> None:
        """A 22-digit meter number finds its customer; letters are matched upper-cased."""
        assert _numbers(_search(cashier, "3310012301234567890004")) == ["3302000004"]
        lettered = _search(cashier, "zj3301-0042")
        assert (lettered.body["kind"], _numbers(lettered)) == ("meter", ["3302000003"])

    def test_removed_meter_still_finds_its_customer(self, cashier: Caller) -> None:
        """A meter changed years ago still leads to its customer, and the hit shows the meter that matched."""
        answer = _search(cashier, "3310012301234567899999")
        assert _numbers(answer) == ["3301000003"]
        assert answer.body["items"][0]["meter_no"] == "3310012301234567899999"

    def test_two_character_name(self, cashier: Caller) -> None:
        """张伟: exact names (by 户号), then names starting with it, then names containing it."""
        answer = _search(cashier, "张伟")
        assert answer.body["kind"] == "name"
        assert _numbers(answer) == ["3301000001", "3302000003", "3302000001", "3302000002"]

    def test_three_character_name(self, cashier: Caller) -> None:
        """张三丰 (trigram index): the exact name first, then the longer name containing it."""
        assert _numbers(_search(cashier, "张三丰")) == ["3302000004", "3302000005"]

    def test_shop_name(self, cashier: Caller) -> None:
        """A shop's name is a name, found by any part of it."""
        answer = _search(cashier, "便利")
        assert (answer.body["kind"], _numbers(answer)) == ("name", ["3300000000006"])

    def test_address_fragments(self, cashier: Caller) -> None:
        """An address fragment with a street word or a number is an address search."""
        answer = _search(cashier, "灯塔村")
        assert (answer.body["kind"], _numbers(answer)) == ("address", ["3302000004"])
        assert _numbers(_search(cashier, "文三路101号")) == ["3300000000002"]

    def test_forced_address_kind(self, cashier: Caller, db: Session) -> None:
        """西湖 would be a name; forced to an address it finds every 西湖区 customer, ranked by where 西湖
        stands in the address, then the shorter address, then 户号."""
        assert _numbers(_search(cashier, "西湖")) == []
        answer = _search(cashier, "西湖", kind="address")
        assert answer.body["kind"] == "address"
        rows = db.execute(select(Customer.customer_no, Customer.address).where(Customer.address.contains("西湖"))).all()
        expected = [no for no, address in sorted(rows, key=lambda r: (r[1].index("西湖"), len(r[1]), r[0]))]
        assert len(expected) >= 4
        assert _numbers(answer) == expected

    def test_contains_ranking(self, cashier: Caller) -> None:
        """Among names holding 三丰 (none starts with it), 张三丰 ranks before 欧阳张三丰: 三丰 stands earlier."""
        assert _numbers(_search(cashier, "三丰")) == ["3302000004", "3302000005"]

    def test_address_prefix_ranks_first(self, cashier: Caller) -> None:
        """An address typed from its start ranks by the address itself (prefix index order)."""
        answer = _search(cashier, "浙江省宁波市")
        assert _numbers(answer) == ["3302000002", "3302000005"]  # 天 U+5929 < 姜 U+59DC

    def test_like_wildcards_are_literal(self, cashier: Caller) -> None:
        """% and _ in a query are characters, not wildcards."""
        assert _numbers(_search(cashier, "100%号")) == ["3302000005"]
        assert _numbers(_search(cashier, "1_0号")) == ["3300000000006"]


class TestPaging:
    def test_pages_cover_the_ranking_once(self, cashier: Caller) -> None:
        """Pages of two walk the same ranking as one big page; ``has_more`` is false on the last."""
        whole = _numbers(_search(cashier, "张伟", limit=50))
        pages: list[str] = []
        flags = []
        for offset in range(0, 6, 2):
            answer = _search(cashier, "张伟", offset=offset, limit=2)
            assert answer.body["offset"] == offset
            pages += _numbers(answer)
            flags.append(answer.body["has_more"])
        assert pages == whole
        assert flags == [True, False, False]

    def test_contains_tier_is_capped(self, cashier: Caller, monkeypatch: pytest.MonkeyPatch) -> None:
        """At most CANDIDATES texts containing the fragment are ranked; prefix matches are never cut."""
        monkeypatch.setattr("server.services.search.CANDIDATES", 1)
        capped = _search(cashier, "西湖", kind="address")
        assert (len(capped.body["items"]), capped.body["has_more"]) == (1, False)
        # three names start with 张伟: all of them, and then the one name containing it
        assert _numbers(_search(cashier, "张伟")) == ["3301000001", "3302000003", "3302000001", "3302000002"]

    def test_page_exactly_full(self, cashier: Caller) -> None:
        """A page that ends exactly on the last hit says there is no more."""
        answer = _search(cashier, "张伟", limit=4)
        assert (len(answer.body["items"]), answer.body["has_more"]) == (4, False)


class TestBadQueries:
    @pytest.mark.parametrize("query", ["张", "!!!", "1234", "一、", "123456789012345"])
    def test_not_a_key(self, cashier: Caller, query: str) -> None:
        """One Chinese character, punctuation, too few or an unknown number of digits: SEARCH_QUERY_INVALID."""
        answer = cashier.call(METHOD, {"query": query})
        assert (answer.status, answer.code, answer.params) == (422, "SEARCH_QUERY_INVALID", {})

    def test_blank_query_is_refused_by_the_contract(self, cashier: Caller) -> None:
        """Only spaces never reach the search: the contract (and so the OpenAPI document) refuses it."""
        answer = cashier.call(METHOD, {"query": "   "})
        assert (answer.status, answer.code, answer.params["field"]) == (422, "INVALID_REQUEST", "query")

    def test_forced_kind_must_fit(self, cashier: Caller) -> None:
        """A name forced to be a 户号 is refused, not searched."""
        answer = cashier.call(METHOD, {"query": "张伟", "kind": "customer_no"})
        assert answer.code == "SEARCH_QUERY_INVALID"

    @pytest.mark.parametrize("params", [
        {"query": "张" * 65}, {"query": ""}, {"query": "张伟", "limit": 0}, {"query": "张伟", "limit": 101},
        {"query": "张伟", "offset": -1}, {"query": "张伟", "kind": "email"},
    ])
    def test_shape_errors(self, cashier: Caller, params: dict[str, Any]) -> None:
        """Too long, empty, a limit or offset out of range, an unknown kind: INVALID_REQUEST."""
        assert cashier.call(METHOD, params).code == "INVALID_REQUEST"

    def test_needs_a_session(self, caller: Caller, people: dict[str, int]) -> None:
        """Without signing in nobody searches customers."""
        assert caller.call(METHOD, {"query": "张伟"}).code == "NOT_AUTHENTICATED"

    def test_meter_reader_may_search(self, caller: Caller, people: dict[str, int]) -> None:
        """Every role that views customers searches all of them (no hall scope)."""
        assert caller.login("reader1").status == 200
        assert "3302000002" in _numbers(_search(caller, "张伟"))  # a Ningbo customer from a Hangzhou hall


#: (SQL of a search tier, index it must use): checked with sequential scans disabled, so the plan
#: shows whether the index *can* serve the query (the 1 M plans are in docs/search.md).
PLANS = [
    ("SELECT id FROM customers WHERE gc_bigrams(name) @> ARRAY['张伟']", "ix_customers_name_bigrams"),
    ("SELECT id FROM customers WHERE gc_bigrams(address) @> ARRAY['西湖']", "ix_customers_address_bigrams"),
    ("SELECT id FROM customers WHERE name LIKE '%张三丰%'", "ix_customers_name_trgm"),
    ("SELECT id FROM customers WHERE address LIKE '%灯塔村%'", "ix_customers_address_trgm"),
    ("SELECT id FROM customers WHERE name COLLATE \"C\" >= '张伟' AND name COLLATE \"C\" < '张传'"
     " ORDER BY name COLLATE \"C\", customer_no LIMIT 51", "ix_customers_name_prefix"),
    ("SELECT id FROM customers WHERE address COLLATE \"C\" >= '浙江' AND address COLLATE \"C\" < '浙汞'"
     " ORDER BY address COLLATE \"C\", customer_no LIMIT 51", "ix_customers_address_prefix"),
    ("SELECT id FROM customers WHERE gc_phone_key(phone) COLLATE \"C\" LIKE '12345%'", "ix_customers_phone_key"),
]


@pytest.mark.parametrize(("sql", "index"), PLANS, ids=[index for _, index in PLANS])
def test_index_serves_the_query(db: Session, sql: str, index: str) -> None:
    """Each search statement matches its index's expression exactly (else PostgreSQL cannot use it)."""
    db.execute(text("SET enable_seqscan = off"))
    plan = "\n".join(row[0] for row in db.execute(text(f"EXPLAIN {sql}")))
    assert index in plan, plan


#: (column, tier of ``search._TEXT_SQL``, fragment, index the service's own expression must be able to use).
SERVICE_PLANS = [
    ("name", "prefix", "张伟", "ix_customers_name_prefix"),
    ("address", "prefix", "浙江", "ix_customers_address_prefix"),
    ("name", "pair", "张伟", "ix_customers_name_bigrams"),
    ("address", "pair", "西湖", "ix_customers_address_bigrams"),
    ("name", "longer", "张三丰", "ix_customers_name_trgm"),
    ("address", "longer", "灯塔村", "ix_customers_address_trgm"),
]


@pytest.mark.parametrize(("column", "tier", "fragment", "index"), SERVICE_PLANS,
                         ids=[f"{tier}-{index}" for _, tier, _, index in SERVICE_PLANS])
def test_service_statement_uses_its_index(db: Session, column: TextColumn, tier: str, fragment: str,
                                          index: str) -> None:
    """The search's own expressions, as SQLAlchemy compiles them, match their index's expression exactly."""
    statements = search._TEXT_SQL[column]
    # Tier 2 as filtered (on a few rows the planner reads them by the prefix index the NOT range allows).
    statement = statements.prefix if tier == "prefix" else select(Customer.id).where(statements.match[tier])
    params = {"lo": fragment, "hi": search._successor(fragment), "q": fragment, "inner": f"%{fragment}%", "n": 51,
              "cap": search.CANDIDATES}
    db.execute(text("SET LOCAL enable_seqscan = off"))
    plan = "\n".join(search._plan(db, statement, params))
    assert index in plan, plan


def test_phone_statement_uses_its_index(db: Session) -> None:
    """The trailing-digits search reads the phone key index."""
    db.execute(text("SET LOCAL enable_seqscan = off"))
    plan = "\n".join(search._plan(db, search._PHONE, {"tail": "12345%", "key": "12345", "n": 51}))
    assert "ix_customers_phone_key" in plan, plan


@pytest.mark.parametrize(("column", "fragment"), [("name", "张伟"), ("name", "三丰"), ("address", "西湖"),
                                                 ("address", "0号"), ("address", "1_")])
def test_pair_tier_scan_and_index_agree(db: Session, people: dict[str, int], column: TextColumn,
                                        fragment: str) -> None:
    """The two forms of the two-character tier (bigram index, or a scan with strpos) return the same rows."""
    statements = search._TEXT_SQL[column]
    params = {"lo": fragment, "hi": search._successor(fragment), "q": fragment, "n": 100, "cap": 100}
    db.execute(search._STORAGE_ORDER_SET)
    by_scan = db.execute(statements.pair_scan, params).all()
    assert by_scan
    db.execute(text("SET LOCAL enable_seqscan = off"))
    assert "Bitmap" in "\n".join(search._plan(db, statements.pair, params))
    assert db.execute(statements.pair, params).all() == by_scan


def test_key_functions(db: Session) -> None:
    """gc_bigrams lists the two-character substrings; gc_phone_key reverses a phone's digits."""
    row = db.execute(text("SELECT gc_bigrams('张伟伟伟'), gc_bigrams('张'), gc_phone_key('0574-8765 4321')")).one()
    assert (row[0], row[1], row[2]) == (["张伟", "伟伟", "伟伟"], [], "123456784750")


def test_renamed_customer_is_found_by_the_new_name(caller: Caller, db: Session, people: dict[str, int]) -> None:
    """The bigram index follows a change of name: the two-character search finds the new name only."""
    customer = db.get(Customer, people["3302000004"])
    assert customer is not None
    customer.name = "罗贯中"
    db.commit()
    assert caller.login("cashier1").status == 200
    assert _numbers(_search(caller, "贯中")) == ["3302000004"]
    assert "3302000004" not in _numbers(_search(caller, "三丰"))


def _ctype_and_trigrams(url: str) -> tuple[str, list[str]]:
    """The database's ctype and pg_trgm's trigrams of 张三丰 (the extension is added and rolled back if missing)."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
            ctype = conn.execute(
                text("SELECT datctype FROM pg_database WHERE datname = current_database()")).scalar_one()
            trigrams = list(conn.execute(text("SELECT show_trgm('张三丰')")).scalar_one())
            conn.rollback()
            return str(ctype), trigrams
    finally:
        engine.dispose()


@pytest.fixture
def fresh_database(pg: EmbeddedPostgres) -> Iterator[str]:
    """A database made by ``create_database`` without a template, dropped afterwards."""
    name = f"gc_fresh_{uuid.uuid4().hex[:8]}"
    yield create_database(admin_url=pg.admin_url, name=name)
    drop_database(admin_url=pg.admin_url, name=name)


def test_every_database_we_create_has_chinese_trigrams(pg: EmbeddedPostgres, db_url: str, fresh_database: str,
                                                      world: World) -> None:
    """The embedded cluster's database, a new database, the test template and its copies: UTF-8 ctype,
    and pg_trgm finds trigrams in 张三丰 (under a C ctype it finds none and name search finds nothing)."""
    template_url = make_url(db_url).set(database=TEMPLATE).render_as_string(hide_password=False)
    for url in (pg.url, fresh_database, template_url, db_url):
        ctype, trigrams = _ctype_and_trigrams(url)
        assert "utf" in ctype.lower(), url
        assert len(trigrams) == 4, (url, trigrams)  # "  张", " 张三", "张三丰", "三丰 "
