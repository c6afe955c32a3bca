"""The sync worker (SPEC §5): one thread that sends the outbox in order and records every answer.

- Items go out oldest first, one at a time, each with its own idempotency key (the server returns the
  first result for a key it has seen, so a resend after a lost answer never applies twice).
- No answer (refused connection, timeout, dropped link, a server or database that is down) leaves the
  item *pending* and the worker backs off (exponential, full jitter) before the next try.
- A session that ended (idle timeout, sign-out) pauses sending until someone signs in again; only the
  items of the signed-in cashier are sent (a payment is booked to the cashier who took it).
- A refusal on its merits (customer closed, …) makes the item ``rejected`` when the cashier is watching
  the answer come back (:meth:`SyncWorker.watch`), otherwise ``attention``.

Qt-free. Listeners are called on the worker thread: the UI bridges them to the GUI thread by signal.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from itertools import takewhile
from typing import Final, TypeVar

from pydantic import ValidationError

from client.core.actions import ConfirmedAction
from client.core.background import BackgroundLoop
from client.core.handheld_queue import RESULT_REFUSALS
from client.core.outbox.items import Answer, ItemState, OutboxCounts, OutboxItem
from client.core.outbox.queue import Outbox
from client.core.outbox.store import OutboxError
from client.core.rpc_client import SESSION_LOST_CODES, RpcClient, RpcError
from shared_models.errors import ErrorCode
from shared_models.methods.auth import WHOAMI
from shared_models.methods.outbox import MAX_BATCH, REPLAY_BATCH, ReplayBatchRequest, ReplayItem
from shared_models.rpc import REGISTRY, Empty, Model, Mutation, load_all

log = logging.getLogger(__name__)
T = TypeVar("T")

#: No answer: the item stays pending and the link is down.
LINK_CODES: Final = frozenset({ErrorCode.NETWORK_UNREACHABLE, ErrorCode.NETWORK_TIMEOUT, ErrorCode.BAD_RESPONSE,
                               ErrorCode.TLS_UNTRUSTED})
#: The center cannot answer now: a screen serves from the cache instead.
OFFLINE_CODES: Final = LINK_CODES | {ErrorCode.SERVICE_UNAVAILABLE}
#: The server answered "not now": the item stays pending and is tried again later.
RETRY_CODES: Final = frozenset({ErrorCode.SERVICE_UNAVAILABLE, ErrorCode.INTERNAL_ERROR, ErrorCode.NO_OPEN_SHIFT})


class LinkState(StrEnum):
    """What the worker last learned about the link to the center."""

    UNKNOWN = "unknown"
    UP = "up"
    DOWN = "down"


@dataclass(frozen=True)
class SyncStatus:
    """What the status bar shows."""

    link: LinkState
    counts: OutboxCounts
    #: Why sending is paused (``NOT_AUTHENTICATED`` while nobody is signed in, ``NO_OPEN_SHIFT`` …), or None.
    waiting: ErrorCode | None
    last_error: ErrorCode | None
    checked_at: dt.datetime




@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with full jitter: try n waits a random time in [base·2ⁿ/2, base·2ⁿ], capped."""

    base_s: float = 0.5
    cap_s: float = 30.0

    def delay(self, failures: int, rng: random.Random) -> float:
        """Seconds to wait after ``failures`` failures in a row (≥ 1)."""
        ceiling = min(self.cap_s, self.base_s * (2 ** max(0, failures - 1)))
        return rng.uniform(ceiling / 2, ceiling)


class SyncWorker(BackgroundLoop[SyncStatus]):
    """Sends the outbox of the signed-in cashier (see the module docstring)."""

    def __init__(
        self, *, outbox: Outbox, rpc: RpcClient, user: Callable[[], str | None], backoff: Backoff | None = None,
        idle_s: float = 15.0, rng: random.Random | None = None, name: str = "gridcounter-sync",
        batch_size: int = MAX_BATCH,
    ) -> None:
        super().__init__(name=name)
        load_all()
        self._outbox = outbox
        self._rpc = rpc
        self._user = user
        self._backoff = backoff or Backoff()
        self._idle_s = idle_s
        self._rng = rng or random.Random()  # noqa: S311 - jitter, not a secret
        self._batch_size = max(1, min(batch_size, MAX_BATCH))
        self._cond = threading.Condition()
        self._watched: set[int] = set()
        self._failures = 0
        self._link = LinkState.UNKNOWN
        self._waiting: ErrorCode | None = None
        self._last_error: ErrorCode | None = None
        self._status: SyncStatus | None = None

    # --- what others see ----------------------------------------------------------------------------

    @property
    def link(self) -> LinkState:
        """The link as last seen."""
        return self._link


    def note_link(self, up: bool) -> None:
        """Another call learned the link state (a search that went through, or that could not connect)."""
        new = LinkState.UP if up else LinkState.DOWN
        if new is not self._link:
            self._link = new
            if up:
                self._failures = 0
                self._wake.set()
            self._publish()

    def status(self) -> SyncStatus:
        """The current status (reads the outbox: blocking)."""
        return self._publish()

    def watch(self, item_id: int) -> None:
        """The cashier waits for this item's answer: a refusal makes it ``rejected``, not ``attention``."""
        with self._cond:
            self._watched.add(item_id)

    def unwatch(self, item_id: int) -> None:
        """Nobody waits for this item any more."""
        with self._cond:
            self._watched.discard(item_id)

    def wait_for(self, item_id: int, timeout_s: float) -> OutboxItem:
        """Block until the item is answered or ``timeout_s`` passed; the item as it stands then."""
        deadline = time.monotonic() + timeout_s
        self._wake.set()
        while True:
            item = self._outbox.get(item_id)
            if item is None:
                raise KeyError(item_id)
            remaining = deadline - time.monotonic()
            if item.state is not ItemState.PENDING or remaining <= 0:
                return item
            with self._cond:
                self._cond.wait(min(remaining, 0.5))

    # --- the loop -----------------------------------------------------------------------------------

    def _on_start(self) -> None:
        try:
            self._outbox.adopt_unwatched()  # nobody waits any more for what a stopped client left in flight
        except OutboxError:
            log.exception("could not adopt the unanswered items of a stopped client")

    def _step(self) -> float:
        """Send at most one item (or one batch); the seconds to wait before the next step (0: at once)."""
        try:
            return self._send_next()
        except OutboxError:
            log.exception("the outbox cannot be read; trying again shortly")
            return 5.0

    def _send_next(self) -> float:
        user = self._user()
        if user is None or not self._rpc.has_session:
            self._set_waiting(ErrorCode.NOT_AUTHENTICATED)
            return self._idle_s
        items = self._outbox.pending(user, limit=self._batch_size)
        if not items:
            self._set_waiting(None)
            return self._probe() if self._link is LinkState.DOWN else self._idle_s
        rpc = REGISTRY.get(items[0].method)
        # A call the outbox does not replay in batches (a reader's acceptance carries a whole file) goes alone;
        # a batch stops before one.
        if rpc is not None and not rpc.replayable:
            return self._send(items[0])
        items = list(takewhile(_batchable, items))
        # A co-sign verified at the counter is taken only in a replayed call of the outbox: a batch, even of one.
        if len(items) == 1 and not (rpc is not None and rpc.attested_cosign):
            return self._send(items[0])
        return self._send_batch(items)

    def _probe(self) -> float:
        """Nothing to send but the link is down: a heartbeat (which reaches the database) tells when it
        is back."""
        try:
            self._rpc.call(WHOAMI, Empty())
        except RpcError as exc:
            if exc.code in LINK_CODES or exc.code in RETRY_CODES:
                self._failures += 1
                return self._backoff.delay(self._failures, self._rng)
            return self._idle_s  # the session ended: nothing to send until someone signs in
        self._failures = 0
        self._link = LinkState.UP
        self._publish()
        return self._idle_s

    def _send(self, item: OutboxItem) -> float:
        """One item alone (the cashier waits for it): the same answers as in a batch."""
        rpc = REGISTRY.get(item.method)
        if rpc is None:  # a newer client queued it and this one was downgraded: keep it, never drop it
            self._outbox.record_attempt(item.id, code=ErrorCode.UNKNOWN_METHOD.value, params={"method": item.method})
            self._set_waiting(ErrorCode.UNKNOWN_METHOD)
            return self._backoff.cap_s
        try:
            req = rpc.request.model_validate_json(json.dumps(item.body))
        except ValidationError:
            log.exception("outbox item %d no longer matches the contract", item.id)
            return self._record([self._refusal(item, RpcError(ErrorCode.INVALID_REQUEST,
                                                               {"field": "(body)", "problem": "contract"}))], 0.0)
        if not isinstance(rpc, Mutation):  # pragma: no cover - the outbox queues only replayable mutations
            raise TypeError(f"outbox item {item.id}: {item.method} is not a mutation")
        try:
            # The key the outbox stored when the cashier confirmed: every resend is the same action.
            action = ConfirmedAction.from_outbox(item.key)
        except ValueError:  # a damaged row; the server would refuse it the same way
            return self._record([self._refusal(item, RpcError(ErrorCode.IDEMPOTENCY_KEY_REQUIRED))], 0.0)
        try:
            result = self._rpc.send(rpc, req, action=action)
        except RpcError as exc:
            return self._record(*self._answer_error(item, exc))
        return self._record([self._answer_result(item, result)], 0.0)

    def _send_batch(self, items: list[OutboxItem]) -> float:
        """A backlog: several items in one ``outbox.replay_batch``, each answered as if sent alone; the
        answers are recorded in one local transaction (one fsync for the batch)."""
        batch = ReplayBatchRequest(items=[ReplayItem(key=i.key, method=i.method, body=i.body) for i in items])
        try:
            reply = self._rpc.call(REPLAY_BATCH, batch)
        except RpcError as exc:
            return self._record(*self._answer_error(items[0], exc))
        by_key: dict[str, OutboxItem] = {i.key: i for i in items}
        answers: list[Answer] = []
        delay = 0.0
        for outcome in reply.outcomes:
            item = by_key.get(outcome.key)
            if item is None:  # pragma: no cover - the server answers the keys it was sent
                log.error("replay batch answered an unknown key %s", outcome.key)
                continue
            if outcome.error is None:
                try:
                    result = REGISTRY[item.method].response.model_validate_json(json.dumps(outcome.result))
                except ValidationError:
                    answer, delay = self._answer_error(item, RpcError(ErrorCode.BAD_RESPONSE))
                else:
                    answer = [self._answer_result(item, result)]
            else:
                answer, delay = self._answer_error(item, RpcError(outcome.error.code, outcome.error.params,
                                                                  outcome.error.ref))
            answers.extend(answer)
            if delay > 0:  # a "try later": the rest of the batch waits, in order
                break
        return self._record(answers, delay)

    def _record(self, answers: list[Answer], delay: float) -> float:
        """Store the answers (one local transaction), update the status, and pass ``delay`` on."""
        recorded = self._outbox.record_answers(answers)
        for answer, done in zip(answers, recorded, strict=True):
            if answer.state in (ItemState.REJECTED, ItemState.ATTENTION):
                if done:
                    log.warning("outbox item %d refused: %s -> %s", answer.item_id, answer.code, answer.state.value)
                else:  # accepted offline while the old version was on its way: it goes again as it is now
                    log.info("outbox item %d changed while in flight; sending it again", answer.item_id)
        if delay == 0:
            self._failures = 0
            self._last_error = None
            self._waiting = None
        self._notify()
        return delay

    def _answer_result(self, item: OutboxItem, result: Model) -> Answer:
        """The server booked the item: done, with its result and booking time (or refused, when the answer
        says the call came too late: a reader's records accepted by another acceptance meanwhile)."""
        self._link = LinkState.UP
        check = RESULT_REFUSALS.get(item.method)
        refusal = None if check is None else check(result)
        if refusal is not None:
            return self._refusal(item, refusal)
        server_time = getattr(result, "paid_at", None)
        return Answer(item_id=item.id, state=ItemState.DONE, result=result.model_dump(mode="json"),
                      server_time=server_time if isinstance(server_time, dt.datetime) else None)

    def _answer_error(self, item: OutboxItem, error: RpcError) -> tuple[list[Answer], float]:
        """An error answer: a refusal on its merits (no wait), or "try later" (the item stays pending)."""
        if error.code in SESSION_LOST_CODES:
            self._rpc.clear_session(token=self._rpc.session_token)
        if not (error.code in LINK_CODES or error.code in RETRY_CODES or error.code in SESSION_LOST_CODES):
            self._link = LinkState.UP
            return [self._refusal(item, error)], 0.0
        self._last_error = error.code
        answer = Answer(item_id=item.id, state=ItemState.PENDING, code=error.code.value, params=error.params)
        if error.code in SESSION_LOST_CODES:
            self._link = LinkState.UP
            self._waiting = ErrorCode.NOT_AUTHENTICATED
            return [answer], self._idle_s  # until someone signs in (wake)
        self._failures += 1
        self._link = LinkState.DOWN if error.code in LINK_CODES else LinkState.UP
        self._waiting = error.code if error.code is ErrorCode.NO_OPEN_SHIFT else None
        return [answer], self._backoff.delay(self._failures, self._rng)

    def _refusal(self, item: OutboxItem, error: RpcError) -> Answer:
        """Refused on its merits: ``rejected`` while the cashier watches, else ``attention``."""
        with self._cond:
            watched = item.id in self._watched
        state = ItemState.REJECTED if watched and not item.offline else ItemState.ATTENTION
        return Answer(item_id=item.id, state=state, version=item.version, code=error.code.value, params=error.params)

    # --- status ---------------------------------------------------------------------------------------

    def _set_waiting(self, code: ErrorCode | None) -> None:
        if code != self._waiting:
            self._waiting = code
            self._publish()

    def _notify(self) -> None:
        with self._cond:
            self._cond.notify_all()
        self._publish()

    def _publish(self) -> SyncStatus:
        try:
            counts = self._outbox.counts()
        except OutboxError:
            counts = OutboxCounts(pending=0, attention=0, oldest_pending_at=None)
        status = SyncStatus(link=self._link, counts=counts, waiting=self._waiting, last_error=self._last_error,
                            checked_at=dt.datetime.now(dt.UTC))
        self._status = status
        self._emit(status)
        return status


def _batchable(item: OutboxItem) -> bool:
    """Whether the item may go in an ``outbox.replay_batch`` (an unknown method goes: the server answers it)."""
    rpc = REGISTRY.get(item.method)
    return rpc is None or rpc.replayable


def online_or_cached(online: Callable[[], T], cached: Callable[[], T] | None, *, link: LinkState
                     ) -> tuple[T, bool]:
    """(worker) The server's answer, or — with the link known to be down, or found down now — the
    cache's; True when the answer came from the cache. Without a cache, errors propagate as they are."""
    if cached is not None and link is LinkState.DOWN:
        return cached(), True
    try:
        return online(), False
    except RpcError as exc:
        if cached is None or exc.code not in OFFLINE_CODES:
            raise
    return cached(), True
