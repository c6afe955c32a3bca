"""Replaying a counter's outbox in batches (SPEC §5, §7 "offline": 10 000 queued operations in ≤ 30 s).

``outbox.replay_batch`` carries several queued calls in one HTTPS request. The server runs each one
exactly as if it had come alone — its own idempotency key, authentication, permission, transaction,
audit and stored result — in the order given, and answers each one. It stops at the first answer that
means "try later" (the database is down, no shift is open, the session ended), so the counter keeps
sending in order; business refusals do not stop the batch (each is answered on its own).
"""

from __future__ import annotations

from typing import Annotated, Any, Final

from pydantic import Field

from shared_models.errors import ErrorPayload
from shared_models.roles import Perm
from shared_models.rpc import Model, Query, register

#: The most calls one batch carries (a payment is ~0.5 kB: far below the request size limit).
MAX_BATCH: Final = 50


class ReplayItem(Model):
    """One queued call: its idempotency key, method and request as the outbox holds them."""

    key: Annotated[str, Field(strict=True, min_length=36, max_length=36)]
    method: Annotated[str, Field(strict=True, min_length=3, max_length=64)]
    body: dict[str, Any]


class ReplayBatchRequest(Model):
    """Queued calls, oldest first."""

    items: Annotated[list[ReplayItem], Field(min_length=1, max_length=MAX_BATCH)]


class ReplayOutcome(Model):
    """The answer to one queued call: its result, or the error it would have had alone."""

    key: str
    result: dict[str, Any] | None = None
    error: ErrorPayload | None = None


class ReplayBatchResult(Model):
    """One outcome per call, in order; fewer than sent when the server stopped at a "try later"."""

    outcomes: list[ReplayOutcome]


REPLAY_BATCH = register(
    Query("outbox.replay_batch", ReplayBatchRequest, ReplayBatchResult, permission=Perm.COLLECT,
          summary="Run several queued calls of the counter's outbox, each as if sent alone, in order.")
)
