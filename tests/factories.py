"""Row factories and a small known world for server tests: one of each org level, counters with
device keys, a user of every role (password ``Passw0rd-<role>``) and a few customers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar

from sqlalchemy.orm import Session

from server.models.customers import (
    Customer,
    CustomerCategory,
    CustomerStatus,
    Meter,
    PaymentMode,
    Tariff,
    TariffKind,
    TariffVersion,
)
from server.models.ledger import EntryKind, LedgerEntry
from server.models.org import Counter, OrgKind, OrgUnit
from server.models.users import User
from server.security import PiiCipher, hash_password, mask_id_number, token_hash
from shared_models.roles import Role

DEVICE_KEYS = {"T0101": "device-key-T0101", "T0102": "device-key-T0102", "T0201": "device-key-T0201"}


def password_for(username: str) -> str:
    """The known password of a factory user."""
    return f"Passw0rd-{username}"


@dataclass
class World:
    """What :func:`seed_world` created, by code and user name."""

    org: dict[str, int] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)
    customers: dict[str, int] = field(default_factory=dict)

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

    tariff = Tariff(code="RES-FLAT", name="居民生活用电", category=CustomerCategory.RESIDENTIAL)
    session.add(tariff)
    session.flush()
    version = TariffVersion(tariff_id=tariff.id, effective_from=dt.date(2025, 1, 1), kind=TariffKind.FLAT,
                            price_per_kwh=Decimal("0.538"), late_fee_daily_permille=Decimal("1"))
    session.add(version)
    for i, (no, name) in enumerate((("3301000001", "张伟"), ("3300000000002", "李秀英"), ("3301000003", "王芳"))):
        id_number = f"33010619800101{i:03d}X"
        customer = Customer(
            customer_no=no, name=name, address=f"浙江省杭州市西湖区文三路{100 + i}号", phone=f"1380000000{i}",
            id_number_enc=pii.encrypt(id_number), id_number_masked=mask_id_number(id_number),
            category=CustomerCategory.RESIDENTIAL, status=CustomerStatus.ACTIVE,
            payment_mode=PaymentMode.POSTPAID, tariff_id=tariff.id, hall_id=w.org["T01"],
            book_code="T01-B001", book_seq=i + 1,
        )
        session.add(customer)
        session.flush()
        w.customers[no] = customer.id
        session.add(Meter(asset_no=f"{i:022d}", customer_id=customer.id, multiplier=1, digits=6,
                          installed_on=dt.date(2020, 1, 1)))
        session.add(LedgerEntry(customer_id=customer.id, kind=EntryKind.CHARGE, amount_fen=-(1234 + i),
                                posted_at=dt.datetime(2026, 10, 1, tzinfo=dt.UTC), reference="seed"))
    session.flush()
    return w
