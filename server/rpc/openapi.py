"""The OpenAPI document, generated from the contract registry (never written by hand)."""

from __future__ import annotations

from typing import Any

from pydantic.json_schema import models_json_schema

from shared_models.errors import ErrorEnvelope
from shared_models.rpc import (
    CONTRACT_VERSION,
    HEADER_CONTRACT,
    HEADER_COSIGN,
    HEADER_COUNTER,
    HEADER_IDEMPOTENCY_KEY,
    REGISTRY,
    load_all,
)

_REF = "#/components/schemas/{model}"


def build_openapi(*, server_version: str) -> dict[str, Any]:
    """One path per RPC method, with its request and response schema, permission and headers."""
    load_all()
    models: list[Any] = [(ErrorEnvelope, "serialization")]
    for rpc in REGISTRY.values():
        models.append((rpc.request, "validation"))
        models.append((rpc.response, "serialization"))
    refs, schema = models_json_schema(models, ref_template=_REF)
    paths: dict[str, Any] = {}
    for name in sorted(REGISTRY):
        rpc = REGISTRY[name]
        params: list[dict[str, Any]] = [
            {"name": HEADER_CONTRACT, "in": "header", "required": True,
             "schema": {"type": "string", "example": CONTRACT_VERSION}},
        ]
        if rpc.permission is not None:
            params.append({"name": HEADER_COUNTER, "in": "header", "required": True, "schema": {"type": "string"}})
        if rpc.mutating:
            params.append({"name": HEADER_IDEMPOTENCY_KEY, "in": "header", "required": True,
                           "schema": {"type": "string", "format": "uuid"}})
        if rpc.cosign is not None:
            params.append({"name": HEADER_COSIGN, "in": "header", "required": True,
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
