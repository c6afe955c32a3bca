"""Money is integer fen end to end; prices are Decimal parsed from strings.

One rounding function (ROUND_HALF_UP to the fen) so every line of every bill rounds the same way.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated, Final, NewType

from pydantic import Field

#: An amount of money in integer fen (1/100 yuan): every money amount of the rules and the contract.
Fen = NewType("Fen", int)
#: Zero fen (a default that needs no call).
NO_FEN: Final = Fen(0)

#: The largest money amount (in fen, either sign) the contract carries: every response field too, so the
#: server must keep its sums inside it (a plausibility limit per payment, ``Settings.max_payment_fen``).
FEN_BOUND: Final = 10**15
#: The largest amount one payment (or one of its tenders, or a quote) may ever be: the highest value the
#: server's plausibility limit ``Settings.max_payment_fen`` may be set to, so the contract refuses what no
#: server could accept (AMOUNT_TOO_LARGE, like the server's own limit).
MAX_PAYMENT_FEN: Final = 10**13

#: A money amount in fen on the wire. Strict: a float (even 1.0) or a string is refused. The fields are ``int``
#: (a model's constructor takes any int); the rules (``shared_models.rules``) take and return ``Fen``.
FenField = Annotated[int, Field(strict=True, ge=-FEN_BOUND, le=FEN_BOUND)]
#: A strictly positive money amount in fen.
PositiveFenField = Annotated[int, Field(strict=True, ge=1, le=FEN_BOUND)]
#: A money amount that may be zero but not negative.
NonNegativeFenField = Annotated[int, Field(strict=True, ge=0, le=FEN_BOUND)]
#: The amount of a payment, of one of its tenders or of a quote: at least 1 fen, at most ``MAX_PAYMENT_FEN``.
PaymentFenField = Annotated[int, Field(strict=True, ge=1, le=MAX_PAYMENT_FEN)]

_FEN_PER_YUAN = Decimal(100)
_ONE = Decimal(1)


class MoneyFormatError(ValueError):
    """A price or amount string could not be parsed."""


def parse_price(text: str) -> Decimal:
    """Parse a tariff price such as ``"0.538"`` (yuan per unit) into an exact Decimal."""
    if not isinstance(text, str):  # floats would carry binary noise into the books
        raise MoneyFormatError(f"price must be given as a string, not {type(text).__name__}")
    try:
        value = Decimal(text.strip())
    except InvalidOperation as exc:
        raise MoneyFormatError(f"not a price: {text!r}") from exc
    if not value.is_finite():
        raise MoneyFormatError(f"not a price: {text!r}")
    return value


def round_half_up_to_fen(yuan: Decimal) -> Fen:
    """Round an exact yuan amount half up to whole fen (the one rounding rule of the books)."""
    if not isinstance(yuan, Decimal):
        raise TypeError("round_half_up_to_fen takes a Decimal amount in yuan")
    return Fen(int((yuan * _FEN_PER_YUAN).quantize(_ONE, rounding=ROUND_HALF_UP)))


def yuan_to_fen(text: str) -> Fen:
    """Parse a yuan amount typed by a person (``"12.30"``) into fen; more than 2 decimals is refused."""
    value = parse_price(text)
    fen = value * _FEN_PER_YUAN
    if fen != fen.to_integral_value():
        raise MoneyFormatError(f"more than two decimals: {text!r}")
    return Fen(int(fen))


def format_fen(amount: int, *, symbol: str = "") -> str:
    """Format fen as yuan with two decimals and thousands separators: ``123456`` -> ``1,234.56``."""
    sign = "-" if amount < 0 else ""
    yuan, fen = divmod(abs(amount), 100)
    return f"{sign}{symbol}{yuan:,}.{fen:02d}"
