"""The dispatcher: transport, authentication, permission, co-sign, the transaction and error mapping —
and nothing else. Business rules live in ``server/services``; the key's claim and the stored result in
``server.idempotency``; the audit records in ``server.audit_chain``; the SQL in ``server.db.prepared``.

It is synchronous and transport-free (bytes in, status and bytes out), so the ASGI app runs it in a
worker thread and tests can call it directly.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from pydantic import ValidationError
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from server import audit_chain, idempotency
from server.clock import Clock
from server.context import CallContext
from server.errors import AppError
from server.rpc.handlers import HANDLERS, check_complete
from server.security import PiiCipher
from server.services import attempts
from server.services.auth import (
    TOUCH_INTERVAL,
    authenticate,
    session_actor,
    session_params,
    verify_attested_cosign,
    verify_cosign,
)
from server.settings import Settings
from shared_models.errors import HTTP_STATUS, ErrorCode, ErrorEnvelope, ErrorPayload, ParamValue
from shared_models.methods.outbox import ReplayBatchRequest, ReplayItem
from shared_models.refusals import contract_refusal
from shared_models.roles import ROLE_PERMISSIONS
from shared_models.rpc import (
    CONTRACT_VERSION,
    HEADER_AUTHORIZATION,
    HEADER_CONTRACT,
    HEADER_COSIGN,
    HEADER_COUNTER,
    HEADER_IDEMPOTENCY_KEY,
    REGISTRY,
    Model,
    Rpc,
    is_supported,
)

log = logging.getLogger(__name__)

#: A replayed call answered with one of these stops its batch: the rest must wait, in order.
BATCH_STOP_CODES: Final = frozenset({
    ErrorCode.SERVICE_UNAVAILABLE, ErrorCode.INTERNAL_ERROR, ErrorCode.NO_OPEN_SHIFT, ErrorCode.NOT_AUTHENTICATED,
    ErrorCode.SESSION_EXPIRED, ErrorCode.SESSION_INVALID, ErrorCode.SESSION_WRONG_COUNTER,
})


@dataclass(frozen=True)
class _Outcome:
    """One answer of a replay batch: the call's result (its JSON) or its error."""

    key: str
    result: bytes | None = None
    error: ErrorPayload | None = None

    def to_json(self) -> bytes:
        """This outcome as a ``ReplayOutcome`` in JSON."""
        key = json.dumps(self.key).encode()
        if self.result is not None:
            return b'{"key":' + key + b',"result":' + self.result + b',"error":null}'
        assert self.error is not None
        return b'{"key":' + key + b',"result":null,"error":' + self.error.model_dump_json().encode() + b"}"


@dataclass(frozen=True)
class Reply:
    """What goes back on the wire."""

    status: int
    body: bytes


def error_reply(code: ErrorCode, params: Mapping[str, ParamValue] | None = None, *, ref: str | None = None) -> Reply:
    """An error envelope with the code's HTTP status."""
    payload = ErrorEnvelope(error=ErrorPayload(code=code, params=dict(params or {}), ref=ref))
    return Reply(HTTP_STATUS.get(code, 400), payload.model_dump_json().encode())


def _validation_error(exc: ValidationError) -> AppError:
    code, params = contract_refusal(exc)
    error = AppError(code)
    error.params.update(params)
    return error


def _parse_cosign(header: str) -> tuple[str, str]:
    try:
        data = json.loads(base64.b64decode(header, validate=True))
        username, password = data["username"], data["password"]
    except (binascii.Error, ValueError, KeyError, TypeError) as exc:
        raise AppError(ErrorCode.COSIGN_INVALID) from exc
    if not isinstance(username, str) or not isinstance(password, str):
        raise AppError(ErrorCode.COSIGN_INVALID)
    return username, password


class Dispatcher:
    """Runs one RPC call inside one database transaction."""

    def __init__(
        self, *, sessions: sessionmaker[Session], settings: Settings, clock: Clock, pii: PiiCipher
    ) -> None:
        check_complete()
        self._sessions = sessions
        self._settings = settings
        self._clock = clock
        self._pii = pii

    def handle(self, method: str, headers: Mapping[str, str], body: bytes) -> Reply:
        """Answer one call; never raises."""
        try:
            return self._handle(method, headers, body)
        except AppError as exc:
            return error_reply(exc.code, exc.params)
        except OperationalError:
            ref = uuid.uuid4().hex[:12]
            log.exception("database unavailable (ref %s) in %s", ref, method)
            return error_reply(ErrorCode.SERVICE_UNAVAILABLE, {"ref": ref}, ref=ref)
        except Exception:
            ref = uuid.uuid4().hex[:12]
            log.exception("internal error (ref %s) in %s", ref, method)
            return error_reply(ErrorCode.INTERNAL_ERROR, {"ref": ref}, ref=ref)

    def _handle(self, method: str, headers: Mapping[str, str], body: bytes) -> Reply:
        rpc = REGISTRY.get(method)
        if rpc is None:
            raise AppError(ErrorCode.UNKNOWN_METHOD, method=method[:64])
        client_version = headers.get(HEADER_CONTRACT.lower(), "")
        if not is_supported(client_version):
            raise AppError(ErrorCode.CONTRACT_VERSION_UNSUPPORTED, client_version=client_version[:16],
                           server_version=CONTRACT_VERSION)
        if len(body) > rpc.max_request_bytes:
            raise AppError(ErrorCode.REQUEST_TOO_LARGE, limit=rpc.max_request_bytes)
        if not body.strip():  # the contract marks every request body required, even an empty object
            raise AppError(ErrorCode.MALFORMED_REQUEST)
        try:
            req = rpc.request.model_validate_json(body)
        except ValidationError as exc:
            raise _validation_error(exc) from None
        key: str | None = None
        if rpc.mutating:
            key = headers.get(HEADER_IDEMPOTENCY_KEY.lower(), "")
            try:
                key = str(uuid.UUID(key))
            except ValueError:
                raise AppError(ErrorCode.IDEMPOTENCY_KEY_REQUIRED) from None
        token = ""
        if rpc.permission is not None:
            auth = headers.get(HEADER_AUTHORIZATION.lower(), "")
            scheme, _, token = auth.partition(" ")
            if scheme.lower() != "bearer" or not token:
                raise AppError(ErrorCode.NOT_AUTHENTICATED)
        cosign = headers.get(HEADER_COSIGN.lower()) if rpc.cosign is not None else None
        if rpc.cosign is not None and rpc.cosign_required and not cosign:
            raise AppError(ErrorCode.COSIGN_REQUIRED)
        counter_code = headers.get(HEADER_COUNTER.lower())
        if isinstance(req, ReplayBatchRequest):
            self._check_batch_caller(rpc, req, token=token, counter_code=counter_code)
            return self._replay_batch(req, token=token, counter_code=counter_code)
        return self._transact(rpc, req, key=key, token=token, cosign=cosign,
                              counter_code=counter_code)

    def _check_batch_caller(self, rpc: Rpc[Model, Model], batch: ReplayBatchRequest, *, token: str,
                            counter_code: str | None) -> None:
        """The batch's own session and permission, checked once before any of its calls runs."""
        session = self._sessions()
        ctx = CallContext(session=session, clock=self._clock, settings=self._settings, pii=self._pii,
                          now=self._clock.now(), method=rpc.name, counter_code=counter_code)
        try:
            ctx.actor = authenticate(session=session, settings=self._settings, token=token,
                                     counter_code=counter_code, now=ctx.now, touch=False)
            self._check_permission(ctx, rpc)
            session.commit()
        except AppError as exc:
            session.rollback()
            attempts.record_refusal(ctx, rpc, batch, exc)
            raise
        finally:
            session.close()

    def _replay_batch(self, batch: ReplayBatchRequest, *, token: str, counter_code: str | None) -> Reply:
        """Run each queued call as if it had come alone — its own key, checks, audit and stored result —
        in order, in one transaction (one commit for the batch: a backlog costs less); stop after the
        first answer that means "try later" so the counter keeps its order.

        The first pass runs the calls without savepoints (they cost ~15 % of a replay: subtransactions).
        If a call is refused after it wrote (its claim, say), that pass is rolled back and the batch runs
        again with a savepoint per call, so a refusal takes back only its own call. Outcomes are only
        sent once the transaction committed; when the database fails (or the commit does), nothing of the
        batch stays and the answer is one SERVICE_UNAVAILABLE for its first call.
        """
        outcomes = self._replay_pass(batch, token=token, counter_code=counter_code, savepoints=False)
        if outcomes is None:
            outcomes = self._replay_pass(batch, token=token, counter_code=counter_code, savepoints=True)
        assert outcomes is not None
        # Each result is the JSON the call stored with its key: spliced in as it is, not parsed and
        # serialised again (a ReplayBatchResult on the wire; the client validates it).
        return Reply(200, b'{"outcomes":[' + b",".join(o.to_json() for o in outcomes) + b"]}")

    def _replay_pass(self, batch: ReplayBatchRequest, *, token: str, counter_code: str | None, savepoints: bool
                     ) -> list[_Outcome] | None:
        """One pass over the batch in one transaction; None when, without savepoints, a call was refused
        after it wrote (the pass is rolled back and must run again with savepoints)."""
        session = self._sessions()
        outcomes: list[_Outcome] = []
        try:
            for item in batch.items:
                outcome = self._replay_one(session, item, token=token, counter_code=counter_code,
                                           savepoint=savepoints)
                if outcome is None:
                    session.rollback()
                    return None
                outcomes.append(outcome)
                if outcome.error is not None and outcome.error.code in BATCH_STOP_CODES:
                    break
            session.commit()
        except OperationalError:
            session.rollback()
            ref = uuid.uuid4().hex[:12]
            log.exception("database unavailable (ref %s) in a replay batch", ref)
            outcomes = [_Outcome(key=batch.items[0].key, error=ErrorPayload(
                code=ErrorCode.SERVICE_UNAVAILABLE, params={"ref": ref}, ref=ref))]
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()
        return outcomes

    def _replay_one(self, session: Session, item: ReplayItem, *, token: str, counter_code: str | None,
                    savepoint: bool) -> _Outcome | None:
        """One queued call in the batch's transaction (in a savepoint of its own with ``savepoint``);
        None when it was refused after writing and there is no savepoint to take back only its writes."""
        rpc = REGISTRY.get(item.method)
        try:
            if rpc is None or not rpc.replayable:
                raise AppError(ErrorCode.INVALID_REQUEST, field="method", problem="not_replayable")
            try:
                key = str(uuid.UUID(item.key))
            except ValueError:
                raise AppError(ErrorCode.IDEMPOTENCY_KEY_REQUIRED) from None
            try:
                req = rpc.request.model_validate_json(json.dumps(item.body))
            except ValidationError as exc:
                raise _validation_error(exc) from None
        except AppError as exc:  # refused before touching the database
            return _Outcome(key=item.key, error=ErrorPayload(code=exc.code, params=dict(exc.params)))
        ctx = CallContext(session=session, clock=self._clock, settings=self._settings, pii=self._pii,
                          now=self._clock.now(), method=rpc.name, counter_code=counter_code, idempotency_key=key,
                          replayed=True)
        nested = session.begin_nested() if savepoint else None
        try:
            reply = self._run(ctx, rpc, req, key=key, token=token, cosign=None)
            if nested is not None:
                nested.commit()
            return _Outcome(key=item.key, result=reply.body)
        except AppError as exc:
            if nested is None:
                return None
            nested.rollback()
            attempts.record_refusal(ctx, rpc, req, exc, in_batch=True)
            return _Outcome(key=item.key, error=ErrorPayload(code=exc.code, params=dict(exc.params)))
        except OperationalError:
            raise  # the transaction is gone: the whole batch is answered "try later"
        except Exception:
            if nested is None:
                return None
            nested.rollback()
            ref = uuid.uuid4().hex[:12]
            log.exception("internal error (ref %s) in a replayed %s", ref, item.method)
            return _Outcome(key=item.key, error=ErrorPayload(code=ErrorCode.INTERNAL_ERROR,
                                                             params={"ref": ref}, ref=ref))

    def _transact(
        self, rpc: Rpc[Model, Model], req: Model, *, key: str | None, token: str, cosign: str | None,
        counter_code: str | None,
    ) -> Reply:
        session = self._sessions()
        ctx = CallContext(session=session, clock=self._clock, settings=self._settings, pii=self._pii,
                          now=self._clock.now(), method=rpc.name, counter_code=counter_code, idempotency_key=key)
        try:
            reply = self._run(ctx, rpc, req, key=key, token=token, cosign=cosign)
            session.commit()
            return reply
        except AppError as exc:
            session.rollback()
            attempts.record_refusal(ctx, rpc, req, exc)
            raise
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def _run(
        self, ctx: CallContext, rpc: Rpc[Model, Model], req: Model, *, key: str | None, token: str,
        cosign: str | None,
    ) -> Reply:
        first: tuple[int, bytes] | None = None
        if key is not None:
            if rpc.permission is None:  # pragma: no cover - the contract has no public mutating method
                raise TypeError(f"{rpc.name} is mutating without a permission")
            req_hash = idempotency.request_hash(rpc.name, req, neutral=rpc.replay_neutral)
            claimed, first = self._authenticate_and_claim(ctx, rpc, token=token, key=key, req_hash=req_hash)
            if not claimed:
                body = idempotency.replay_answer(ctx.session, key=key, user_id=ctx.require_actor().user_id,
                                                 method=rpc.name, req_hash=req_hash)
                return Reply(200, body)
        elif rpc.permission is not None:
            ctx.actor = authenticate(session=ctx.session, settings=self._settings, token=token,
                                     counter_code=ctx.counter_code, now=ctx.now, touch=rpc.keeps_alive)
            self._check_permission(ctx, rpc)
        if cosign is not None and rpc.cosign is not None:
            username, password = _parse_cosign(cosign)
            ctx.cosigner = verify_cosign(ctx, username=username, password=password, permission=rpc.cosign)
        attestation = getattr(req, "attested_cosign", None)
        if attestation is not None and rpc.attested_cosign and rpc.cosign is not None:
            if not ctx.replayed:
                raise AppError(ErrorCode.COSIGN_ATTESTED_NOT_REPLAYED)
            if ctx.cosigner is not None:  # one co-sign per call: a password and an attestation is neither
                raise AppError(ErrorCode.COSIGN_INVALID)
            ctx.cosigner = verify_attested_cosign(ctx, attestation, permission=rpc.cosign)
        result: Model = HANDLERS[rpc.name](ctx=ctx, req=req)
        if not isinstance(result, rpc.response):  # pragma: no cover - a programming error
            raise TypeError(f"{rpc.name} returned {type(result).__name__}")
        body = result.model_dump_json().encode()
        if rpc.mutating and not ctx.audit:
            ctx.record(target=rpc.name, after=audit_chain.redact(req.model_dump(mode="json")))
        audit_chain.write_records(ctx, ctx.audit, idempotency_key=key, first=first,
                                    response=body if key is not None else None)
        return Reply(200, body)

    @staticmethod
    def _check_permission(ctx: CallContext, rpc: Rpc[Model, Model]) -> None:
        if rpc.permission is not None and rpc.permission not in ROLE_PERMISSIONS[ctx.require_actor().role]:
            raise AppError(ErrorCode.PERMISSION_DENIED, permission=rpc.permission.value)

    def _authenticate_and_claim(
        self, ctx: CallContext, rpc: Rpc[Model, Model], *, token: str, key: str, req_hash: bytes,
    ) -> tuple[bool, tuple[int, bytes] | None]:
        """Authenticate, check the permission and claim the key in one round trip (``idempotency.claim``):
        (claimed here, (seq, previous hash) of the first audit record when the chain head was moved on)."""
        found = idempotency.claim(
            ctx.session, key=key, method=rpc.name, req_hash=req_hash, now=ctx.now,
            session_params=session_params(settings=self._settings, token=token, counter_code=ctx.counter_code,
                                          now=ctx.now),
            touch=rpc.keeps_alive, touch_before=ctx.now - TOUCH_INTERVAL,
        )
        ctx.actor = session_actor(found.session_row, settings=self._settings, counter_code=ctx.counter_code,
                                  now=ctx.now)
        self._check_permission(ctx, rpc)
        return found.claimed, found.first_record
