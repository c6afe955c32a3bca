"""Demo data: a province with 2 cities, 4 halls, 8 counters, users of every role, flat tariffs and
N customers with meters, a year of readings, bills, payments, some arrears and some prepayment.

Scales to a million customers for the benchmarks: customers and meters are generated in Python
(names, addresses, encrypted ID numbers) and bulk-loaded with COPY in bounded batches; readings,
bills, bill lines and ledger entries are generated set-based in SQL from a per-customer profile,
with deterministic pseudo-randomness (``hashint8extended``), so the same seed gives the same books.

The whole load is one transaction and one audit record: it either fully happens or not at all.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import random
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, replace
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import CursorResult, create_engine, func, select, text
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from server.audit_chain import write_records
from server.clock import SystemClock
from server.context import AuditEntry, CallContext
from server.models.customers import (
    CustomerCategory,
    CustomerStatus,
    PaymentMode,
    Tariff,
    TariffKind,
    TariffVersion,
)
from server.models.org import Counter, OrgKind, OrgUnit
from server.models.users import User
from server.security import PiiCipher, hash_password, mask_id_number
from server.settings import Settings
from shared_models.money import parse_price
from shared_models.roles import Role
from shared_models.rules.hall_time import HALL_TZ

logger = logging.getLogger(__name__)

#: The one password of every demo user (docs/demo-users.md). For demonstrations only.
DEMO_PASSWORD = "Demo-2026"  # noqa: S105 - a documented demo password, not a secret

#: The SQL expression pricing one bill line: kWh × price, rounded half up to the fen. PostgreSQL's
#: ``round(numeric)`` rounds half away from zero, which is half up for these non-negative amounts
#: and so agrees with ``shared_models.money.round_half_up_to_fen``.
LINE_AMOUNT_SQL = "round(({kwh}) * ({price}) * 100)::bigint"

_CHINA = HALL_TZ
_BATCH = 50_000
_BOOK_SIZE = 200
_DUE_DAY = 24  # pay by the 24th of the month after reading (DOMAIN §5.3, local example)


class DemoDataError(RuntimeError):
    """Demo data cannot be loaded (the database already holds data, or the arguments are wrong)."""


@dataclass(frozen=True)
class DemoSummary:
    """What a load created, and how long it took."""

    org_units: int
    counters: int
    users: int
    customers: int
    meters: int
    readings: int
    bills: int
    ledger_entries: int
    seconds: float


# ---------------------------------------------------------------------------------------------- the org tree


@dataclass(frozen=True)
class _Hall:
    code: str
    name: str
    county: str
    city: str  # 杭州市
    district: str  # 西湖区
    streets: tuple[str, ...]
    towns: tuple[tuple[str, tuple[str, ...]], ...]  # (镇, villages)
    id_regions: tuple[str, ...]  # GB/T 2260 codes for ID numbers of people living there


_CENTER = ("P33", "省电力公司")
_CITIES = (("C01", "杭州供电公司"), ("C02", "宁波供电公司"))
_COUNTIES = (("C01K01", "西湖区供电分公司", "C01"), ("C02K01", "鄞州区供电分公司", "C02"))
_HALLS = (
    _Hall("H01", "文三路营业厅", "C01K01", "杭州市", "西湖区",
          ("文三路", "文二路", "文一路", "教工路", "学院路", "天目山路", "西溪路", "保俶路", "杭大路", "曙光路",
           "黄龙路", "万塘路"),
          (("三墩镇", ("灯塔村", "绕城村", "石祥村")),),
          ("330106", "330106", "330106", "330102", "330105", "330108", "330110")),
    _Hall("H02", "三墩营业厅", "C01K01", "杭州市", "西湖区",
          ("古墩路", "紫金港路", "振华路", "西园路", "留祥路", "余杭塘路", "申花路", "三墩路"),
          (("三墩镇", ("兰里村", "方家村", "厚仁村")), ("双浦镇", ("杨家村", "东江嘴村", "新沙村"))),
          ("330106", "330106", "330106", "330105", "330110", "330109")),
    _Hall("H03", "首南营业厅", "C02K01", "宁波市", "鄞州区",
          ("天童南路", "鄞州大道", "首南中路", "泰康中路", "惠风东路", "嵩江中路", "宁南南路", "四明中路",
           "钱湖北路", "日丽中路", "天童北路"),
          (("五乡镇", ("宝幢村", "明伦村")), ("东吴镇", ("天童村", "勤勇村"))),
          ("330212", "330212", "330212", "330203", "330205", "330206", "330211")),
    _Hall("H04", "姜山营业厅", "C02K01", "宁波市", "鄞州区",
          ("姜山镇景江路", "姜山镇明山路", "姜山镇科技路", "姜山镇望童路", "钱湖南路"),
          (("姜山镇", ("走马塘村", "陈婆渡村", "井亭村", "茅山村", "蔡郎桥村")),
           ("咸祥镇", ("咸一村", "南头村")), ("横溪镇", ("横溪村", "梅岭村"))),
          ("330212", "330212", "330212", "330213", "330203", "330227")),
)

#: (user name, role, org code, display name): admin at the center; per hall two cashiers, a
#: supervisor and a meter reader; per city a billing clerk (at the city) and a business clerk.
DEMO_USERS: tuple[tuple[str, Role, str, str], ...] = (
    ("admin", Role.ADMIN, "P33", "沈建国"),
    ("cashier0101", Role.CASHIER, "H01", "王丽娟"), ("cashier0102", Role.CASHIER, "H01", "陈晓燕"),
    ("supervisor01", Role.SUPERVISOR, "H01", "张海波"), ("reader01", Role.METER_READER, "H01", "李强"),
    ("cashier0201", Role.CASHIER, "H02", "周婷婷"), ("cashier0202", Role.CASHIER, "H02", "徐静"),
    ("supervisor02", Role.SUPERVISOR, "H02", "吴志刚"), ("reader02", Role.METER_READER, "H02", "孙伟"),
    ("cashier0301", Role.CASHIER, "H03", "林雪芬"), ("cashier0302", Role.CASHIER, "H03", "胡佳怡"),
    ("supervisor03", Role.SUPERVISOR, "H03", "郑立新"), ("reader03", Role.METER_READER, "H03", "鲍军"),
    ("cashier0401", Role.CASHIER, "H04", "应美玲"), ("cashier0402", Role.CASHIER, "H04", "邬敏"),
    ("supervisor04", Role.SUPERVISOR, "H04", "俞晓东"), ("reader04", Role.METER_READER, "H04", "汪磊"),
    ("billing01", Role.BILLING_CLERK, "C01", "杨春梅"), ("billing02", Role.BILLING_CLERK, "C02", "蒋海燕"),
    ("business01", Role.BUSINESS_CLERK, "H01", "朱文杰"), ("business02", Role.BUSINESS_CLERK, "H03", "董丽萍"),
)

# (code, name, category, price yuan/kWh, late fee ‰ per day): Zhejiang catalogue prices (DOMAIN §1.2, §5).
_TARIFFS = (
    # code, name, category, price per kWh, late fee ‰ a day in the current year and across a year end
    # (DOMAIN §5.1: residential 1‰; others 2‰, 3‰ across a year end)
    ("ZJ-RES-1KV", "居民生活用电 一户一表 不满1千伏", CustomerCategory.RESIDENTIAL, "0.538", "1", "1"),
    ("ZJ-COM-1KV", "一般工商业 不满1千伏", CustomerCategory.COMMERCIAL, "0.6894", "2", "3"),
    ("ZJ-AGR-1KV", "农业生产用电 不满1千伏", CustomerCategory.AGRICULTURAL, "0.4853", "2", "3"),
)
_TARIFF_FROM = dt.date(2025, 1, 1)

# ---------------------------------------------------------------------------------------------- people

# Common surnames with rough frequencies in per mille (Zhejiang flavour: 沈, 俞, 应, 邬, 鲍 …).
_SURNAMES = (
    ("王", 71), ("李", 70), ("张", 67), ("刘", 54), ("陈", 55), ("杨", 31), ("黄", 22), ("赵", 20), ("吴", 22),
    ("周", 19), ("徐", 17), ("孙", 14), ("马", 13), ("朱", 13), ("胡", 13), ("郭", 11), ("何", 10), ("高", 10),
    ("林", 11), ("罗", 9), ("郑", 10), ("梁", 7), ("谢", 6), ("宋", 6), ("唐", 6), ("许", 7), ("韩", 5), ("冯", 5),
    ("邓", 5), ("曹", 5), ("彭", 5), ("曾", 4), ("肖", 4), ("田", 4), ("董", 4), ("袁", 4), ("潘", 5), ("于", 4),
    ("蒋", 5), ("蔡", 4), ("余", 4), ("杜", 3), ("叶", 5), ("程", 3), ("苏", 3), ("魏", 3), ("吕", 3), ("丁", 3),
    ("任", 3), ("沈", 6), ("姚", 3), ("卢", 3), ("姜", 2), ("崔", 2), ("钟", 2), ("谭", 2), ("陆", 4), ("汪", 3),
    ("范", 2), ("金", 3), ("石", 2), ("廖", 2), ("贾", 2), ("夏", 2), ("方", 3), ("邵", 2), ("钱", 2), ("顾", 2),
    ("毛", 2), ("孔", 1), ("戴", 2), ("严", 1), ("俞", 2), ("应", 1), ("邬", 1), ("鲍", 1), ("楼", 1), ("童", 1),
    ("欧阳", 1), ("诸葛", 1), ("上官", 1), ("司马", 1),
)


def _names(words: str) -> tuple[str, ...]:
    """A table of names written as one space-separated string (long lists stay readable)."""
    return tuple(words.split())


# Given names by generation: (born before 1965, 1965-1985, after 1985), male then female.
_GIVEN = {
    (0, "m"): _names(
        "建国 建华 国强 国庆 建军 志强 德明 永刚 卫东 国华 振华 洪涛 文斌 金根 阿根 水根 福根 荣华 宝林 "
        "炳坤 志明 明华 庆丰 根宝 军 强 华 明 平 刚 林 忠 福 海"
    ),
    (0, "f"): _names(
        "秀英 桂英 秀兰 玉兰 桂兰 秀珍 凤英 玉梅 淑珍 丽华 美华 月英 彩娥 雪芬 美娟 秀芳 爱华 菊芬 金娣 "
        "阿娣 英 兰 珍 芳 华 梅 萍 琴"
    ),
    (1, "m"): _names(
        "伟 磊 勇 杰 涛 斌 军 鹏 辉 峰 波 健 东 亮 刚 强 志刚 海波 建平 晓东 晓明 立新 永强 文杰 海涛 "
        "伟民 俊杰 建伟 小平 剑锋 国栋"
    ),
    (1, "f"): _names(
        "芳 敏 静 丽 艳 娟 霞 燕 玲 红 琴 洁 丽娟 海燕 晓燕 春梅 红梅 丽萍 晓红 雪梅 美玲 丽丽 亚萍 巧玲 "
        "婷婷 琳琳 晓霞"
    ),
    (2, "m"): _names(
        "浩 宇 鑫 凯 帅 超 阳 杰 浩然 宇轩 子轩 俊杰 家豪 文博 思远 一鸣 天宇 子豪 博文 宇航 晨阳 嘉豪 "
        "明轩 昊天 梓豪 睿 航 晨 哲 逸"
    ),
    (2, "f"): _names(
        "婷 雪 琳 颖 倩 佳 悦 璐 欣怡 子涵 梓涵 雨涵 诗涵 佳怡 嘉怡 思琪 雨欣 一诺 欣妍 可馨 梦瑶 佳琪 "
        "晓彤 心怡 雨婷 紫萱 静怡 婧 瑶 妍"
    ),
}
_GIVEN_CHARS = {
    "m": "建国志明伟强文军华平海东俊杰涛斌鹏宇浩晓永立金德家子天振学新荣成勇辉飞军峰",
    "f": "秀丽美玉红晓静婷雪燕芳佳欣雨梦思慧敏琳颖晶霞兰萍月春桂秋诗怡娟丹玲洁",
}
_SHOP_BRANDS = ("鑫源", "恒达", "华联", "永盛", "天成", "瑞丰", "金鼎", "宏达", "兴旺", "祥和", "同福", "万家",
                "佳和", "顺发", "聚福", "嘉禾", "百味", "新风", "大丰", "隆兴", "开元", "四季", "阿明", "老张")
_SHOP_KINDS = ("便利店", "超市", "面馆", "餐厅", "理发店", "五金店", "药房", "水果店", "服装店", "烟酒店", "茶楼",
               "干洗店", "汽修厂", "快递驿站", "培训中心", "小吃店", "早餐店", "农资店")
_TRADES = ("贸易", "科技", "电子", "机械", "服饰", "食品", "建材", "物流", "文化传媒", "餐饮管理", "五金制品", "包装")
_PHONE_PREFIXES = tuple(
    f"{p}" for p in (*range(130, 140), 150, 151, 152, 153, 155, 156, 157, 158, 159, 166, 173, 175, 176, 177, 178,
                     *range(180, 190), 191, 198, 199)
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_BIRTH_FIRST = dt.date(1940, 1, 1).toordinal()
_BIRTH_LAST = dt.date(2005, 12, 31).toordinal()

# Monthly consumption factors by calendar month (Jan..Dec): air conditioning in Jul/Aug, heating
# in Jan/Feb for homes; summer cooling for shops; irrigation from June to September on farms.
_SEASON = {
    CustomerCategory.RESIDENTIAL: ("1.35", "1.30", "1.00", "0.85", "0.85", "1.00", "1.45", "1.55", "1.10", "0.85",
                                   "0.90", "1.15"),
    CustomerCategory.COMMERCIAL: ("1.10", "0.85", "1.00", "0.95", "1.00", "1.10", "1.30", "1.35", "1.10", "1.00",
                                  "0.95", "1.05"),
    CustomerCategory.AGRICULTURAL: ("0.50", "0.50", "0.70", "0.90", "1.10", "1.50", "1.80", "1.80", "1.40", "0.90",
                                    "0.60", "0.50"),
}


def id_check_digit(first17: str) -> str:
    """The GB 11643 check character of the first 17 digits of a citizen ID number."""
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


class _People:
    """Names, phones, ID numbers and addresses drawn from one seeded generator."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._surnames = [s for s, _ in _SURNAMES]
        self._cum_weights: list[int] = []
        total = 0
        for _, weight in _SURNAMES:
            total += weight
            self._cum_weights.append(total)

    def person(self, hall: _Hall) -> tuple[str, str]:
        """(name, ID number) of someone registered in the hall's city."""
        rng = self._rng
        male = rng.random() < 0.5
        birth = dt.date.fromordinal(rng.randint(_BIRTH_FIRST, _BIRTH_LAST))
        era = 0 if birth.year < 1965 else 1 if birth.year <= 1985 else 2
        gender = "m" if male else "f"
        surname = rng.choices(self._surnames, cum_weights=self._cum_weights)[0]
        if rng.random() < 0.55:
            given = rng.choice(_GIVEN[era, gender])
        else:
            chars = _GIVEN_CHARS[gender]
            given = rng.choice(chars) if rng.random() < 0.3 else rng.choice(chars) + rng.choice(chars)
        order = rng.randrange(0, 500) * 2 + (1 if male else 0)  # odd for men, even for women
        first17 = f"{rng.choice(hall.id_regions)}{birth:%Y%m%d}{order:03d}"
        return surname + given, first17 + id_check_digit(first17)

    def business(self, hall: _Hall) -> str:
        """A shop or company name."""
        rng = self._rng
        if rng.random() < 0.6:
            return rng.choice(_SHOP_BRANDS) + rng.choice(_SHOP_KINDS)
        return f"{hall.city[:-1]}{rng.choice(_SHOP_BRANDS)}{rng.choice(_TRADES)}有限公司"

    def farm(self, hall: _Hall) -> str:
        """A cooperative or family farm."""
        rng = self._rng
        town, villages = rng.choice(hall.towns)
        if rng.random() < 0.5:
            return f"{town}{rng.choice(villages)}股份经济合作社"
        return f"{rng.choice(self._surnames[:30])}{rng.choice(_SHOP_BRANDS)}家庭农场"

    def phone(self) -> str:
        """A mobile number ``1[3-9]`` followed by nine digits."""
        return f"{self._rng.choice(_PHONE_PREFIXES)}{self._rng.randrange(10**8):08d}"


# ---------------------------------------------------------------------------------------------- the load


def has_data(url: str) -> bool:
    """True when the database already has an organization (demo data or real data)."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with Session(engine) as session:
            return session.scalar(select(func.count()).select_from(OrgUnit)) != 0
    finally:
        engine.dispose()


def load_demo_data(
    *,
    url: str,
    customers: int,
    pii: PiiCipher,
    seed: int = 20261123,
    months: int = 12,
    today: dt.date | None = None,
) -> DemoSummary:
    """Load the demo organization, users, tariffs and ``customers`` customers with ``months`` months
    of readings, bills and payments ending at the last full month before ``today`` (China time).

    One transaction: the keys and indexes of the customer and book tables are dropped for the bulk
    load and rebuilt at the end, so those tables are locked until it commits (it is meant for an
    empty database). Raises DemoDataError when the database already holds an organization or tariffs.
    """
    if customers < 0 or not 1 <= months <= 120:
        raise DemoDataError(f"need customers >= 0 and 1 <= months <= 120, got {customers} and {months}")
    started = time.perf_counter()
    today = today or dt.datetime.now(_CHINA).date()
    engine = create_engine(url, poolclass=NullPool, connect_args={"options": "-c timezone=UTC"})
    try:
        with Session(engine) as session, session.begin():
            # One loader at a time; a concurrent second one waits here and then finds the data.
            session.execute(text("LOCK TABLE org_units, tariffs IN EXCLUSIVE MODE"))
            if session.scalar(text("SELECT EXISTS (SELECT 1 FROM org_units) OR EXISTS (SELECT 1 FROM tariffs)")):
                raise DemoDataError("the database already has an organization or tariffs: demo data needs an "
                                    "empty database")
            session.execute(text("SET LOCAL work_mem = '256MB'"))
            session.execute(text("SET LOCAL maintenance_work_mem = '512MB'"))
            session.execute(text("SET LOCAL synchronous_commit = off"))
            org, counters, users = _load_org(session)
            tariffs = _load_tariffs(session, first_period_start=_period_months(today, months)[1][1])
            logger.info("demo data: organization, %d users and tariffs in %.1f s", len(users),
                        time.perf_counter() - started)
            factory = _CustomerFactory(rng=random.Random(seed), pii=pii, count=customers, org=org, users=users,
                                       tariffs=tariffs, months=months)
            restore = _drop_keys_and_indexes(session)
            readings, entries = _load_customers(session, factory=factory, count=customers, months=months,
                                                today=today, seed=seed, started=started)
            _restore_keys_and_indexes(session, restore)
            summary = DemoSummary(
                org_units=len(org), counters=counters, users=len(users), customers=customers, meters=customers,
                readings=readings, bills=customers * months, ledger_entries=entries, seconds=0.0,
            )
            _audit(session, pii=pii, summary=summary, seed=seed, months=months)
        with engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
    finally:
        engine.dispose()
    seconds = round(time.perf_counter() - started, 3)
    logger.info("demo data: loaded %d customers in %.1f s", customers, seconds)
    return replace(summary, seconds=seconds)


def _load_org(session: Session) -> tuple[dict[str, int], int, dict[str, int]]:
    """The org tree, counters (not enrolled) and users; returns ids by code / user name."""
    org: dict[str, int] = {}

    def unit(code: str, name: str, kind: OrgKind, parent: str | None) -> None:
        row = OrgUnit(code=code, name=name, kind=kind, parent_id=org[parent] if parent else None)
        session.add(row)
        session.flush()
        org[code] = row.id

    unit(*_CENTER, OrgKind.CENTER, None)
    for code, name in _CITIES:
        unit(code, name, OrgKind.CITY, _CENTER[0])
    for code, name, city in _COUNTIES:
        unit(code, name, OrgKind.COUNTY, city)
    counters = 0
    for hall in _HALLS:
        unit(hall.code, hall.name, OrgKind.HALL, hall.county)
        for n in (1, 2):
            session.add(Counter(hall_id=org[hall.code], code=f"{hall.code}0{n}", name=f"{n}号柜台"))
            counters += 1
    users: dict[str, int] = {}
    for username, role, org_code, display in DEMO_USERS:
        user = User(username=username, display_name=display, role=role, org_unit_id=org[org_code],
                    password_hash=hash_password(DEMO_PASSWORD), must_change_password=False, failed_attempts=0,
                    active=True)
        session.add(user)
        session.flush()
        users[username] = user.id
    return org, counters, users


@dataclass(frozen=True)
class _TariffRef:
    tariff_id: int
    version_id: int
    price: Decimal


def _load_tariffs(session: Session, *, first_period_start: dt.date) -> dict[CustomerCategory, _TariffRef]:
    """The three flat tariffs, each with one version in force for every demo period."""
    refs: dict[CustomerCategory, _TariffRef] = {}
    for code, name, category, price, permille, cross_year in _TARIFFS:
        tariff = Tariff(code=code, name=name, category=category)
        session.add(tariff)
        session.flush()
        version = TariffVersion(tariff_id=tariff.id, effective_from=min(_TARIFF_FROM, first_period_start),
                                kind=TariffKind.FLAT, price_per_kwh=parse_price(price),
                                late_fee_daily_permille=parse_price(permille),
                                late_fee_cross_year_permille=parse_price(cross_year),
                                late_fee_cross_year_rule="split_by_day", late_fee_minimum_fen=100)
        session.add(version)
        session.flush()
        refs[category] = _TariffRef(tariff.id, version.id, parse_price(price))
    return refs


def _period_months(today: dt.date, months: int) -> list[tuple[int, dt.date]]:
    """(k, first day of the month) for k = 0 (the baseline reading) .. months (the last full month)."""
    first = today.replace(day=1)
    out = []
    for k in range(months + 1):
        back = months - k + 1
        index = first.year * 12 + first.month - 1 - back
        out.append((k, dt.date(index // 12, index % 12 + 1, 1)))
    return out


def _copy(session: Session, table: str, columns: Sequence[str], buffer: io.StringIO) -> None:
    """COPY the tab-separated rows of ``buffer`` into ``table`` in the session's transaction."""
    buffer.seek(0)
    raw = cast(Any, session.connection().connection.dbapi_connection)
    with raw.cursor() as cursor:
        cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)


_CUSTOMER_COLUMNS = ("id", "customer_no", "name", "address", "phone", "id_number_enc", "id_number_masked",
                     "category", "status", "payment_mode", "tariff_id", "hall_id", "book_code", "book_seq")
_METER_COLUMNS = ("id", "asset_no", "customer_id", "multiplier", "digits", "installed_on")
_PROFILE_COLUMNS = ("customer_id", "category", "multiplier", "base_kwh", "start_value", "price", "tariff_version_id",
                    "active_months", "unpaid", "prepay_fen", "cashier_id", "read_day")


@dataclass(frozen=True)
class _Meter:
    multiplier: int
    digits: int
    base_kwh: float  # median monthly consumption (kWh) before the seasonal factor
    start_value: int  # the register at the baseline reading


class _CustomerFactory:
    """One customer, its meter and its billing profile as COPY lines, drawn from one seeded generator."""

    def __init__(
        self, *, rng: random.Random, pii: PiiCipher, count: int, org: dict[str, int], users: dict[str, int],
        tariffs: dict[CustomerCategory, _TariffRef], months: int,
    ) -> None:
        self._rng, self._pii, self._org, self._users = rng, pii, org, users
        self._tariffs, self._months = tariffs, months
        self._people = _People(rng)
        self._numbers = rng.sample(range(10**10), count)
        self._asset_base = rng.randrange(10**12, 9 * 10**12)
        self._places: dict[tuple[int, int], tuple[str, int, int]] = {}

    def batch(self, start: int, end: int) -> tuple[io.StringIO, io.StringIO, io.StringIO]:
        """COPY buffers (customers, meters, profiles) of customers ``start`` .. ``end - 1``."""
        buffers = (io.StringIO(), io.StringIO(), io.StringIO())
        for i in range(start, end):
            for buffer, line in zip(buffers, self.lines(i), strict=True):
                buffer.write(line)
        return buffers

    def lines(self, i: int) -> tuple[str, str, str]:
        """(customer, meter, profile) lines of the ``i``-th customer (id ``i + 1``)."""
        rng = self._rng
        hall_no = i % len(_HALLS)
        hall = _HALLS[hall_no]
        index = i // len(_HALLS)
        book, seq = index // _BOOK_SIZE + 1, index % _BOOK_SIZE
        place = self._places.get((hall_no, book))
        if place is None:  # a reading book walks one street number: a block of flats and its shops
            place = (rng.choice(hall.streets), rng.randint(1, 499), rng.randint(20, 28))
            self._places[hall_no, book] = place
        r = rng.random()
        category = (CustomerCategory.RESIDENTIAL if r < 0.90 else
                    CustomerCategory.COMMERCIAL if r < 0.98 else CustomerCategory.AGRICULTURAL)
        person, id_number = self._people.person(hall)
        name, address, meter = self._kind(category, hall, place, seq, person)
        mode, status, active_months, unpaid, prepay_fen = self._account()
        cid = i + 1
        number = f"{self._numbers[i]:010d}" if rng.random() < 0.3 else f"330{self._numbers[i]:010d}"
        tariff = self._tariffs[category]
        customer = (
            f"{cid}\t{number}\t{name}\t{address}\t{self._people.phone()}\t"
            f"\\\\x{self._pii.encrypt(id_number).hex()}\t{mask_id_number(id_number)}\t{category.value}\t"
            f"{status.value}\t{mode.value}\t{tariff.tariff_id}\t{self._org[hall.code]}\t"
            f"{hall.code}-B{book:03d}\t{seq + 1}\n"
        )
        installed = dt.date.fromordinal(rng.randint(_INSTALLED_FIRST, _INSTALLED_LAST))
        asset_no = f"33{hall_no + 1}{rng.randint(1, 120):03d}{installed:%y}{self._asset_base + i:014d}"
        meter_line = f"{cid}\t{asset_no}\t{cid}\t{meter.multiplier}\t{meter.digits}\t{installed.isoformat()}\n"
        cashier = self._users[f"cashier{hall.code[1:]}{1 + seq % 2:02d}"]
        profile = (
            f"{cid}\t{category.value}\t{meter.multiplier}\t{meter.base_kwh:.2f}\t{meter.start_value}\t"
            f"{tariff.price}\t{tariff.version_id}\t{active_months}\t{unpaid}\t{prepay_fen}\t{cashier}\t{place[2]}\n"
        )
        return customer, meter_line, profile

    def _kind(
        self, category: CustomerCategory, hall: _Hall, place: tuple[str, int, int], seq: int, person: str,
    ) -> tuple[str, str, _Meter]:
        """Name, address and meter of a home, a shop or a farm."""
        rng = self._rng
        street, number, _ = place
        base = f"浙江省{hall.city}{hall.district}"
        if category is CustomerCategory.RESIDENTIAL:
            address = (f"{base}{street}{number}号{seq // 48 + 1}幢{seq // 24 % 2 + 1}单元"
                       f"{seq // 2 % 12 + 1}0{seq % 2 + 1}室")
            kwh = min(max(rng.lognormvariate(5.2, 0.5), 15.0), 2000.0)
            return person, address, _Meter(1, 6, kwh, rng.randint(0, 30_000))
        if category is CustomerCategory.COMMERCIAL:
            name = self._people.business(hall) if rng.random() < 0.8 else person
            address = f"{base}{street}{number + rng.randint(1, 40)}号{rng.randint(1, 3)}层"
            multiplier = rng.choices((1, 30, 50, 80), weights=(60, 20, 12, 8))[0]
            median = {1: 800.0, 30: 8_000.0, 50: 15_000.0, 80: 25_000.0}[multiplier]
            return name, address, _Meter(multiplier, 8, median * rng.lognormvariate(0.0, 0.5),
                                         rng.randint(0, 500_000))
        name = self._people.farm(hall) if rng.random() < 0.3 else person
        town, villages = rng.choice(hall.towns)
        address = f"{base}{town}{rng.choice(villages)}{rng.randint(1, 300)}号"
        return name, address, _Meter(1, 8, 400.0 * rng.lognormvariate(0.0, 0.8), rng.randint(0, 200_000))

    def _account(self) -> tuple[PaymentMode, CustomerStatus, int, int, int]:
        """Payment mode, status, months with consumption, unpaid last bills and prepayment (fen)."""
        rng, months = self._rng, self._months
        r = rng.random()
        mode = (PaymentMode.POSTPAID if r < 0.85 else
                PaymentMode.PREPAID_CARD if r < 0.97 else PaymentMode.REMOTE_PREPAID)
        r = rng.random()
        status = (CustomerStatus.ACTIVE if r < 0.98 else
                  CustomerStatus.SUSPENDED if r < 0.995 else CustomerStatus.CLOSED)
        active_months = months if status is CustomerStatus.ACTIVE else months - rng.randint(1, min(3, months))
        # Closed accounts settled everything first (DOMAIN §10); suspension often follows arrears.
        p_arrears = _P_ARREARS[status]
        p_prepay = 0.03 if mode is PaymentMode.POSTPAID else 0.17
        r = rng.random()
        if r < p_arrears:
            return mode, status, active_months, min(rng.choices((1, 2, 3), weights=(40, 35, 25))[0], months), 0
        if status is not CustomerStatus.CLOSED and r < p_arrears + p_prepay:
            prepay = rng.choice((5_000, 10_000, 20_000, 30_000, 50_000)) + rng.choice((0, 0, 0, 1_234, 3_750))
            return mode, status, active_months, 0, prepay
        return mode, status, active_months, 0, 0


_P_ARREARS = {CustomerStatus.ACTIVE: 0.074, CustomerStatus.SUSPENDED: 0.5, CustomerStatus.CLOSED: 0.0}
_INSTALLED_FIRST = dt.date(2010, 1, 1).toordinal()
_INSTALLED_LAST = dt.date(2024, 6, 30).toordinal()


def _load_customers(
    session: Session, *, factory: _CustomerFactory, count: int, months: int, today: dt.date, seed: int,
    started: float,
) -> tuple[int, int]:
    """Customers, meters and their books, batch by batch; returns (readings, ledger entries).

    A worker thread generates the next batch in Python while PostgreSQL stores the current one
    (psycopg2 releases the GIL while it waits), so the two cores work at the same time.
    """
    _create_work_tables(session, months=months, today=today)
    params = {"seed_zero": seed * 7 + 1, "seed_noise": seed * 7 + 2, "seed_pay": seed * 7 + 3, "months": months}
    readings = entries = 0
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="demo-data") as worker:
        pending = worker.submit(factory.batch, 0, min(_BATCH, count))
        for start in range(0, count, _BATCH):
            end = min(start + _BATCH, count)
            customers, meters, profiles = pending.result()
            if end < count:
                pending = worker.submit(factory.batch, end, min(end + _BATCH, count))
            session.execute(text("TRUNCATE demo_batch"))
            _copy(session, "customers", _CUSTOMER_COLUMNS, customers)
            _copy(session, "meters", _METER_COLUMNS, meters)
            _copy(session, "demo_batch", _PROFILE_COLUMNS, profiles)
            readings += _rowcount(session, "readings", _READINGS_SQL, params)
            entries += _rowcount(session, "bills, bill lines and ledger entries", _BILLS_SQL, params)
            logger.info("demo data: %d of %d customers with their books after %.1f s", end, count,
                        time.perf_counter() - started)
    _set_sequence(session, "customers", count)
    _set_sequence(session, "meters", count)
    _set_sequence(session, "readings", count * (months + 1))
    _set_sequence(session, "bills", count * months)
    _set_sequence(session, "bill_lines", count * months)
    _set_sequence(session, "ledger_entries", count * months * 3)
    return readings, entries


def _create_work_tables(session: Session, *, months: int, today: dt.date) -> None:
    """``demo_batch``: the billing profile of the current batch; ``demo_months``: the periods."""
    session.execute(text(
        "CREATE TEMP TABLE demo_batch (customer_id bigint, category text, multiplier int, base_kwh numeric,"
        " start_value numeric, price numeric, tariff_version_id bigint, active_months int, unpaid int,"
        " prepay_fen bigint, cashier_id bigint, read_day int) ON COMMIT DROP"
    ))
    session.execute(text(
        "CREATE TEMP TABLE demo_months (k int, period int, year int, month int, issued_on date, due_on date,"
        " pay_window int, f_res numeric, f_com numeric, f_agr numeric) ON COMMIT DROP"
    ))
    rows = []
    for k, first in _period_months(today, months):
        issued = (first + dt.timedelta(days=32)).replace(day=1)
        due = issued.replace(day=_DUE_DAY)
        last_pay_day = min(due, today - dt.timedelta(days=1))
        rows.append({
            "k": k, "period": first.year * 100 + first.month, "year": first.year, "month": first.month,
            "issued_on": issued, "due_on": due, "pay_window": max((last_pay_day - issued).days, 0),
            "f_res": Decimal(_SEASON[CustomerCategory.RESIDENTIAL][first.month - 1]),
            "f_com": Decimal(_SEASON[CustomerCategory.COMMERCIAL][first.month - 1]),
            "f_agr": Decimal(_SEASON[CustomerCategory.AGRICULTURAL][first.month - 1]),
        })
    session.execute(text(
        "INSERT INTO demo_months VALUES (:k, :period, :year, :month, :issued_on, :due_on, :pay_window,"
        " :f_res, :f_com, :f_agr)"
    ), rows)


def _set_sequence(session: Session, table: str, last_id: int) -> None:
    """Move the identity of ``table`` past the ids inserted explicitly (1 .. ``last_id``)."""
    session.execute(text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :next, false)"),
                    {"table": table, "next": last_id + 1})


def _rowcount(session: Session, what: str, sql: str, params: dict[str, Any]) -> int:
    """Run an INSERT and return how many rows it inserted."""
    started = time.perf_counter()
    count = int(cast(CursorResult[Any], session.execute(text(sql), params)).rowcount)
    logger.debug("demo data: %d %s in %.2f s", count, what, time.perf_counter() - started)
    return count


_BULK_TABLES = ("customers", "meters", "readings", "bills", "bill_lines", "ledger_entries")


def _drop_keys_and_indexes(session: Session) -> list[str]:
    """Drop the keys and indexes of the bulk-loaded tables; returns the statements that re-create them.

    Checking a foreign key and updating every index row by row costs more than the insert itself;
    building them afterwards checks and sorts all rows at once (the PostgreSQL manual's advice for
    bulk loads). The definitions come from the catalog, so they stay whatever the migrations made
    them, including indexes added later. All of it is DDL inside the load's transaction: a failed
    load rolls back to the original schema.
    """
    tables = {"tables": list(_BULK_TABLES)}
    foreign = session.execute(text(
        "SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', conrelid::regclass, conname),"
        " format('ALTER TABLE %s ADD CONSTRAINT %I %s', conrelid::regclass, conname, pg_get_constraintdef(oid))"
        " FROM pg_constraint WHERE contype = 'f'"
        " AND (conrelid = ANY (CAST(:tables AS regclass[])) OR confrelid = ANY (CAST(:tables AS regclass[])))"
        " ORDER BY conrelid, conname"
    ), tables).all()
    keys = session.execute(text(
        "SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', conrelid::regclass, conname),"
        " format('ALTER TABLE %s ADD CONSTRAINT %I %s', conrelid::regclass, conname, pg_get_constraintdef(oid))"
        " FROM pg_constraint WHERE contype IN ('p', 'u', 'x') AND conrelid = ANY (CAST(:tables AS regclass[]))"
        " ORDER BY conrelid, contype, conname"
    ), tables).all()
    indexes = session.execute(text(
        "SELECT format('DROP INDEX %s', i.indexrelid::regclass), pg_get_indexdef(i.indexrelid)"
        " FROM pg_index i WHERE i.indrelid = ANY (CAST(:tables AS regclass[]))"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint c"
        "                 WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))"
        " ORDER BY i.indrelid, i.indexrelid"
    ), tables).all()
    for drop, _ in [*foreign, *keys, *indexes]:
        session.execute(text(drop))
    return [create for _, create in [*keys, *indexes, *foreign]]


def _restore_keys_and_indexes(session: Session, statements: list[str]) -> None:
    """Re-create (and so check) what ``_drop_keys_and_indexes`` dropped."""
    started = time.perf_counter()
    for statement in statements:
        step = time.perf_counter()
        session.execute(text(statement))
        logger.debug("demo data: %s in %.1f s", statement, time.perf_counter() - step)
    logger.info("demo data: %d keys and indexes built in %.1f s", len(statements), time.perf_counter() - started)


# Register advance of month k: deterministic noise around the seasonal base, a few empty months
# (a flat left empty), none after the account was suspended or closed.
_DELTA_SQL = """
    CASE WHEN m.k = 0 OR m.k > p.active_months
              OR (hashint8extended(p.customer_id * 1000 + m.k, :seed_zero) & 1023) < 12 THEN 0::numeric
         ELSE round(p.base_kwh
                    * CASE p.category WHEN 'residential' THEN m.f_res WHEN 'commercial' THEN m.f_com ELSE m.f_agr END
                    * (85 + (hashint8extended(p.customer_id * 1000 + m.k, :seed_noise) & 31)) / 100
                    / p.multiplier, 2)
    END"""

# Explicit ids keep each customer's rows together and in time order. The window runs per customer
# (a LATERAL subquery with a window is never flattened), so no global sort is needed.
_READINGS_SQL = f"""
    INSERT INTO readings (id, meter_id, period, read_on, value, status)
    SELECT (p.customer_id - 1) * (:months + 1) + u.k + 1, p.customer_id, u.period,
           make_date(u.year, u.month, p.read_day), p.start_value + u.cum, 'normal'
    FROM demo_batch p
    CROSS JOIN LATERAL (
        SELECT m.k, m.period, m.year, m.month, sum({_DELTA_SQL}) OVER (ORDER BY m.k) AS cum
        FROM demo_months m
    ) u"""  # noqa: S608 - fixed SQL fragments, values are bound

# Bills, their one energy line and the ledger in one statement over the same priced months. Each
# bill is charged when issued; paid bills are paid at a counter between issue and due date (the
# last one with a surplus for prepayment customers); the last ``unpaid`` bills are still open.
_BILLS_SQL = f"""
    WITH priced AS MATERIALIZED (
        SELECT u.*, {LINE_AMOUNT_SQL.format(kwh="u.kwh", price="u.price")} AS amount_fen,
               u.period::text || lpad(u.customer_id::text, 10, '0') AS bill_no,
               ((u.issued_on + (hashint8extended(u.bill_id, :seed_pay) & 1023)::int % (u.pay_window + 1))::timestamp
                + make_interval(mins => 510 + ((hashint8extended(u.bill_id, :seed_pay) >> 10) & 1023)::int % 510))
                   AT TIME ZONE INTERVAL '+08:00' AS paid_at
        FROM demo_batch p
        CROSS JOIN LATERAL (
            SELECT p.customer_id, p.price, p.tariff_version_id, p.unpaid, p.prepay_fen, p.cashier_id,
                   m.k, m.period, m.issued_on, m.due_on, m.pay_window,
                   (p.customer_id - 1) * :months + m.k AS bill_id, ({_DELTA_SQL}) * p.multiplier AS kwh
            FROM demo_months m
            WHERE m.k >= 1
            OFFSET 0  -- per customer, so that a customer's bills are stored together
        ) u
    ), new_bills AS (
        INSERT INTO bills (id, bill_no, customer_id, period, kwh, amount_fen, issued_on, due_on, tariff_version_id)
        SELECT bill_id, bill_no, customer_id, period, kwh, amount_fen, issued_on, due_on, tariff_version_id
        FROM priced
    ), new_lines AS (
        INSERT INTO bill_lines (id, bill_id, line_no, kind, description, quantity, unit_price, amount_fen)
        SELECT bill_id, bill_id, 1, 'energy', '电度电费', kwh, price, amount_fen FROM priced
    )
    INSERT INTO ledger_entries (id, customer_id, kind, amount_fen, bill_id, posted_at, posted_by, reference)
    SELECT (b.bill_id - 1) * 3 + e.n, b.customer_id, e.kind, e.amount_fen, CASE WHEN e.n < 3 THEN b.bill_id END,
           e.posted_at, e.posted_by, e.reference
    FROM priced b
    CROSS JOIN LATERAL (VALUES
        (1, 'charge', -b.amount_fen, b.issued_on::timestamp AT TIME ZONE 'UTC', NULL::bigint, b.bill_no),
        (2, 'payment', b.amount_fen, b.paid_at, b.cashier_id, 'DEMO-' || b.bill_no),
        -- the surplus of a prepayment customer's last payment is prepayment (预收): on no bill
        (3, 'payment', CASE WHEN b.k = :months THEN b.prepay_fen ELSE 0 END, b.paid_at, b.cashier_id,
         'DEMO-' || b.bill_no)
    ) e(n, kind, amount_fen, posted_at, posted_by, reference)
    WHERE e.amount_fen <> 0 AND (e.n = 1 OR b.k <= :months - b.unpaid)"""  # noqa: S608 - fixed SQL fragments


def _audit(session: Session, *, pii: PiiCipher, summary: DemoSummary, seed: int, months: int) -> None:
    """One audit record for the whole load, on the ``server`` chain, in the load's transaction."""
    now = SystemClock().now()
    ctx = CallContext(session=session, clock=SystemClock(), settings=Settings(), pii=pii, now=now,
                      method="demo_data.load")
    after = {k: v for k, v in asdict(summary).items() if k != "seconds"} | {"seed": seed, "months": months}
    write_records(ctx, [AuditEntry(target="database", after=after, username="demo-data")], idempotency_key=None)
