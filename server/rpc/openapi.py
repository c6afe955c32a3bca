"""The OpenAPI document, generated from the contract registry (never written by hand)."""

from __future__ import annotations

from typing import Any

from pydantic.json_schema import models_json_schema

from shared_models.errors import CLIENT_ONLY_CODES, HTTP_STATUS, ErrorCode, ErrorEnvelope
from shared_models.rpc import (
    CONTRACT_VERSION,
    HEADER_CONTRACT,
    HEADER_COSIGN,
    HEADER_COUNTER,
    HEADER_IDEMPOTENCY_KEY,
    REGISTRY,
    load_all,
    parse_version,
)

_REF = "#/components/schemas/{model}"
#: A counter code as the session header carries it (``CounterCodeField``).
_COUNTER_PATTERN = r"^[A-Za-z0-9_-]{1,32}$"
_UUID_PATTERN = r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$"
_STATUS_TEXT = {400: "Bad request", 401: "Not signed in", 403: "Forbidden", 404: "Not found", 409: "Conflict",
                413: "Request too large", 422: "Refused by a rule", 423: "Locked", 500: "Server error",
                503: "Service unavailable"}


def _supported_versions() -> list[str]:
    """Every contract version this server serves (same major, minor not newer)."""
    major, minor = parse_version(CONTRACT_VERSION)
    return [f"{major}.{m}" for m in range(minor + 1)]


def _error_responses(error_schema: dict[str, Any]) -> dict[str, Any]:
    """One documented response per HTTP status the server uses, naming the error codes it carries."""
    by_status: dict[int, list[ErrorCode]] = {}
    for code in ErrorCode:
        if code not in CLIENT_ONLY_CODES:
            by_status.setdefault(HTTP_STATUS.get(code, 400), []).append(code)
    content = {"application/json": {"schema": error_schema}}
    responses: dict[str, Any] = {}
    for status in sorted(by_status):
        codes = ", ".join(c.value for c in by_status[status])
        text = f"{_STATUS_TEXT.get(status, 'Error')}: an error envelope with one of the codes {codes}."
        if status == 400:
            text += (" CONTRACT_VERSION_UNSUPPORTED: the X-GridCounter-Contract header is missing or names a"
                     " version this server does not serve (update the client).")
        responses[str(status)] = {"description": text, "content": content}
    return responses


def build_openapi(*, server_version: str) -> dict[str, Any]:
    """One path per RPC method, with its request and response schema, permission and headers."""
    load_all()
    models: list[Any] = [(ErrorEnvelope, "serialization")]
    for rpc in REGISTRY.values():
        models.append((rpc.request, "validation"))
        models.append((rpc.response, "serialization"))
    refs, schema = models_json_schema(models, ref_template=_REF)
    paths: dict[str, Any] = {}
    errors = _error_responses(refs[(ErrorEnvelope, "serialization")])
    for name in sorted(REGISTRY):
        rpc = REGISTRY[name]
        params: list[dict[str, Any]] = [
            {"name": HEADER_CONTRACT, "in": "header", "required": True,
             "description": "The contract version the client speaks; missing or unserved: 400 "
                            "CONTRACT_VERSION_UNSUPPORTED.",
             "schema": {"type": "string", "enum": _supported_versions(), "example": CONTRACT_VERSION}},
        ]
        if rpc.permission is not None:
            params.append({"name": HEADER_COUNTER, "in": "header", "required": True,
                           "description": "The counter the session is bound to.",
                           "schema": {"type": "string", "pattern": _COUNTER_PATTERN}})
        if rpc.mutating:
            params.append({"name": HEADER_IDEMPOTENCY_KEY, "in": "header", "required": True,
                           "description": "A fresh UUID per action, the same on every retry of it.",
                           "schema": {"type": "string", "format": "uuid", "pattern": _UUID_PATTERN}})
        if rpc.cosign is not None:
            params.append({"name": HEADER_COSIGN, "in": "header", "required": rpc.cosign_required,
                           "description": "Base64 of JSON {username, password} of the co-signer",
                           "schema": {"type": "string"}})
        error = {"content": {"application/json": {"schema": refs[(ErrorEnvelope, "serialization")]}}}
        paths[rpc.path] = {
            "post": {
                "operationId": name,
                "summary": rpc.summary,
                "description": (
                    f"Permission: {rpc.permission.value if rpc.permission else 'public'}. "
                    f"Mutating: {'yes' if rpc.mutating else 'no'}."
                    + (f" Co-sign by a holder of {rpc.cosign.value}." if rpc.cosign else "")
                ),
                "tags": [name.split(".", 1)[0]],
                "parameters": params,
                "security": [{"bearer": []}] if rpc.permission is not None else [],
                "requestBody": {"required": True, "content": {
                    "application/json": {"schema": refs[(rpc.request, "validation")]}}},
                "responses": {
                    "200": {"description": "Success", "content": {
                        "application/json": {"schema": refs[(rpc.response, "serialization")]}}},
                    **errors,
                    "default": {"description": "An error code with parameters", **error},
                },
                "x-permission": rpc.permission.value if rpc.permission else None,
                "x-mutating": rpc.mutating,
            }
        }
    return {
        "openapi": "3.1.0",
        "info": {"title": "GridCounter RPC", "version": server_version,
                 "description": f"Contract version {CONTRACT_VERSION}. Every method is POST /rpc/<name>."},
        "paths": paths,
        "components": {
            "schemas": schema.get("$defs", {}),
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
