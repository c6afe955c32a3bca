"""Rules a model checks across its fields (or inside a value) that JSON Schema cannot state, with their own codes.

A model validator raises :func:`cross_field` instead of a bare ``ValueError``: the error carries the
``ErrorCode`` and its parameters, and ``shared_models.refusals.contract_refusal`` (the server's dispatcher and
the client's stub) answers that code, so a schema-valid request breaking such a rule is never a generic
validation refusal (INVALID_REQUEST ``value_error``) but a sentence the counter can translate.
"""

from __future__ import annotations

from typing import Final

from pydantic_core import PydanticCustomError

from shared_models.errors import ErrorCode, ParamValue

#: The pydantic error type of a cross-field rule; its context holds ``code`` and the code's parameters.
CROSS_FIELD: Final = "cross_field"


def cross_field(code: ErrorCode, message: str, **params: ParamValue) -> PydanticCustomError:
    """The error to raise for a broken cross-field rule: ``message`` (English, for logs and tests, with
    ``{param}`` placeholders) and the code the refusal answers with ``params``."""
    return PydanticCustomError(CROSS_FIELD, message, {"code": code.value, **params})
