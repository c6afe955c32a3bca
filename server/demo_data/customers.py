"""Demo customers and meters as COPY lines from one seeded generator, with their readings and payment habits.

A customer's number, name, address and ID number, its meter (registers by tariff), its readings per register
(``readings.py``), a two-part customer's terms (basis, transformer kVA, contract demand) and how it pays
(``payments.Account``, used once the bill runs have released its bills).
"""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass, field
from decimal import Decimal

from server.demo_data.org import HALLS, Hall
from server.demo_data.payments import Account
from server.demo_data.people import People
from server.demo_data.readings import Period, ReadingWriter, Usage, meter_registers
from server.demo_data.tariffs import DEMAND_BASIS, DemoTariff, DemoTariffs
from server.models.customers import CustomerCategory, CustomerStatus, PaymentMode
from server.security import PiiCipher, mask_id_number

CUSTOMER_COLUMNS = ("id", "customer_no", "name", "address", "phone", "id_number_enc", "id_number_masked",
                    "category", "status", "payment_mode", "tariff_id", "hall_id", "book_code", "book_seq")
METER_COLUMNS = ("id", "asset_no", "customer_id", "multiplier", "digits", "installed_on", "removed_on", "registers")
TERMS_COLUMNS = ("customer_id", "effective_from", "demand_basis", "capacity_kva", "contract_demand_kw")
#: Transformer sizes (kVA) a two-part customer's capacity is one of.
_TRANSFORMERS_KVA = (315, 400, 500, 630, 800, 1000, 1250, 1600, 2000, 2500, 3150, 4000, 5000, 6300, 8000, 10000)

_BOOK_SIZE = 200
_P_ARREARS = {CustomerStatus.ACTIVE: 0.074, CustomerStatus.SUSPENDED: 0.5, CustomerStatus.CLOSED: 0.0}
_INSTALLED_FIRST = dt.date(2010, 1, 1).toordinal()
_INSTALLED_LAST = dt.date(2024, 6, 30).toordinal()


@dataclass(frozen=True)
class _Meter:
    multiplier: int
    digits: int
    base_kwh: float  # median monthly consumption (kWh) before the seasonal factor
    start_value: int  # the register at the baseline reading


@dataclass
class Batch:
    """COPY buffers of a batch of customers, one per table, how many readings and meters, and how they pay."""

    customers: io.StringIO
    meters: io.StringIO
    readings: io.StringIO
    accounts: list[Account]
    terms: io.StringIO = field(default_factory=io.StringIO)
    reading_rows: int = 0
    meter_rows: int = 0


class CustomerFactory:
    """One customer, its meter and its books as COPY lines, drawn from one seeded generator."""

    def __init__(
        self, *, rng: random.Random, pii: PiiCipher, count: int, org: dict[str, int], users: dict[str, int],
        tariffs: DemoTariffs, periods: list[Period],
    ) -> None:
        self._rng, self._pii, self._org, self._users = rng, pii, org, users
        self._tariffs, self._periods, self._months = tariffs, periods, len(periods) - 1
        self._people = People(rng)
        self._numbers = rng.sample(range(10**10), count)
        self._asset_base = rng.randrange(10**12, 9 * 10**12)
        self._places: dict[tuple[int, int], tuple[str, int, int]] = {}
        self.readings = ReadingWriter(months=periods, first_extra_reading=count * len(periods) + 1,
                                      first_extra_meter=count + 1)
        #: The reading books: code → (hall code, reading day).
        self.books: dict[str, tuple[str, int]] = {}

    def batch(self, start: int, end: int) -> Batch:
        """The COPY buffers of customers ``start`` .. ``end - 1``."""
        batch = Batch(io.StringIO(), io.StringIO(), io.StringIO(), [])
        for i in range(start, end):
            self._write(i, batch)
        return batch

    def _write(self, i: int, batch: Batch) -> None:
        """The ``i``-th customer (id ``i + 1``): its row, its meter and its books."""
        rng = self._rng
        hall_no = i % len(HALLS)
        hall = HALLS[hall_no]
        index = i // len(HALLS)
        book, seq = index // _BOOK_SIZE + 1, index % _BOOK_SIZE
        place = self._places.get((hall_no, book))
        if place is None:  # a reading book walks one street number: a block of flats and its shops
            place = (rng.choice(hall.streets), rng.randint(1, 499), rng.randint(20, 28))
            self._places[hall_no, book] = place
            self.books[f"{hall.code}-B{book:03d}"] = (hall.code, place[2])
        r = rng.random()
        category = (CustomerCategory.RESIDENTIAL if r < 0.90 else
                    CustomerCategory.COMMERCIAL if r < 0.98 else CustomerCategory.AGRICULTURAL)
        person, id_number = self._people.person(hall)
        name, address, meter = self._kind(category, hall, place, seq, person)
        mode, status, active_months, unpaid, prepay_fen = self._account()
        cid = i + 1
        number = f"{self._numbers[i]:010d}" if rng.random() < 0.3 else f"330{self._numbers[i]:010d}"
        tariff = self._tariffs.for_customer(category, multiplier=meter.multiplier, index=i)
        batch.customers.write(
            f"{cid}\t{number}\t{name}\t{address}\t{self._people.phone()}\t"
            f"\\\\x{self._pii.encrypt(id_number).hex()}\t{mask_id_number(id_number)}\t{category.value}\t"
            f"{status.value}\t{mode.value}\t{tariff.tariff_id}\t{self._org[hall.code]}\t"
            f"{hall.code}-B{book:03d}\t{seq + 1}\n"
        )
        installed = dt.date.fromordinal(rng.randint(_INSTALLED_FIRST, _INSTALLED_LAST))
        asset_no = f"33{hall_no + 1}{rng.randint(1, 120):03d}{installed:%y}{self._asset_base + i:014d}"
        usage = Usage(customer_id=cid, category=category, multiplier=meter.multiplier, digits=meter.digits,
                      base_kwh=Decimal(f"{meter.base_kwh:.2f}"), start_value=meter.start_value, tariff=tariff,
                      active_months=active_months, read_day=place[2])
        changes = len(self.readings.changes)
        batch.reading_rows += self.readings.write(usage, rng, out=batch.readings)
        registers = "{" + ",".join(r.value for r in meter_registers(tariff)) + "}"
        removed = "\\N"
        for old_id, new_id, _, on in self.readings.changes[changes:]:  # a meter change (换表): the new meter
            removed = on.isoformat()
            batch.meters.write(f"{new_id}\t9{asset_no[1:]}\t{cid}\t{meter.multiplier}\t{meter.digits}\t{on}\t\\N\t"
                               f"{registers}\n")
            batch.meter_rows += 1
            del old_id
        batch.meters.write(f"{cid}\t{asset_no}\t{cid}\t{meter.multiplier}\t{meter.digits}\t{installed.isoformat()}\t"
                           f"{removed}\t{registers}\n")
        batch.meter_rows += 1
        basis = DEMAND_BASIS.get(DemoTariff(tariff.code)) if tariff.code else None
        if basis is not None:  # a two-part customer's contract: transformer kVA and contract demand (~400 h a month)
            demand_kw = Decimal(f"{meter.base_kwh:.2f}") / 400
            kva = next((k for k in _TRANSFORMERS_KVA if k >= demand_kw * Decimal("1.5")), _TRANSFORMERS_KVA[-1])
            contract = max(demand_kw * Decimal("1.2"), Decimal(1)).quantize(Decimal(1))
            batch.terms.write(f"{cid}\t{installed.isoformat()}\t{basis.value}\t{kva}\t{contract}\n")
        batch.accounts.append(Account(customer_id=cid,
                                      cashier_id=self._users[f"cashier{hall.code[1:]}{1 + seq % 2:02d}"],
                                      unpaid=unpaid, prepay_fen=prepay_fen))

    def _kind(
        self, category: CustomerCategory, hall: Hall, place: tuple[str, int, int], seq: int, person: str,
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
