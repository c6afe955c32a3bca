"""Customer search: one key (户号, bill barcode, phone, meter number, name or address fragment), ranked
hits, a page at a time.

Scope: every user allowed to view customers sees every customer of the company — a customer may pay
at any hall — so there is no hall filter.

Each kind has its own index (migration 0003, docs/search.md), and every query below is shaped so that
PostgreSQL can answer a page without reading all matches:

* 户号, barcode and meter number are exact lookups in unique indexes. A barcode is a bill number:
  the bill's customer; when no bill has that number, the 户号 after its period.
* Phone: the trailing digits are a prefix of the reversed digits (``gc_phone_key``); exact phones rank
  first, then by 户号.
* Name and address, in tiers: (1) exact and prefix matches, read in rank order from the
  ``x COLLATE "C", customer_no`` index — so 张伟 comes before 张伟东, and those by 户号; (2) other
  texts containing the fragment: the first ``CANDIDATES`` found in storage order (bigram index for two
  characters, trigram index from three on, or an early-stopping scan for a fragment in most rows),
  ranked by the fragment's position, the text's length, then 户号. Tier 1 is complete, tier 2 is
  capped: a search returns at most tier 1 plus ``CANDIDATES`` customers, which is where a cashier
  types a longer key anyway. A tier is only asked for what the tiers before it did not fill. Letters
  are matched as stored (no case folding: lower() on Chinese text costs more than the search).

Paging reads ``offset + limit + 1`` ranked ids to tell whether there is a next page — no COUNT over a
million rows.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal, TypeAlias

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Dialect,
    Executable,
    Select,
    Text,
    and_,
    any_,
    bindparam,
    cast,
    exists,
    func,
    null,
    select,
    true,
    union_all,
)
from sqlalchemy.dialects.postgresql import ARRAY, array
from sqlalchemy.orm import InstrumentedAttribute, Session

from server.context import CallContext
from server.errors import AppError
from server.models.billing import Bill
from server.models.customers import Customer, Meter
from server.models.org import OrgUnit
from shared_models.errors import ErrorCode
from shared_models.methods.customers import (
    CustomerCategory,
    CustomerStatus,
    PaymentMode,
    SearchHit,
    SearchKind,
    SearchRequest,
    SearchResult,
)
from shared_models.search_keys import barcode_parts, parse

_PAIR = 2  # a two-character fragment: the bigram index
_SURROGATES_FIRST, _SURROGATES_LAST = 0xD800, 0xDFFF

#: One ranked hit before its row is read: the customer, and the meter that matched (meter search).
Ranked = tuple[int, str | None]
TextColumn = Literal["name", "address"]
_Stmt: TypeAlias = "Select[*tuple[Any, ...]]"


@functools.cache
def _explain_sql(statement: _Stmt, dialect: Dialect) -> tuple[str, Mapping[str, Any]]:
    """``EXPLAIN`` of ``statement`` as the driver takes it, and the statement's own parameter values: compiled once
    per statement (SQLAlchemy has no EXPLAIN construct, and compiling the pair tier costs ~0.5 ms)."""
    compiled = statement.compile(dialect=dialect)
    return "EXPLAIN " + str(compiled), compiled.params


def _plan(session: Session, statement: _Stmt, params: Mapping[str, Any]) -> list[str]:
    """The lines of PostgreSQL's plan for ``statement`` with ``params``: how it would run it."""
    conn = session.connection()
    sql, own = _explain_sql(statement, conn.dialect)
    return [str(row[0]) for row in conn.exec_driver_sql(sql, {**own, **params})]


_EXACT: Final[dict[SearchKind, _Stmt]] = {
    SearchKind.CUSTOMER_NO: select(Customer.id, null()).where(Customer.customer_no == bindparam("q")),
    SearchKind.METER: select(Meter.customer_id, Meter.asset_no).where(Meter.asset_no == bindparam("q")),
}

# The bill of the barcode (its number as scanned, or written YYYYMM-rest), else the 户号 after the period.
_BILL_OF_BARCODE = Bill.bill_no.in_([bindparam("q"), bindparam("dashed")])
_BARCODE: Final = union_all(
    select(Bill.customer_id, null()).where(_BILL_OF_BARCODE),
    select(Customer.id, null()).where(Customer.customer_no == bindparam("rest"), ~exists().where(_BILL_OF_BARCODE)),
)

# The phone's digits reversed: the trailing digits typed are a prefix of the phone key index.
_PHONE_KEY = func.gc_phone_key(Customer.phone)
_PHONE: Final = (
    select(Customer.id, null())
    .where(_PHONE_KEY.collate("C").like(bindparam("tail")))
    .order_by((_PHONE_KEY == bindparam("key")).desc(), Customer.customer_no)  # noqa: SIM300 - SQL, not a constant
    .limit(bindparam("n"))
)

#: How many texts holding a fragment are ranked at most (beyond tier 1): a cashier refines long before.
CANDIDATES = 200
# Sequential and bitmap heap scans return rows in storage order; a plain index scan would not, nor
# would a parallel scan, and a synchronised scan would start wherever another scan of the table happens
# to be. For the rest of the transaction, once tier 1 (which needs its ordered index scan) is done: what
# follows, the hits read by primary key, is as fast with a bitmap scan.
_STORAGE_ORDER = {"enable_indexscan": "off", "enable_indexonlyscan": "off", "synchronize_seqscans": "off",
                  "max_parallel_workers_per_gather": "0"}
_STORAGE_ORDER_SET: Final = select(*(func.set_config(k, v, true()) for k, v in _STORAGE_ORDER.items()))


@dataclass(frozen=True)
class _TextSql:
    """The statements of a name or address search."""

    prefix: _Stmt
    #: The tier-2 tests by name (``pair``, ``pair_scan``, ``longer``): what each statement below filters with.
    match: dict[str, ColumnElement[bool]]
    pair: _Stmt
    pair_scan: _Stmt
    longer: _Stmt


def _text_sql(column: InstrumentedAttribute[str]) -> _TextSql:
    """The statements of a search in ``column``. [:lo, :hi) is the range of texts that start with the fragment, in
    code-point ("C") order."""
    in_c = column.collate("C")
    starts = and_(in_c >= bindparam("lo"), in_c < bindparam("hi"))
    # Tier 1, exact and prefix matches in rank order, straight from the prefix index (x COLLATE "C", customer_no).
    prefix = select(Customer.id, null()).where(starts).order_by(in_c, Customer.customer_no).limit(bindparam("n"))

    def contains(match: ColumnElement[bool]) -> _Stmt:
        # Tier 2, the other texts holding the fragment (``match``: the bigram index for two characters, the
        # trigram index from three on). At most CANDIDATES of them are read — the first ones in storage order,
        # however PostgreSQL finds them: through the GIN index, or, for a fragment in a large share of the rows,
        # by a sequential scan that stops early — and those are ranked: where the fragment stands, then the
        # shorter text, then 户号. Reading every match to rank it would cost a heap visit per match, and a
        # fragment such as 文三路 has twenty thousand. MATERIALIZED: the cap applies before the ranking.
        found = (
            select(Customer.id, Customer.customer_no, column.label("t"))
            .where(match, ~starts)
            .limit(bindparam("cap"))
            .cte("found")
            .prefix_with("MATERIALIZED")
        )
        return (
            select(found.c.id, null())
            .order_by(func.strpos(found.c.t, bindparam("q")), func.char_length(found.c.t), found.c.customer_no)
            .limit(bindparam("n"))
        )

    match = {
        # The pair is in the text's bigrams: the bigram index, and the planner's estimate of how common it is.
        "pair": func.gc_bigrams(column, type_=ARRAY(Text)).contains(array([cast(bindparam("q"), Text)])),
        # The same test for a row at hand: for a two-character fragment, holding the pair is containing it.
        # Computing the bigrams of a row costs ~10 µs, strpos a fraction of that; but only the bigram test
        # lets the planner estimate how common the pair is. So the pair tier is planned with the bigram test
        # and, when the planner would scan the table (the pair is in a large share of the rows), run with this.
        "pair_scan": func.strpos(column, bindparam("q")) > 0,
        # Three characters and more: LIKE '%fragment%' through the trigram index.
        "longer": column.like(bindparam("inner")),
    }
    pair = contains(match["pair"])
    return _TextSql(prefix=prefix, match=match, pair=pair, pair_scan=contains(match["pair_scan"]),
                    longer=contains(match["longer"]))


_TEXT_SQL: Final[dict[TextColumn, _TextSql]] = {"name": _text_sql(Customer.name),
                                                "address": _text_sql(Customer.address)}

_HITS: Final = (
    select(
        Customer.id, Customer.customer_no, Customer.name, Customer.address, Customer.phone, Customer.status,
        Customer.category, Customer.payment_mode, OrgUnit.code.label("hall_code"),
        func.coalesce(
            select(Meter.asset_no).where(Meter.customer_id == Customer.id, Meter.removed_on.is_(None))
            .order_by(Meter.id).limit(1).scalar_subquery(),
            "",
        ).label("meter_no"),
    )
    .join(OrgUnit, OrgUnit.id == Customer.hall_id)
    .where(Customer.id == any_(bindparam("ids", type_=ARRAY(BigInteger))))
)


def _like_escape(fragment: str) -> str:
    """``fragment`` with LIKE's wildcards and escape character taken literally."""
    return fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _rows(session: Session, sql: Executable, params: dict[str, object]) -> list[Ranked]:
    # On the session's connection, as Core: the rows are plain tuples, without the ORM's result layer (~50 µs
    # a statement, and a search runs up to five).
    return [(int(row[0]), row[1]) for row in session.connection().execute(sql, params)]


def _exact(kind: SearchKind) -> Callable[[Session, str, int], list[Ranked]]:
    statement = _EXACT[kind]

    def find(session: Session, key: str, need: int) -> list[Ranked]:
        return _rows(session, statement, {"q": key})[:need]

    return find


def _barcode(session: Session, key: str, need: int) -> list[Ranked]:
    period, rest = barcode_parts(key)
    return _rows(session, _BARCODE, {"q": key, "dashed": f"{period}-{rest}", "rest": rest})[:need]


def _phone(session: Session, key: str, need: int) -> list[Ranked]:
    reversed_key = key[::-1]
    return _rows(session, _PHONE, {"tail": _like_escape(reversed_key) + "%", "key": reversed_key, "n": need})


def _successor(fragment: str) -> str:
    """The smallest text after every text that starts with ``fragment`` (code-point order).

    ``parse`` drops surrogates and unassigned code points, so the last character is below U+10FFFF
    and its successor is a valid character (past the surrogate block if need be).
    """
    following = ord(fragment[-1]) + 1
    if _SURROGATES_FIRST <= following <= _SURROGATES_LAST:
        following = _SURROGATES_LAST + 1
    return fragment[:-1] + chr(following)


def _contains_sql(session: Session, statements: _TextSql, key: str, params: dict[str, object]) -> _Stmt:
    """The tier-2 statement for ``key``: trigrams, the bigram index, or a scan with the cheap pair test."""
    if len(key) != _PAIR:
        return statements.longer
    plan = _plan(session, statements.pair, params)
    return statements.pair_scan if any("Seq Scan" in line for line in plan) else statements.pair


def _fragment(column: TextColumn) -> Callable[[Session, str, int], list[Ranked]]:
    statements = _TEXT_SQL[column]

    def find(session: Session, key: str, need: int) -> list[Ranked]:
        params: dict[str, object] = {"lo": key, "hi": _successor(key), "q": key,
                                     "inner": f"%{_like_escape(key)}%", "n": need}
        found = _rows(session, statements.prefix, params)
        if len(found) < need:
            params |= {"n": need - len(found), "cap": CANDIDATES}
            session.connection().execute(_STORAGE_ORDER_SET)
            found += _rows(session, _contains_sql(session, statements, key, params), params)
        return found

    return find


_FINDERS: dict[SearchKind, Callable[[Session, str, int], list[Ranked]]] = {
    SearchKind.CUSTOMER_NO: _exact(SearchKind.CUSTOMER_NO),
    SearchKind.BARCODE: _barcode,
    SearchKind.METER: _exact(SearchKind.METER),
    SearchKind.PHONE: _phone,
    SearchKind.NAME: _fragment("name"),
    SearchKind.ADDRESS: _fragment("address"),
}


def _hits(session: Session, ranked: Sequence[Ranked]) -> list[SearchHit]:
    """The rows of the ranked customers, in rank order (a matched meter replaces the current one)."""
    if not ranked:
        return []
    rows = {row.id: row for row in session.connection().execute(_HITS, {"ids": [cid for cid, _ in ranked]})}
    return [
        SearchHit(
            customer_no=row.customer_no, name=row.name, address=row.address, phone=row.phone,
            status=CustomerStatus(row.status), category=CustomerCategory(row.category),
            payment_mode=PaymentMode(row.payment_mode), meter_no=meter or row.meter_no, hall_code=row.hall_code,
        )
        for cid, meter in ranked
        if (row := rows.get(cid)) is not None
    ]


def search_customers(*, ctx: CallContext, req: SearchRequest) -> SearchResult:
    """Recognise the key (or check the forced kind), find ranked customers, return one page.

    Raises ``SEARCH_QUERY_INVALID`` when the text is no key of any kind (one Chinese character,
    punctuation only) or not a key of the forced kind.
    """
    key = parse(req.query, req.kind)
    if key is None:
        raise AppError(ErrorCode.SEARCH_QUERY_INVALID)
    end = req.offset + req.limit
    ranked = _FINDERS[key.kind](ctx.session, key.text, end + 1)
    return SearchResult(kind=key.kind, query=key.text, items=_hits(ctx.session, ranked[req.offset:end]),
                        offset=req.offset, has_more=len(ranked) > end)
