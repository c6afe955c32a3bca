"""User administration: list, create, unlock, reset password (co-signed), enable/disable."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from server.context import CallContext
from server.errors import AppError
from server.models.org import OrgUnit
from server.models.users import User, UserSession
from server.security import hash_password
from server.services.auth import check_password_strength
from shared_models.errors import ErrorCode
from shared_models.methods.admin import (
    CreateUserRequest,
    CreateUserResult,
    ResetPasswordRequest,
    SetUserActiveRequest,
    UserPage,
    UserRef,
    UserRow,
)
from shared_models.rpc import Empty


def _user_by_name(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username).with_for_update())
    if user is None:
        raise AppError(ErrorCode.USER_NOT_FOUND, username=username)
    return user


def _end_sessions(ctx: CallContext, user_id: int, reason: str) -> None:
    ctx.session.execute(
        update(UserSession).where(UserSession.user_id == user_id, UserSession.ended_at.is_(None))
        .values(ended_at=ctx.now, end_reason=reason)
    )


def list_users(*, ctx: CallContext, req: Empty) -> UserPage:
    """Every user with lock state judged by the server's clock, by user name."""
    rows = ctx.session.execute(
        select(User, OrgUnit).join(OrgUnit, OrgUnit.id == User.org_unit_id).order_by(User.username)
    ).all()
    users = []
    for u, o in rows:
        locked = u.locked_until is not None and u.locked_until > ctx.now
        users.append(UserRow(
            user_id=u.id, username=u.username, display_name=u.display_name, role=u.role,
            org_unit_code=o.code, org_unit_name=o.name, active=u.active, locked=locked,
            locked_until=u.locked_until if locked else None, failed_attempts=u.failed_attempts,
        ))
    return UserPage(users=users)


def create_user(*, ctx: CallContext, req: CreateUserRequest) -> CreateUserResult:
    """A new user who must change the initial password at first sign-in."""
    s = ctx.session
    if s.scalar(select(User.id).where(User.username == req.username)) is not None:
        raise AppError(ErrorCode.USERNAME_TAKEN, username=req.username)
    org = s.scalar(select(OrgUnit).where(OrgUnit.code == req.org_unit_code))
    if org is None:
        raise AppError(ErrorCode.ORG_UNIT_NOT_FOUND, code=req.org_unit_code)
    check_password_strength(req.initial_password)
    user = User(
        username=req.username, display_name=req.display_name, role=req.role, org_unit_id=org.id,
        password_hash=hash_password(req.initial_password), must_change_password=True,
        failed_attempts=0, active=True,
    )
    s.add(user)
    s.flush()
    ctx.record(target=f"user:{user.username}", after={
        "user_id": user.id, "display_name": user.display_name, "role": user.role.value, "org_unit": org.code,
    })
    return CreateUserResult(user_id=user.id)


def unlock_user(*, ctx: CallContext, req: UserRef) -> Empty:
    """Lift a lockout and clear the failure count; never one's own (a second administrator must see to it,
    or a stolen session could undo the lockout that guessing at its owner's password caused)."""
    user = _user_by_name(ctx.session, req.username)
    if user.id == ctx.require_actor().user_id:
        raise AppError(ErrorCode.UNLOCK_SELF, username=user.username)
    before = {"failed_attempts": user.failed_attempts,
              "locked_until": user.locked_until.isoformat() if user.locked_until else None}
    user.failed_attempts = 0
    user.locked_until = None
    ctx.record(target=f"user:{user.username}", before=before, after={"failed_attempts": 0, "locked_until": None})
    return Empty()


def reset_password(*, ctx: CallContext, req: ResetPasswordRequest) -> Empty:
    """Set a new password (to be changed at next sign-in) and end the user's sessions; co-signed."""
    user = _user_by_name(ctx.session, req.username)
    check_password_strength(req.new_password)
    user.password_hash = hash_password(req.new_password)
    user.must_change_password = True
    user.failed_attempts = 0
    user.locked_until = None
    _end_sessions(ctx, user.id, "password_reset")
    ctx.record(target=f"user:{user.username}", after={"password_reset": True, "must_change_password": True})
    return Empty()


def set_user_active(*, ctx: CallContext, req: SetUserActiveRequest) -> Empty:
    """Enable or disable a user; disabling ends their sessions. Nobody disables themselves."""
    actor = ctx.require_actor()
    user = _user_by_name(ctx.session, req.username)
    if user.id == actor.user_id and not req.active:
        raise AppError(ErrorCode.PERMISSION_DENIED, permission="disable_self")
    before = {"active": user.active}
    user.active = req.active
    if not req.active:
        _end_sessions(ctx, user.id, "disabled")
    ctx.record(target=f"user:{user.username}", before=before, after={"active": req.active})
    return Empty()
