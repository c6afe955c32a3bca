"""Business and access errors raised by services and dispatch; they travel as codes, never prose."""

from __future__ import annotations

from shared_models.errors import ErrorCode, ParamValue


class AppError(Exception):
    """A failure with a code the client can translate.

    ``keep_effects`` commits what the transaction did before the error instead of rolling it back:
    a failed sign-in must still count toward the lockout and leave an audit record.
    """

    def __init__(self, code: ErrorCode, /, *, keep_effects: bool = False, **params: ParamValue) -> None:
        super().__init__(code.value)
        self.code = code
        self.params: dict[str, ParamValue] = params
        self.keep_effects = keep_effects
