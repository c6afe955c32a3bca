"""Error codes: what travels on the wire instead of prose. The client turns a code into a sentence."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class ErrorCode(StrEnum):
    """Every failure the server (or the client's transport) can report."""

    # transport and request shape
    MALFORMED_REQUEST = "MALFORMED_REQUEST"
    INVALID_REQUEST = "INVALID_REQUEST"
    FEN_NOT_INTEGER = "FEN_NOT_INTEGER"
    REQUEST_TOO_LARGE = "REQUEST_TOO_LARGE"
    UNKNOWN_METHOD = "UNKNOWN_METHOD"
    CONTRACT_VERSION_UNSUPPORTED = "CONTRACT_VERSION_UNSUPPORTED"
    IDEMPOTENCY_KEY_REQUIRED = "IDEMPOTENCY_KEY_REQUIRED"
    IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"
    # sign-in and sessions
    NOT_AUTHENTICATED = "NOT_AUTHENTICATED"
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    ACCOUNT_LOCKED = "ACCOUNT_LOCKED"
    ACCOUNT_DISABLED = "ACCOUNT_DISABLED"
    SESSION_EXPIRED = "SESSION_EXPIRED"
    SESSION_INVALID = "SESSION_INVALID"
    SESSION_WRONG_COUNTER = "SESSION_WRONG_COUNTER"
    UNKNOWN_COUNTER = "UNKNOWN_COUNTER"
    COUNTER_NOT_IN_SCOPE = "COUNTER_NOT_IN_SCOPE"
    DEVICE_NOT_ENROLLED = "DEVICE_NOT_ENROLLED"
    DEVICE_KEY_INVALID = "DEVICE_KEY_INVALID"
    PASSWORD_TOO_WEAK = "PASSWORD_TOO_WEAK"
    PASSWORD_UNCHANGED = "PASSWORD_UNCHANGED"
    # authorization
    PERMISSION_DENIED = "PERMISSION_DENIED"
    COSIGN_REQUIRED = "COSIGN_REQUIRED"
    COSIGN_INVALID = "COSIGN_INVALID"
    COSIGN_NOT_AUTHORIZED = "COSIGN_NOT_AUTHORIZED"
    COSIGN_SAME_USER = "COSIGN_SAME_USER"
    # business
    USER_NOT_FOUND = "USER_NOT_FOUND"
    USERNAME_TAKEN = "USERNAME_TAKEN"
    ORG_UNIT_NOT_FOUND = "ORG_UNIT_NOT_FOUND"
    CUSTOMER_NOT_FOUND = "CUSTOMER_NOT_FOUND"
    # server trouble
    SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
    INTERNAL_ERROR = "INTERNAL_ERROR"
    # client side only: raised by the client's transport, never sent by the server
    NETWORK_UNREACHABLE = "NETWORK_UNREACHABLE"
    NETWORK_TIMEOUT = "NETWORK_TIMEOUT"
    TLS_UNTRUSTED = "TLS_UNTRUSTED"
    BAD_RESPONSE = "BAD_RESPONSE"


#: HTTP status per code; a code missing here travels as 400.
HTTP_STATUS: dict[ErrorCode, int] = {
    ErrorCode.MALFORMED_REQUEST: 400,
    ErrorCode.INVALID_REQUEST: 422,
    ErrorCode.FEN_NOT_INTEGER: 422,
    ErrorCode.REQUEST_TOO_LARGE: 413,
    ErrorCode.UNKNOWN_METHOD: 404,
    ErrorCode.CONTRACT_VERSION_UNSUPPORTED: 426,
    ErrorCode.IDEMPOTENCY_KEY_REQUIRED: 400,
    ErrorCode.IDEMPOTENCY_KEY_REUSED: 409,
    ErrorCode.NOT_AUTHENTICATED: 401,
    ErrorCode.INVALID_CREDENTIALS: 401,
    ErrorCode.ACCOUNT_LOCKED: 423,
    ErrorCode.ACCOUNT_DISABLED: 403,
    ErrorCode.SESSION_EXPIRED: 401,
    ErrorCode.SESSION_INVALID: 401,
    ErrorCode.SESSION_WRONG_COUNTER: 401,
    ErrorCode.UNKNOWN_COUNTER: 401,
    ErrorCode.COUNTER_NOT_IN_SCOPE: 403,
    ErrorCode.DEVICE_NOT_ENROLLED: 401,
    ErrorCode.DEVICE_KEY_INVALID: 401,
    ErrorCode.PASSWORD_TOO_WEAK: 422,
    ErrorCode.PASSWORD_UNCHANGED: 422,
    ErrorCode.PERMISSION_DENIED: 403,
    ErrorCode.COSIGN_REQUIRED: 403,
    ErrorCode.COSIGN_INVALID: 403,
    ErrorCode.COSIGN_NOT_AUTHORIZED: 403,
    ErrorCode.COSIGN_SAME_USER: 403,
    ErrorCode.USER_NOT_FOUND: 404,
    ErrorCode.USERNAME_TAKEN: 409,
    ErrorCode.ORG_UNIT_NOT_FOUND: 404,
    ErrorCode.CUSTOMER_NOT_FOUND: 404,
    ErrorCode.SERVICE_UNAVAILABLE: 503,
    ErrorCode.INTERNAL_ERROR: 500,
}

#: Codes the server may send; the rest are raised by the client's transport.
CLIENT_ONLY_CODES = frozenset(
    {ErrorCode.NETWORK_UNREACHABLE, ErrorCode.NETWORK_TIMEOUT, ErrorCode.TLS_UNTRUSTED, ErrorCode.BAD_RESPONSE}
)

ParamValue = str | int


class ErrorPayload(BaseModel):
    """The body of every failed call: a code, its parameters, and a reference for the log."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: ErrorCode
    params: dict[str, ParamValue] = Field(default_factory=dict)
    ref: str | None = None


class ErrorEnvelope(BaseModel):
    """Wire form: ``{"error": {"code": ..., "params": {...}, "ref": ...}}``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    error: ErrorPayload
