"""User administration."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field

from shared_models.ids import NO_NUL_PATTERN, UsernameField
from shared_models.methods.auth import NewPasswordField
from shared_models.roles import Perm, Role
from shared_models.rpc import Empty, Model, Mutation, Query, register


class UserRow(Model):
    """A user as the administrator sees it. ``locked`` and ``locked_until`` are judged by the server's clock
    (a counter's clock may be wrong): locked now, and until when; ``locked_until`` is None when not locked."""

    user_id: int
    username: str
    display_name: str
    role: Role
    org_unit_code: str
    org_unit_name: str
    active: bool
    locked: bool
    locked_until: datetime | None
    failed_attempts: int


class UserPage(Model):
    """All users, ordered by user name."""

    users: list[UserRow]


class CreateUserRequest(Model):
    """A new user with an initial password, which they must change at first sign-in."""

    username: UsernameField
    display_name: Annotated[str, Field(min_length=1, max_length=64, pattern=NO_NUL_PATTERN)]
    role: Role
    org_unit_code: Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_-]+$")]
    initial_password: NewPasswordField


class CreateUserResult(Model):
    """The new user's id."""

    user_id: int


class UserRef(Model):
    """One user, by name."""

    username: UsernameField


class ResetPasswordRequest(Model):
    """A new password for a user who forgot theirs; a second person co-signs."""

    username: UsernameField
    new_password: NewPasswordField


class SetUserActiveRequest(Model):
    """Enable or disable a user account."""

    username: UsernameField
    active: bool


LIST_USERS = register(
    Query("admin.list_users", Empty, UserPage, permission=Perm.MANAGE_USERS,
          summary="List every user with lock state.")
)
CREATE_USER = register(
    Mutation("admin.create_user", CreateUserRequest, CreateUserResult, permission=Perm.MANAGE_USERS,
             summary="Create a user.")
)
UNLOCK_USER = register(
    Mutation("admin.unlock_user", UserRef, Empty, permission=Perm.MANAGE_USERS,
             summary="Lift a lockout after failed sign-ins.")
)
RESET_PASSWORD = register(
    Mutation("admin.reset_password", ResetPasswordRequest, Empty, permission=Perm.MANAGE_USERS,
             cosign=Perm.APPROVE, summary="Set a new password for a user; needs a second person's co-sign.")
)
SET_USER_ACTIVE = register(
    Mutation("admin.set_user_active", SetUserActiveRequest, Empty, permission=Perm.MANAGE_USERS,
             summary="Enable or disable a user; disabling ends their sessions.")
)
