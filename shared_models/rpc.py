"""The RPC contract: every method declared once, with its models, permission and whether it mutates.

The server's dispatcher, the client's stub and the OpenAPI document all iterate :data:`REGISTRY`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, ConfigDict

from shared_models.roles import Perm

#: Contract version, ``MAJOR.MINOR``. A server accepts clients of its major version whose minor is not newer.
#: 3.0 (issue 11): ``settlement.get_daily`` answers the assembled, server-checked 日结单 and ``UserRow``
#: carries ``locked`` judged by the server's clock. 3.1 (issue 12): tariffs (``tariff.*``), readings per register
#: (``reading.*``), bill runs (``billrun.*``) and a bill's lines (``bill.get_lines``); nothing a 3.0 client sends
#: changed. 3.2 (issue 12, finished): a meter change (``reading.change_meter``) and customer terms
#: (``customer.get_terms``, ``customer.set_terms``); the release's audit record lists its bills as one string;
#: the meter reader's hand-over (``handheld.*``, issue 13) with a per-method request size (``max_request_bytes``).
#: 3.3 (issue 13): reading books assigned and their completion (``books.*``); a validation report's ``notices``
#: (the offline counter's "signature not checked"); nothing a 3.2 client sends changed.
CONTRACT_VERSION = "3.4"

HEADER_AUTHORIZATION = "Authorization"
HEADER_CONTRACT = "X-GridCounter-Contract"
HEADER_COUNTER = "X-GridCounter-Counter"
HEADER_IDEMPOTENCY_KEY = "Idempotency-Key"
#: Base64 of the JSON ``{"username": ..., "password": ...}`` of the co-signing supervisor.
HEADER_COSIGN = "X-GridCounter-Cosign"

#: Largest request body the server reads.
MAX_REQUEST_BYTES = 256 * 1024


class Model(BaseModel):
    """Base of every request and response: strict (no coercion: a float is never fen), closed, frozen."""

    model_config: ClassVar[ConfigDict] = ConfigDict(extra="forbid", strict=True, frozen=True)


class Empty(Model):
    """A request or response without fields."""


ReqT = TypeVar("ReqT", bound=Model)
ResT = TypeVar("ResT", bound=Model)


@dataclass(frozen=True)
class Rpc(Generic[ReqT, ResT]):
    """One method of the contract: declared as a :class:`Query` or a :class:`Mutation`, never as a bare Rpc.

    ``permission`` None means the method is public (no session: handshake and sign-in).
    ``mutating`` (a Mutation) methods need an idempotency key and write an audit record; the two kinds
    are distinct types so the client's stub can take each through its own method (a mutation only with
    a key the user confirmed, ``client/core/actions.py``) and mypy refuses the other way round.
    ``cosign`` names the permission a second, co-signing user must hold; None means no co-sign.
    ``keeps_alive`` False marks a heartbeat: it checks the session without counting as activity, so
    the idle timeout still ends a session nobody uses.
    """

    name: str
    request: type[ReqT]
    response: type[ResT]
    permission: Perm | None
    summary: str
    cosign: Perm | None = None
    #: False: the co-sign is optional on the wire and the service decides when it is needed (a cash
    #: difference at shift close); when one is sent it is always verified.
    cosign_required: bool = True
    keeps_alive: bool = True
    #: Request fields that say *how* the counter sent the call, not *what* it asks for: left out of the
    #: request hash, so a counter's outbox may change them before a resend of the same idempotency key
    #: (a payment first sent online and then accepted offline when the answer did not come).
    replay_neutral: frozenset[str] = frozenset()
    #: True: a counter's outbox may queue this call and replay it in ``outbox.replay_batch`` (no co-sign).
    replayable: bool = False
    #: True: the request may carry ``attested_cosign`` (``shared_models.cosign.AttestedCosign``), a co-sign
    #: of the ``cosign`` permission verified at the counter; the server takes it only in a replayed call.
    attested_cosign: bool = False
    #: The largest request body of this method (a handheld file upload carries more than the default).
    max_request_bytes: int = MAX_REQUEST_BYTES
    #: Set by the kind: True for a Mutation, False for a Query.
    mutating: ClassVar[bool]

    def __post_init__(self) -> None:
        if type(self) is Rpc:
            raise TypeError(f"declare {self.name!r} as a Query or a Mutation")

    @property
    def path(self) -> str:
        """The HTTP path of the method."""
        return f"/rpc/{self.name}"


class Query(Rpc[ReqT, ResT]):
    """A method that changes nothing: no idempotency key, sent by ``RpcClient.call``."""

    mutating: ClassVar[bool] = False


class Mutation(Rpc[ReqT, ResT]):
    """A method that changes the books or the accounts: sent by ``RpcClient.send`` with the idempotency
    key of the action the user confirmed, kept for every retry until it has an answer."""

    mutating: ClassVar[bool] = True


REGISTRY: dict[str, Rpc[Model, Model]] = {}


RpcT = TypeVar("RpcT", bound="Rpc[Any, Any]")


def register(rpc: RpcT) -> RpcT:
    """Add ``rpc`` to the registry; names are ``domain.verb_noun`` and unique."""
    domain, _, verb_noun = rpc.name.partition(".")
    if not domain or ("_" not in verb_noun and verb_noun not in {"login", "logout", "handshake", "whoami"}):
        raise ValueError(f"RPC names are domain.verb_noun: {rpc.name!r}")
    if rpc.name in REGISTRY:
        raise ValueError(f"RPC {rpc.name!r} declared twice")
    if rpc.cosign is not None and not rpc.mutating:
        raise ValueError(f"co-sign only makes sense on a mutating call: {rpc.name!r}")
    if rpc.replayable and (not rpc.mutating or (rpc.cosign is not None and rpc.cosign_required)):
        raise ValueError(f"only mutating calls without a required co-sign can be replayed: {rpc.name!r}")
    if rpc.attested_cosign and (rpc.cosign is None or not rpc.replayable):
        raise ValueError(f"an attested co-sign needs a co-sign permission and a replayable call: {rpc.name!r}")
    REGISTRY[rpc.name] = rpc
    return rpc


def request_limit(method: str) -> int:
    """The largest request body of ``method`` (the default for an unknown one)."""
    rpc = REGISTRY.get(method)
    return MAX_REQUEST_BYTES if rpc is None else rpc.max_request_bytes


def parse_version(text: str) -> tuple[int, int]:
    """``"1.2"`` -> ``(1, 2)``; ValueError on anything else."""
    major, _, minor = text.partition(".")
    if not (major.isascii() and minor.isascii() and major.isdigit() and minor.isdigit()):
        raise ValueError(f"not a contract version: {text!r}")
    return int(major), int(minor)


def is_supported(client_version: str, server_version: str = CONTRACT_VERSION) -> bool:
    """True when a server of ``server_version`` can serve a client of ``client_version``."""
    try:
        c_major, c_minor = parse_version(client_version)
    except ValueError:
        return False
    s_major, s_minor = parse_version(server_version)
    return c_major == s_major and c_minor <= s_minor


def load_all() -> dict[str, Rpc[Model, Model]]:
    """Import every method module so the registry is complete, and return it."""
    from shared_models.methods import (  # noqa: F401 - imported for their registrations
        admin,
        audit,
        auth,
        billruns,
        cache,
        cards,
        customer_terms,
        customers,
        handheld,
        outbox,
        payments,
        reading_books,
        readings,
        settlement,
        shifts,
        sync,
        system,
        tariffs,
    )

    return REGISTRY
