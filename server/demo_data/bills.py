"""Demo readings and bills: a year of seasonal consumption per customer, each bill priced by the one rule.

One energy line per bill: ``round_half_up_to_fen`` of kWh × the tariff's Decimal price.

After the tariffs issue, a bill run prices the bills (the tariff engine, one home for billing): the demo
then calls it on these readings instead of ``price_line`` below.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from server.demo_data.tariffs import TariffRef
from server.models.customers import CustomerCategory
from shared_models.money import Fen, round_half_up_to_fen

_DUE_DAY = 24  # pay by the 24th of the month after reading (DOMAIN §5.3, local example)
_KWH = Decimal("0.01")
_HUNDRED = Decimal(100)
_ZERO = Decimal(0)

# Monthly consumption factors by calendar month (Jan..Dec): air conditioning in Jul/Aug, heating
# in Jan/Feb for homes; summer cooling for shops; irrigation from June to September on farms.
_SEASON = {
    category: tuple(Decimal(factor) for factor in factors.split())
    for category, factors in {
        CustomerCategory.RESIDENTIAL: "1.35 1.30 1.00 0.85 0.85 1.00 1.45 1.55 1.10 0.85 0.90 1.15",
        CustomerCategory.COMMERCIAL: "1.10 0.85 1.00 0.95 1.00 1.10 1.30 1.35 1.10 1.00 0.95 1.05",
        CustomerCategory.AGRICULTURAL: "0.50 0.50 0.70 0.90 1.10 1.50 1.80 1.80 1.40 0.90 0.60 0.50",
    }.items()
}

READING_COLUMNS = ("id", "meter_id", "period", "read_on", "total", "status")
BILL_COLUMNS = ("id", "bill_no", "customer_id", "period", "kwh", "amount_fen", "issued_on", "due_on",
                "tariff_version_id")
LINE_COLUMNS = ("id", "bill_id", "line_no", "kind", "description", "quantity", "unit_price", "amount_fen")


@dataclass(frozen=True)
class Period:
    """One month of the demo: ``k`` = 0 is the baseline reading, 1 .. months are billed."""

    k: int
    month: int
    #: ``yyyymm``
    period: int
    #: ``yyyy-mm-``: the reading day follows
    read_month: str
    issued_on: dt.date
    due_on: dt.date
    #: Days from issue to the last day a payment can have been made (the due date, or yesterday).
    pay_window: int


def periods(today: dt.date, months: int) -> list[Period]:
    """The baseline month and the ``months`` full months before ``today``'s, oldest first."""
    first = today.replace(day=1)
    out = []
    for k in range(months + 1):
        index = first.year * 12 + first.month - 1 - (months - k + 1)
        start = dt.date(index // 12, index % 12 + 1, 1)
        issued = (start + dt.timedelta(days=32)).replace(day=1)
        due = issued.replace(day=_DUE_DAY)
        last_pay_day = min(due, today - dt.timedelta(days=1))
        out.append(Period(k=k, month=start.month, period=start.year * 100 + start.month,
                          read_month=f"{start:%Y-%m-}", issued_on=issued, due_on=due,
                          pay_window=max((last_pay_day - issued).days, 0)))
    return out


@dataclass(frozen=True)
class Usage:
    """What a customer's books are made of: the meter, its consumption and the tariff."""

    customer_id: int
    category: CustomerCategory
    multiplier: int
    base_kwh: Decimal  # median monthly consumption (kWh) before the seasonal factor
    start_value: int  # the register at the baseline reading
    tariff: TariffRef
    active_months: int  # months with consumption (fewer once suspended or closed)
    read_day: int


@dataclass(frozen=True)
class Bill:
    """A demo bill as the payment history needs it."""

    bill_id: int
    bill_no: str
    period: Period
    amount_fen: Fen


def price_line(*, kwh: Decimal, price: Decimal) -> Fen:
    """One energy line: kWh × price per kWh, rounded half up to the fen (the one rule of the books)."""
    return round_half_up_to_fen(kwh * price)


def write_readings_and_bills(
    usage: Usage, months: list[Period], rng: random.Random, *, readings: io.StringIO, bills: io.StringIO,
    lines: io.StringIO,
) -> list[Bill]:
    """COPY lines of the customer's readings (one per month, baseline first), bills and their energy lines;
    returns the bills. Explicit ids keep each customer's rows together and in time order."""
    cid = usage.customer_id
    billed = len(months) - 1
    season = _SEASON[usage.category]
    scale = usage.base_kwh / usage.multiplier / _HUNDRED
    value = Decimal(usage.start_value)
    price, version = usage.tariff.price, usage.tariff.version_id
    first_reading = (cid - 1) * (billed + 1) + 1
    draw = rng.getrandbits
    out = []
    for period in months:
        k = period.k
        # A few empty months (a flat left empty, 12 in 1024), none after the account was suspended or
        # closed; otherwise the seasonal consumption with ±8 % noise.
        empty = draw(10) < 12
        noise = draw(5)
        if k == 0 or k > usage.active_months or empty:
            advance = _ZERO
        else:
            advance = (scale * season[period.month - 1] * (85 + noise)).quantize(_KWH, rounding=ROUND_HALF_UP)
        value += advance
        readings.write(f"{first_reading + k}\t{cid}\t{period.period}\t{period.read_month}{usage.read_day:02d}\t"
                       f"{value}\tactual\n")
        if k == 0:
            continue
        bill_id = (cid - 1) * billed + k
        bill_no = f"{period.period}{cid:010d}"
        kwh = advance * usage.multiplier
        amount = price_line(kwh=kwh, price=price)
        bills.write(f"{bill_id}\t{bill_no}\t{cid}\t{period.period}\t{kwh}\t{amount}\t{period.issued_on}\t"
                    f"{period.due_on}\t{version}\n")
        lines.write(f"{bill_id}\t{bill_id}\t1\tenergy\t电度电费\t{kwh}\t{price}\t{amount}\n")
        out.append(Bill(bill_id=bill_id, bill_no=bill_no, period=period, amount_fen=amount))
    return out
