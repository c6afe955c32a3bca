"""The contract is complete: every method has a handler, a permission, a test, and sound models."""

from __future__ import annotations

import re
import typing
from pathlib import Path

import pytest
from pydantic import BaseModel

from server.rpc.handlers import HANDLERS, check_complete
from server.rpc.openapi import build_openapi
from shared_models.rpc import REGISTRY, Query, is_supported, load_all, register

load_all()
TESTS = Path(__file__).resolve().parents[1]
PUBLIC = {"system.handshake", "auth.login"}


def _plain(annotation: object) -> set[object]:
    """The member types of ``annotation`` with ``Annotated`` metadata stripped."""
    if typing.get_origin(annotation) is typing.Annotated:
        return _plain(typing.get_args(annotation)[0])
    args = typing.get_args(annotation)
    return {t for a in args for t in _plain(a)} if args else {annotation}


def _models_in(annotation: object) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]


def _money_fields(model: type[BaseModel], seen: set[type[BaseModel]] | None = None) -> list[tuple[str, object]]:
    """Every ``*_fen`` field of ``model`` and of the models nested in it (lists, optionals)."""
    seen = set() if seen is None else seen
    if model in seen:
        return []
    seen.add(model)
    found: list[tuple[str, object]] = [
        (f"{model.__name__}.{n}", f.annotation) for n, f in model.model_fields.items() if n.endswith("_fen")
    ]
    for f in model.model_fields.values():
        for nested in _models_in(f.annotation):
            found += _money_fields(nested, seen)
    return found


class TestRegistry:
    def test_every_method_has_a_handler(self) -> None:
        """Dispatch can serve every declared method, and declares nothing extra."""
        check_complete()
        assert set(HANDLERS) == set(REGISTRY)

    def test_every_method_has_a_permission(self) -> None:
        """Only the handshake and sign-in are public."""
        assert {n for n, r in REGISTRY.items() if r.permission is None} == PUBLIC

    def test_every_method_is_called_by_a_test(self) -> None:
        """Each method name appears as a string in some test other than this one."""
        sources = "\n".join(p.read_text(encoding="utf-8") for p in TESTS.rglob("test_*.py")
                            if p.name != "test_contract.py")
        untested = [n for n in REGISTRY if f'"{n}"' not in sources]
        assert untested == []

    def test_names_follow_the_convention(self) -> None:
        """Method names are ``domain.verb_noun`` in lower case."""
        for name in REGISTRY:
            assert re.fullmatch(r"[a-z]+\.[a-z]+(_[a-z]+)*", name), name

    def test_money_fields_are_strict_int(self) -> None:
        """Every ``*_fen`` field of every model is an int that refuses floats."""
        for rpc in REGISTRY.values():
            for model in (rpc.request, rpc.response):
                for name, annotation in _money_fields(model):
                    # an optional amount ("pay everything due" when absent) is still an int when present
                    assert _plain(annotation) in ({int}, {int, type(None)}), name
                assert model.model_config.get("strict") is True

    def test_models_are_strict_and_closed(self) -> None:
        """Requests refuse unknown fields and coercion."""
        for rpc in REGISTRY.values():
            assert rpc.request.model_config.get("extra") == "forbid"
            assert rpc.request.model_config.get("strict") is True

    def test_duplicate_registration_is_refused(self) -> None:
        """A method cannot be declared twice."""
        rpc = REGISTRY["auth.whoami"]
        with pytest.raises(ValueError, match="declared twice"):
            register(Query(rpc.name, rpc.request, rpc.response, permission=rpc.permission, summary="again"))

    @pytest.mark.parametrize(("client", "ok"), [("1.0", True), ("1.1", False), ("0.9", False), ("x", False)])
    def test_version_rule(self, client: str, ok: bool) -> None:
        """Same major, minor not newer than the server's."""
        assert is_supported(client, "1.0") is ok


class TestOpenApi:
    def test_documents_every_method(self) -> None:
        """Each method is a POST path with request and response schemas that resolve."""
        doc = build_openapi(server_version="test")
        assert set(doc["paths"]) == {f"/rpc/{n}" for n in REGISTRY}
        schemas = doc["components"]["schemas"]
        for name, rpc in REGISTRY.items():
            op = doc["paths"][f"/rpc/{name}"]["post"]
            req_ref = op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
            assert req_ref.rsplit("/", 1)[1] in schemas
            assert op["x-mutating"] is rpc.mutating
            headers = {p["name"] for p in op["parameters"]}
            assert ("Idempotency-Key" in headers) is rpc.mutating
            assert ("X-GridCounter-Cosign" in headers) is (rpc.cosign is not None)
