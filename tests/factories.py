"""Row factories and a small known world for server tests: one of each org level, counters with
device keys, a user of every role (password ``Passw0rd-<role>``), and customers with bills.

The customers, as of the tests' day 2026-11-23 (China time):

* 张伟 3301000001 (residential, 1 ‰): 2026-08 paid; 2026-09 open, due 2026-10-24 (30 late days);
  2026-10 open, due 2026-11-20 (3 late days: a fee under 1 yuan, so the 1-yuan minimum);
* 李秀英 3300000000002 (residential): 2026-10 paid with 50.00 yuan more, which is prepayment (预收);
* 王芳 3301000003 (residential): 2026-10 open, due 2026-11-25 (not late yet);
* 杭州顺达商贸有限公司 3301000004 (commercial, 2 ‰ / 3 ‰ across a year end): 2025-11 open, due
  2025-12-24 (late across the year end); 2026-09 open, due 2026-10-24;
* 赵磊 3301000005 (residential, closed): 2026-09 open.

Bills follow the books' conventions (``server/services/bills.py``): a CHARGE on the bill when issued,
a PAYMENT on the bill when paid, a surplus as a PAYMENT on no bill.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar

from sqlalchemy.orm import Session

from server.models.billing import Bill, BillLine
from server.models.customers import (
    Customer,
    CustomerCategory,
    CustomerStatus,
    Meter,
    PaymentMode,
)
from server.models.ledger import EntryKind, LedgerEntry
from server.models.org import Counter, OrgKind, OrgUnit
from server.models.users import User
from server.security import PiiCipher, hash_password, mask_id_number, token_hash
from server.services.tariffs import create_tariff
from shared_models.money import parse_price, round_half_up_to_fen
from shared_models.roles import Role
from shared_models.tariffs import CrossYear, LateFeeSpec, TariffHeader, TariffVersionDoc, VoltageLevel

DEVICE_KEYS = {"T0101": "device-key-T0101", "T0102": "device-key-T0102", "T0201": "device-key-T0201"}


ZHANG_WEI = "3301000001"
LI_XIUYING = "3300000000002"
WANG_FANG = "3301000003"
COMMERCIAL = "3301000004"
CLOSED = "3301000005"

#: 户号, name, category, status.
CUSTOMERS = (
    (ZHANG_WEI, "张伟", CustomerCategory.RESIDENTIAL, CustomerStatus.ACTIVE),
    (LI_XIUYING, "李秀英", CustomerCategory.RESIDENTIAL, CustomerStatus.ACTIVE),
    (WANG_FANG, "王芳", CustomerCategory.RESIDENTIAL, CustomerStatus.ACTIVE),
    (COMMERCIAL, "杭州顺达商贸有限公司", CustomerCategory.COMMERCIAL, CustomerStatus.ACTIVE),
    (CLOSED, "赵磊", CustomerCategory.RESIDENTIAL, CustomerStatus.CLOSED),
)

#: 户号, period, kWh, issued on, due on.
BILLS = (
    (ZHANG_WEI, 202608, "150.00", dt.date(2026, 9, 5), dt.date(2026, 9, 24)),
    (ZHANG_WEI, 202609, "230.00", dt.date(2026, 10, 5), dt.date(2026, 10, 24)),
    (ZHANG_WEI, 202610, "180.00", dt.date(2026, 11, 5), dt.date(2026, 11, 20)),
    (LI_XIUYING, 202610, "100.00", dt.date(2026, 11, 5), dt.date(2026, 11, 24)),
    (WANG_FANG, 202610, "120.00", dt.date(2026, 11, 10), dt.date(2026, 11, 25)),
    (COMMERCIAL, 202511, "1250.00", dt.date(2025, 12, 5), dt.date(2025, 12, 24)),
    (COMMERCIAL, 202609, "500.00", dt.date(2026, 10, 5), dt.date(2026, 10, 24)),
    (CLOSED, 202609, "50.00", dt.date(2026, 10, 5), dt.date(2026, 10, 24)),
)

#: The hall's time zone: business days are China dates.
CHINA = dt.timezone(dt.timedelta(hours=8))


def china_morning(day: dt.date) -> dt.datetime:
    """09:00 China time on ``day``, as a UTC instant (when the factories post their entries)."""
    return dt.datetime.combine(day, dt.time(9), tzinfo=CHINA).astimezone(dt.UTC)


def bill_no(customer_no: str, period: int) -> str:
    """The bill number the factories give a customer's bill of ``period``."""
    return f"{period}-{customer_no}"


def password_for(username: str) -> str:
    """The known password of a factory user."""
    return f"Passw0rd-{username}"


@dataclass(frozen=True)
class TariffRef:
    """A factory tariff and its one version."""

    tariff_id: int
    version_id: int
    price: Decimal


@dataclass
class World:
    """What :func:`seed_world` created, by code and user name."""

    org: dict[str, int] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)
    customers: dict[str, int] = field(default_factory=dict)
    #: tariff code -> its version
    tariffs: dict[str, TariffRef] = field(default_factory=dict)
    #: bill number -> bill id
    bills: dict[str, int] = field(default_factory=dict)

    #: user name of the first user of each role, at hall T01
    ROLE_USERS: ClassVar[dict[Role, str]] = {
        Role.CASHIER: "cashier1",
        Role.METER_READER: "reader1",
        Role.SUPERVISOR: "super1",
        Role.BILLING_CLERK: "billing1",
        Role.BUSINESS_CLERK: "business1",
        Role.ADMIN: "admin1",
    }


def seed_world(session: Session, pii: PiiCipher) -> World:
    """Create the known world in ``session`` (the caller commits)."""
    w = World()

    def unit(code: str, name: str, kind: OrgKind, parent: str | None) -> None:
        row = OrgUnit(code=code, name=name, kind=kind, parent_id=w.org[parent] if parent else None)
        session.add(row)
        session.flush()
        w.org[code] = row.id

    unit("TP", "测试省公司", OrgKind.CENTER, None)
    unit("TC1", "测试市公司", OrgKind.CITY, "TP")
    unit("TK1", "测试县公司", OrgKind.COUNTY, "TC1")
    unit("T01", "一号营业厅", OrgKind.HALL, "TK1")
    unit("T02", "二号营业厅", OrgKind.HALL, "TK1")
    for code, hall in (("T0101", "T01"), ("T0102", "T01"), ("T0201", "T02"), ("T0202", "T02")):
        key = DEVICE_KEYS.get(code)
        counter = Counter(code=code, name=f"{code[-1]}号柜台", hall_id=w.org[hall],
                          device_key_hash=token_hash(key) if key else None,
                          enrolled_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC) if key else None)
        session.add(counter)
        session.flush()
        w.counters[code] = counter.id

    users = [
        ("cashier1", "收费员甲", Role.CASHIER, "T01"),
        ("cashier2", "收费员乙", Role.CASHIER, "T01"),
        ("cashier3", "收费员丙", Role.CASHIER, "T02"),
        ("reader1", "抄表员甲", Role.METER_READER, "T01"),
        ("super1", "班长甲", Role.SUPERVISOR, "T01"),
        ("super2", "班长乙", Role.SUPERVISOR, "T01"),
        ("billing1", "核算员甲", Role.BILLING_CLERK, "TC1"),
        ("business1", "业扩员甲", Role.BUSINESS_CLERK, "T01"),
        ("admin1", "管理员", Role.ADMIN, "TP"),
    ]
    for username, display, role, org in users:
        user = User(username=username, display_name=display, role=role, org_unit_id=w.org[org],
                    password_hash=hash_password(password_for(username)), must_change_password=False,
                    failed_attempts=0, active=True)
        session.add(user)
        session.flush()
        w.users[username] = user.id

    res = add_tariff(session, w, code="RES-FLAT", name="居民生活用电", category=CustomerCategory.RESIDENTIAL,
                     price="0.538", permille="1", cross_year_permille="1")
    com = add_tariff(session, w, code="COM-FLAT", name="一般工商业用电", category=CustomerCategory.COMMERCIAL,
                     price="0.8", permille="2", cross_year_permille="3")
    for i, (no, name, category, status) in enumerate(CUSTOMERS):
        id_number = f"33010619800101{i:03d}X"
        customer = Customer(
            customer_no=no, name=name, address=f"浙江省杭州市西湖区文三路{100 + i}号", phone=f"1380000000{i}",
            id_number_enc=pii.encrypt(id_number), id_number_masked=mask_id_number(id_number),
            category=category, status=status, payment_mode=PaymentMode.POSTPAID,
            tariff_id=(com if category is CustomerCategory.COMMERCIAL else res).tariff_id, hall_id=w.org["T01"],
            book_code="T01-B001", book_seq=i + 1,
        )
        session.add(customer)
        session.flush()
        w.customers[no] = customer.id
        session.add(Meter(asset_no=f"{i:022d}", customer_id=customer.id, multiplier=1, digits=6,
                          installed_on=dt.date(2020, 1, 1)))
    for no, period, kwh, issued_on, due_on in BILLS:
        tariff = com if no == COMMERCIAL else res
        add_bill(session, w, customer_no=no, tariff=tariff, period=period, kwh=kwh, issued_on=issued_on,
                 due_on=due_on)
    cashier = w.users["cashier1"]
    # 张伟 paid August before its due date; 李秀英 paid October with 50 yuan over (预收, on no bill)
    add_ledger_payment(session, w, customer_no=ZHANG_WEI, bill_no="202608-3301000001", on=dt.date(2026, 9, 20),
                       user_id=cashier)
    add_ledger_payment(session, w, customer_no=LI_XIUYING, bill_no="202610-3300000000002",
                       on=dt.date(2026, 11, 12), user_id=cashier)
    add_ledger_payment(session, w, customer_no=LI_XIUYING, bill_no=None, amount_fen=5000,
                       on=dt.date(2026, 11, 12), user_id=cashier)
    session.flush()
    return w


def add_tariff(
    session: Session, w: World, *, code: str, name: str, category: CustomerCategory, price: str, permille: str,
    cross_year_permille: str, cross_year_rule: str = "split_by_day", minimum_fen: int = 100,
) -> TariffRef:
    """A flat tariff with one version in force since 2025-01-01 and its late-fee terms."""
    doc = TariffVersionDoc(effective_from=dt.date(2025, 1, 1), energy_price=parse_price(price), late_fee=LateFeeSpec(
        daily_permille_current=parse_price(permille), daily_permille_cross_year=parse_price(cross_year_permille),
        cross_year=CrossYear(cross_year_rule), minimum_fen=minimum_fen))
    header = TariffHeader(code=code, name=name, category=category, voltage=VoltageLevel.BELOW_1KV, two_part=False,
                          time_of_use=False)
    tariff, (version,) = create_tariff(session, header=header, versions=[doc])
    ref = TariffRef(tariff.id, version.id, parse_price(price))
    w.tariffs[code] = ref
    return ref


def add_bill(
    session: Session, w: World, *, customer_no: str, tariff: TariffRef, period: int, kwh: str,
    issued_on: dt.date, due_on: dt.date,
) -> Bill:
    """A released bill with one energy line, charged to the ledger on its issue date."""
    quantity = Decimal(kwh)
    amount = round_half_up_to_fen(quantity * tariff.price)
    customer_id = w.customers[customer_no]
    bill = Bill(bill_no=bill_no(customer_no, period), customer_id=customer_id, period=period, kwh=quantity,
                amount_fen=amount, issued_on=issued_on, due_on=due_on, tariff_version_id=tariff.version_id)
    session.add(bill)
    session.flush()
    session.add(BillLine(bill_id=bill.id, line_no=1, kind="energy", description="电度电费", quantity=quantity,
                         unit_price=tariff.price, amount_fen=amount))
    session.add(LedgerEntry(customer_id=customer_id, kind=EntryKind.CHARGE, amount_fen=-amount, bill_id=bill.id,
                            posted_at=china_morning(issued_on), reference=bill.bill_no))
    session.flush()
    w.bills[bill.bill_no] = bill.id
    return bill


def add_ledger_payment(
    session: Session, w: World, *, customer_no: str, bill_no: str | None, on: dt.date, user_id: int,
    amount_fen: int | None = None,
) -> LedgerEntry:
    """A payment taken outside the counter (no receipt): on a bill (its whole amount unless given) or,
    with ``bill_no`` None, prepayment."""
    bill = session.get(Bill, w.bills[bill_no]) if bill_no else None
    amount = amount_fen if amount_fen is not None else (bill.amount_fen if bill else 0)
    entry = LedgerEntry(customer_id=w.customers[customer_no], kind=EntryKind.PAYMENT, amount_fen=amount,
                        bill_id=bill.id if bill else None, posted_at=china_morning(on), posted_by=user_id,
                        reference=f"SEED-{bill_no or customer_no}")
    session.add(entry)
    session.flush()
    return entry
