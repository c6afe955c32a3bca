"""Identifier types, so that two ids of different kinds cannot be swapped silently."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Annotated, NewType

from pydantic import AfterValidator, Field

UserId = NewType("UserId", int)
CustomerId = NewType("CustomerId", int)
CounterId = NewType("CounterId", int)
OrgUnitId = NewType("OrgUnitId", int)
BillId = NewType("BillId", int)
EntryId = NewType("EntryId", int)
CustomerNo = NewType("CustomerNo", str)
IdempotencyKey = NewType("IdempotencyKey", str)

#: ASCII digits only (``\d`` would take other scripts' digits, which no 户号 has), as the contract says.
CUSTOMER_NO_PATTERN = r"^(?:[0-9]{10}|[0-9]{13})$"
_CUSTOMER_NO = re.compile(r"(?:[0-9]{10}|[0-9]{13})")


def new_idempotency_key() -> IdempotencyKey:
    """Mint a fresh idempotency key (a random UUID, text form)."""
    return IdempotencyKey(str(uuid.uuid4()))


def is_customer_no(text: str) -> bool:
    """True when ``text`` is a 户号: 10 digits, or 13 digits with a province prefix."""
    return bool(_CUSTOMER_NO.fullmatch(text))


def _check_customer_no(value: str) -> str:
    if not is_customer_no(value):
        raise ValueError("a customer number has 10 or 13 digits")
    return value


#: Free text the server stores: anything but NUL, which PostgreSQL text cannot hold.
NO_NUL_PATTERN = r"^[^\x00]*$"

#: A 户号 on the wire.
CustomerNoField = Annotated[str, Field(strict=True, min_length=10, max_length=13, pattern=CUSTOMER_NO_PATTERN),
                            AfterValidator(_check_customer_no)]
#: A counter code such as ``H0101`` (hall 01 of city 01, counter 01 is ``H0101-01``).
CounterCodeField = Annotated[str, Field(strict=True, min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_-]+$")]
#: A user name.
UsernameField = Annotated[str, Field(strict=True, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")]


#: First and last year a counter's clock may report (the books hold nothing older; PostgreSQL and the
#: wire keep every such time, in any UTC offset, inside their ranges).
COUNTER_TIME_YEARS = (2000, 2099)


def _check_counter_time(value: dt.datetime) -> dt.datetime:
    if not COUNTER_TIME_YEARS[0] <= value.year <= COUNTER_TIME_YEARS[1]:
        raise ValueError("a counter's time lies in the years 2000 to 2099")
    return value


#: A time a counter's clock reported (when a payment was taken, when a damaged outbox was found): an
#: RFC 3339 date-time of the years 2000-2099, as the schema's pattern says.
CounterTimeField = Annotated[
    dt.datetime,
    Field(strict=True, json_schema_extra={"pattern": r"^20[0-9]{2}-"}),
    AfterValidator(_check_counter_time),
]
