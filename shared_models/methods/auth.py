"""Sign-in, sessions and passwords (SPEC C1)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field

from shared_models.ids import CounterCodeField, UsernameField
from shared_models.roles import Perm, Role
from shared_models.rpc import Empty, Model, Mutation, Query, register

PasswordField = Annotated[str, Field(strict=True, min_length=1, max_length=256)]
#: Minimum length of a new password.
MIN_PASSWORD_LENGTH = 8


class UserInfo(Model):
    """The signed-in user as the client shows it."""

    user_id: int
    username: str
    display_name: str
    role: Role
    permissions: list[Perm]
    org_unit_name: str


class CounterInfo(Model):
    """The counter a session is bound to."""

    code: str
    name: str
    hall_code: str
    hall_name: str


class LoginRequest(Model):
    """User name and password, at a counter that proves itself with its device key."""

    username: UsernameField
    password: PasswordField
    counter_code: CounterCodeField
    device_key: Annotated[str, Field(max_length=256)] | None = None


class LoginResult(Model):
    """A session token bound to the counter, and who signed in."""

    token: str
    user: UserInfo
    counter: CounterInfo
    idle_timeout_s: int
    server_time: datetime
    password_change_required: bool


class WhoamiResult(Model):
    """The session's user and counter, and the server's clock."""

    user: UserInfo
    counter: CounterInfo
    server_time: datetime
    idle_timeout_s: int


class ChangePasswordRequest(Model):
    """Old and new password of the signed-in user."""

    old_password: PasswordField
    new_password: PasswordField


LOGIN = register(
    Query("auth.login", LoginRequest, LoginResult, permission=None,
          summary="Sign in at a counter; returns a session token bound to that counter.")
)
LOGOUT = register(
    Mutation("auth.logout", Empty, Empty, permission=Perm.SESSION, summary="End the session.")
)
WHOAMI = register(
    Query("auth.whoami", Empty, WhoamiResult, permission=Perm.SESSION, keeps_alive=False,
          summary="The session's user and counter; a heartbeat that does not count as activity.")
)
CHANGE_PASSWORD = register(
    Mutation("auth.change_password", ChangePasswordRequest, Empty, permission=Perm.SESSION,
             summary="Change the signed-in user's password.")
)
