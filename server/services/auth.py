"""Sign-in, sessions, passwords and co-sign checks (SPEC C1)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from sqlalchemy import Row, Select, exists, or_, select, update
from sqlalchemy.orm import Session

from server.context import Actor, AuditEntry, CallContext, Cosigner
from server.db.prepared import SESSION, TOUCH
from server.errors import AppError
from server.models.audit import AuditRecord
from server.models.org import Counter, OrgUnit
from server.models.users import User, UserSession
from server.security import hash_password, new_token, same_hash, token_hash, verify_password
from server.services.org import units_up_from
from server.settings import Settings
from shared_models.cosign import AttestedCosign, attestation_problem
from shared_models.errors import ErrorCode
from shared_models.methods.auth import (
    MIN_PASSWORD_LENGTH,
    ChangePasswordRequest,
    CounterInfo,
    LoginRequest,
    LoginResult,
    UserInfo,
    WhoamiResult,
)
from shared_models.methods.system import HandshakeRequest, HandshakeResult
from shared_models.roles import ROLE_PERMISSIONS, Perm, Role
from shared_models.rpc import CONTRACT_VERSION, Empty, is_supported
from shared_models.rules.hall_time import as_hall_time

SERVER_VERSION = "0.1.0"
#: ``last_seen_at`` is written at most this often: a write per read call would cost more than it tells.
TOUCH_INTERVAL = dt.timedelta(seconds=60)


def handshake(*, ctx: CallContext, req: HandshakeRequest) -> HandshakeResult:
    """Refuse a client whose contract version this server does not serve."""
    if not is_supported(req.contract_version):
        raise AppError(
            ErrorCode.CONTRACT_VERSION_UNSUPPORTED,
            client_version=req.contract_version, server_version=CONTRACT_VERSION,
        )
    return HandshakeResult(contract_version=CONTRACT_VERSION, server_version=SERVER_VERSION, server_time=ctx.now)


def check_password_strength(password: str) -> None:
    """A new password has at least 8 characters and is not all one kind of character."""
    if len(password) < MIN_PASSWORD_LENGTH or password.isdigit() or password.isalpha():
        raise AppError(ErrorCode.PASSWORD_TOO_WEAK, min_length=MIN_PASSWORD_LENGTH)


def _ancestors(session: Session, org_unit_id: int) -> set[int]:
    return set(session.scalars(select(units_up_from(org_unit_id).c.id)))


def _user_info(session: Session, user: User) -> UserInfo:
    org = session.get_one(OrgUnit, user.org_unit_id)
    return UserInfo(
        user_id=user.id, username=user.username, display_name=user.display_name, role=user.role,
        permissions=sorted(ROLE_PERMISSIONS[user.role]), org_unit_name=org.name,
    )


def _counter_info(session: Session, counter: Counter) -> CounterInfo:
    hall = session.get_one(OrgUnit, counter.hall_id)
    return CounterInfo(code=counter.code, name=counter.name, hall_code=hall.code, hall_name=hall.name)


def _lock_until(ctx: CallContext) -> dt.datetime:
    """When a lockout that starts now ends."""
    return ctx.now + dt.timedelta(minutes=ctx.settings.lockout_minutes)


def _count_failure(ctx: CallContext, *, user_id: int, username: str, reason: str) -> None:
    """Runs after the rollback: one more failure, and a lockout at the threshold."""
    settings = ctx.settings
    failed = ctx.session.execute(
        update(User).where(User.id == user_id).values(failed_attempts=User.failed_attempts + 1)
        .returning(User.failed_attempts)
    ).scalar_one()
    after: dict[str, object] = {"failed_attempts": failed, "reason": reason}
    if failed >= settings.lockout_threshold:
        until = _lock_until(ctx)
        ctx.session.execute(update(User).where(User.id == user_id).values(locked_until=until, failed_attempts=0))
        after["locked_until"] = until.isoformat()
    if ctx.attempt is not None and ctx.attempt.after is not None:
        # the refused attempt is recorded anyway (server/services/attempts.py): one record, not two
        ctx.attempt.after["counted"] = {"user": username, **after}
        return
    ctx.audit.append(AuditEntry(target=f"user:{username}", after=after, user_id=user_id, username=username))


def _locked_error(user: User, now: dt.datetime) -> AppError:
    assert user.locked_until is not None
    minutes = max(1, math.ceil((user.locked_until - now).total_seconds() / 60))
    return AppError(ErrorCode.ACCOUNT_LOCKED, minutes=minutes, until=user.locked_until.isoformat())


def login(*, ctx: CallContext, req: LoginRequest) -> LoginResult:
    """Check counter, device key, account state and password; open a session bound to the counter."""
    s = ctx.session
    counter = s.scalar(select(Counter).where(Counter.code == req.counter_code))
    if counter is None:
        raise AppError(ErrorCode.UNKNOWN_COUNTER, counter=req.counter_code)
    if counter.device_key_hash is None:
        raise AppError(ErrorCode.DEVICE_NOT_ENROLLED, counter=counter.code)
    if req.device_key is None or not same_hash(token_hash(req.device_key), counter.device_key_hash):
        raise AppError(ErrorCode.DEVICE_KEY_INVALID, counter=counter.code)
    ctx.counter_code = counter.code

    user = s.scalar(select(User).where(User.username == req.username))
    # the counter has proved itself: from here on a refusal is an attempt by the name tried, and recorded
    ctx.attempted_by = (user.id if user is not None else None, req.username)
    if user is not None and user.locked_until is not None and user.locked_until > ctx.now:
        verify_password(None, req.password)  # same time as a real check: no lock oracle by timing
        raise _locked_error(user, ctx.now)
    if not verify_password(user.password_hash if user else None, req.password) or user is None:
        if user is not None:
            uid, uname = user.id, user.username
            ctx.failure_effects.append(lambda c: _count_failure(c, user_id=uid, username=uname, reason="password"))
            if user.failed_attempts + 1 >= ctx.settings.lockout_threshold:
                raise AppError(ErrorCode.ACCOUNT_LOCKED, minutes=ctx.settings.lockout_minutes,
                               until=_lock_until(ctx).isoformat())
        raise AppError(ErrorCode.INVALID_CREDENTIALS)
    if not user.active:
        raise AppError(ErrorCode.ACCOUNT_DISABLED, username=user.username)
    if user.org_unit_id not in _ancestors(s, counter.hall_id):
        raise AppError(ErrorCode.COUNTER_NOT_IN_SCOPE, counter=counter.code)

    before = {"failed_attempts": user.failed_attempts,
              "locked_until": user.locked_until.isoformat() if user.locked_until else None}
    user.failed_attempts = 0
    user.locked_until = None
    token = new_token()
    session_row = UserSession(
        token_hash=token_hash(token), user_id=user.id, counter_id=counter.id, created_at=ctx.now,
        last_seen_at=ctx.now,
    )
    s.add(session_row)
    s.flush()
    ctx.audit.append(AuditEntry(
        target=f"user:{user.username}", before=before,
        after={"session_id": session_row.id, "counter": counter.code}, user_id=user.id, username=user.username,
    ))
    return LoginResult(
        token=token, user=_user_info(s, user), counter=_counter_info(s, counter),
        idle_timeout_s=ctx.settings.idle_timeout_s, server_time=ctx.now,
        password_change_required=user.must_change_password,
    )


def session_params(*, settings: Settings, token: str, counter_code: str | None, now: dt.datetime) -> dict[str, Any]:
    """Bind parameters of ``prepared.SESSION_SQL`` and ``prepared.SESSION_VALID_SQL``."""
    return {"token_hash": token_hash(token), "counter": counter_code,
            "idle_since": now - dt.timedelta(seconds=settings.idle_timeout_s)}


def needs_touch(last_seen: dt.datetime, now: dt.datetime) -> bool:
    """Whether a call at ``now`` writes ``last_seen_at`` (at most once per ``TOUCH_INTERVAL``)."""
    return now - last_seen > TOUCH_INTERVAL


def session_actor(row: Row[Any] | None, *, settings: Settings, counter_code: str | None, now: dt.datetime) -> Actor:
    """The actor of a ``prepared.SESSION_SQL`` row, or the reason the session is refused (the same rules as
    ``prepared.SESSION_VALID_SQL``)."""
    if row is None or row.ended_at is not None or not row.active:
        raise AppError(ErrorCode.SESSION_INVALID)
    if counter_code != row.counter_code:
        raise AppError(ErrorCode.SESSION_WRONG_COUNTER, counter=counter_code or "")
    if now - row.last_seen_at > dt.timedelta(seconds=settings.idle_timeout_s):
        raise AppError(ErrorCode.SESSION_EXPIRED, minutes=settings.idle_timeout_s // 60)
    return Actor(user_id=row.user_id, username=row.username, role=Role(row.role), counter_id=row.counter_id,
                 counter_code=row.counter_code, session_id=row.session_id)


def authenticate(
    *, session: Session, settings: Settings, token: str, counter_code: str | None, now: dt.datetime,
    touch: bool = True,
) -> Actor:
    """The actor behind a bearer token, or the reason it is refused; ``touch`` counts the call as
    activity for the idle timeout. Plain SQL on the session's connection: this runs on every call."""
    conn = session.connection()
    params = session_params(settings=settings, token=token, counter_code=counter_code, now=now)
    row = conn.execute(SESSION, params).one_or_none()
    actor = session_actor(row, settings=settings, counter_code=counter_code, now=now)
    if touch and row is not None and needs_touch(row.last_seen_at, now):
        conn.execute(TOUCH, {"now": now, "id": actor.session_id})
    return actor


def verify_cosign(ctx: CallContext, *, username: str, password: str, permission: Perm) -> Cosigner:
    """Check a co-signer's credential; wrong passwords count toward their lockout."""
    actor = ctx.require_actor()
    user = ctx.session.scalar(select(User).where(User.username == username))
    ctx.cosign_named = (user.id if user is not None else None, username)
    if user is not None and user.id == actor.user_id:
        raise AppError(ErrorCode.COSIGN_SAME_USER)
    if user is not None and user.locked_until is not None and user.locked_until > ctx.now:
        raise _locked_error(user, ctx.now)
    if not verify_password(user.password_hash if user else None, password) or user is None:
        if user is not None:
            uid, uname = user.id, user.username
            ctx.failure_effects.append(lambda c: _count_failure(c, user_id=uid, username=uname, reason="cosign"))
        raise AppError(ErrorCode.COSIGN_INVALID)
    if not user.active or permission not in ROLE_PERMISSIONS[user.role]:
        raise AppError(ErrorCode.COSIGN_NOT_AUTHORIZED, username=user.username)
    return Cosigner(user_id=user.id, username=user.username, role=user.role)


def _attestable(*, counter_id: int, counter_code: str, user_id: int) -> Select[bool, bool]:
    """Whether the co-signer belongs to the hall of the actor's counter or a unit above it, and whether they
    have signed in at this counter or co-signed a call made there (the counter can only hold a verifier of
    theirs if one of these happened)."""
    up = units_up_from(select(Counter.hall_id).where(Counter.id == counter_id).scalar_subquery())
    in_scope = exists().where(User.org_unit_id == up.c.id, User.id == user_id)
    signed_in_here = exists().where(UserSession.user_id == user_id, UserSession.counter_id == counter_id)
    cosigned_here = exists().where(AuditRecord.chain == counter_code, AuditRecord.cosigner_id == user_id)
    return select(in_scope.label("in_scope"), or_(signed_in_here, cosigned_here).label("known_here"))


def verify_attested_cosign(ctx: CallContext, attestation: AttestedCosign, *, permission: Perm) -> Cosigner:
    """A co-sign the counter verified against the supervisor's cached verifier (``shared_models.cosign``):
    the server checks what it can — the co-signer exists, is active, holds ``permission``, is not the actor,
    belongs to the counter's hall or above and has signed in or co-signed at this counter before, and the
    co-sign time is plausible. The counter is trusted for the password check itself (an enrolled device,
    and the caller has made sure this is a replayed call of its outbox)."""
    actor = ctx.require_actor()
    problem = attestation_problem(attestation.verified_at, now=ctx.now)
    if problem is not None:
        raise AppError(ErrorCode.INVALID_REQUEST, field="attested_cosign.verified_at", problem=problem)
    user = ctx.session.scalar(select(User).where(User.username == attestation.username))
    if user is None:
        raise AppError(ErrorCode.COSIGN_NOT_AUTHORIZED, username=attestation.username)
    if user.id == actor.user_id:
        raise AppError(ErrorCode.COSIGN_SAME_USER)
    if not user.active or permission not in ROLE_PERMISSIONS[user.role]:
        raise AppError(ErrorCode.COSIGN_NOT_AUTHORIZED, username=user.username)
    row = ctx.session.execute(_attestable(counter_id=actor.counter_id, counter_code=actor.counter_code,
                                          user_id=user.id)).one()
    if not (row.in_scope and row.known_here):
        raise AppError(ErrorCode.COSIGN_NOT_AUTHORIZED, username=user.username)
    verified_at = as_hall_time(attestation.verified_at)  # a counter's clock runs on hall time
    return Cosigner(user_id=user.id, username=user.username, role=user.role, attested_at=verified_at)


def logout(*, ctx: CallContext, req: Empty) -> Empty:
    """End the caller's session."""
    actor = ctx.require_actor()
    ctx.session.execute(
        update(UserSession).where(UserSession.id == actor.session_id)
        .values(ended_at=ctx.now, end_reason="logout")
    )
    ctx.record(target=f"session:{actor.session_id}", after={"ended": "logout"})
    return Empty()


def whoami(*, ctx: CallContext, req: Empty) -> WhoamiResult:
    """The caller's user and counter."""
    actor = ctx.require_actor()
    user = ctx.session.get_one(User, actor.user_id)
    counter = ctx.session.get_one(Counter, actor.counter_id)
    return WhoamiResult(user=_user_info(ctx.session, user), counter=_counter_info(ctx.session, counter),
                        server_time=ctx.now, idle_timeout_s=ctx.settings.idle_timeout_s)


def change_password(*, ctx: CallContext, req: ChangePasswordRequest) -> Empty:
    """Change the caller's password after checking the old one."""
    actor = ctx.require_actor()
    user = ctx.session.get_one(User, actor.user_id, with_for_update=True)
    if not verify_password(user.password_hash, req.old_password):
        ctx.failure_effects.append(
            lambda c: _count_failure(c, user_id=actor.user_id, username=actor.username, reason="change_password")
        )
        raise AppError(ErrorCode.INVALID_CREDENTIALS)
    if req.new_password == req.old_password:
        raise AppError(ErrorCode.PASSWORD_UNCHANGED)
    check_password_strength(req.new_password)
    user.password_hash = hash_password(req.new_password)
    before = {"must_change_password": user.must_change_password}
    user.must_change_password = False
    ctx.record(target=f"user:{user.username}", before=before,
               after={"password_changed": True, "must_change_password": False})
    return Empty()
