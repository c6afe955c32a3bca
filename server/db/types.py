"""Column type aliases: money is BIGINT fen, prices NUMERIC, times UTC timestamptz."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from sqlalchemy import BigInteger, DateTime, Enum, Identity, Numeric, String, func
from sqlalchemy.orm import mapped_column

BigPk = Annotated[int, mapped_column(BigInteger, Identity(), primary_key=True)]
FenCol = Annotated[int, mapped_column(BigInteger)]
PriceCol = Annotated[Decimal, mapped_column(Numeric(14, 6))]
KwhCol = Annotated[Decimal, mapped_column(Numeric(16, 2))]
UtcNow = Annotated[dt.datetime, mapped_column(DateTime(timezone=True), server_default=func.now())]
UtcTime = Annotated[dt.datetime, mapped_column(DateTime(timezone=True))]
Str32 = Annotated[str, mapped_column(String(32))]
Str64 = Annotated[str, mapped_column(String(64))]
Str200 = Annotated[str, mapped_column(String(200))]


def enum_col(enum: type[StrEnum], *, length: int = 24, **kwargs: Any) -> Any:
    """An enum stored by value (not by member name), as a checked VARCHAR."""
    return mapped_column(
        Enum(
            enum,
            native_enum=False,
            length=length,
            values_callable=lambda members: [m.value for m in members],
            validate_strings=True,
            create_constraint=True,
            name=enum.__name__.lower(),
        ),
        **kwargs,
    )
