"""Identifier types, so that two ids of different kinds cannot be swapped silently."""

from __future__ import annotations

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

_CUSTOMER_NO = re.compile(r"^(\d{10}|\d{13})$")


def new_idempotency_key() -> IdempotencyKey:
    """Mint a fresh idempotency key (a random UUID, text form)."""
    return IdempotencyKey(str(uuid.uuid4()))


def is_customer_no(text: str) -> bool:
    """True when ``text`` is a 户号: 10 digits, or 13 digits with a province prefix."""
    return bool(_CUSTOMER_NO.match(text))


def _check_customer_no(value: str) -> str:
    if not is_customer_no(value):
        raise ValueError("a customer number has 10 or 13 digits")
    return value


#: A 户号 on the wire.
CustomerNoField = Annotated[str, Field(strict=True, min_length=10, max_length=13), AfterValidator(_check_customer_no)]
#: A counter code such as ``H0101`` (hall 01 of city 01, counter 01 is ``H0101-01``).
CounterCodeField = Annotated[str, Field(strict=True, min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_-]+$")]
#: A user name.
UsernameField = Annotated[str, Field(strict=True, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")]
