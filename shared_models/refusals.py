"""How a request the contract refuses is reported: one mapping for the server's dispatcher and the client's
stub (which checks a request before sending it), so both answer the same code for the same input."""

from __future__ import annotations

import re
from typing import Any, Final

from pydantic import ValidationError

from shared_models.errors import ErrorCode, ParamValue
from shared_models.methods.auth import MIN_PASSWORD_LENGTH
from shared_models.money import MAX_PAYMENT_FEN

#: A payment's (or quote's) amount and its tenders' parts: zero or less is AMOUNT_NOT_POSITIVE, more than
#: any server accepts (``MAX_PAYMENT_FEN``) AMOUNT_TOO_LARGE, the codes the server's own checks answer.
_PAYMENT_AMOUNT: Final = re.compile(r"amount_fen|tenders\.[0-9]+\.amount_fen")
#: Request fields holding a new password: too short is PASSWORD_TOO_WEAK, as the server's strength rule says.
_NEW_PASSWORD_FIELDS: Final = frozenset({"new_password", "initial_password"})
_INT_TYPES: Final = frozenset({"int_type", "int_from_float", "int_parsing"})


def contract_refusal(exc: ValidationError) -> tuple[ErrorCode, dict[str, ParamValue]]:
    """The code and parameters of a request that fails its model: a float where fen go is FEN_NOT_INTEGER;
    rules the contract states but whose code the counter explains keep that code (AMOUNT_NOT_POSITIVE,
    AMOUNT_TOO_LARGE, PASSWORD_TOO_WEAK); anything else is INVALID_REQUEST with the first field and pydantic's
    problem. A price, rate or kWh sent as a JSON number where a decimal string goes is PRICE_NOT_DECIMAL."""
    errors: list[Any] = exc.errors(include_url=False)
    if any(e["type"] == "json_invalid" for e in errors):
        return ErrorCode.MALFORMED_REQUEST, {}
    for e in errors:
        field = ".".join(str(p) for p in e["loc"])
        if field.endswith("_fen") and e["type"] in _INT_TYPES:
            return ErrorCode.FEN_NOT_INTEGER, {"field": field}
        if _PAYMENT_AMOUNT.fullmatch(field) and e["type"] == "greater_than_equal" and e.get("ctx", {}).get("ge") == 1:
            return ErrorCode.AMOUNT_NOT_POSITIVE, {}
        if (_PAYMENT_AMOUNT.fullmatch(field) and e["type"] == "less_than_equal"
                and e.get("ctx", {}).get("le") == MAX_PAYMENT_FEN and isinstance(e.get("input"), int)):
            return ErrorCode.AMOUNT_TOO_LARGE, {"amount_fen": e["input"], "limit_fen": MAX_PAYMENT_FEN}
        if field in _NEW_PASSWORD_FIELDS and e["type"] == "string_too_short":
            return ErrorCode.PASSWORD_TOO_WEAK, {"min_length": MIN_PASSWORD_LENGTH}
    # a price, rate or kWh as a JSON number: its validator refuses it (Decimal comes only from text)
    number = next((e for e in errors if e["type"] == "value_error" and type(e.get("input")) in (int, float)), None)
    first = number or errors[0]
    field = ".".join(str(p) for p in first["loc"]) or "(body)"
    return ((ErrorCode.PRICE_NOT_DECIMAL, {"field": field}) if number is not None
            else (ErrorCode.INVALID_REQUEST, {"field": field, "problem": first["type"]}))
