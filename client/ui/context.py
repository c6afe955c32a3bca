"""What the main window hands each screen: constructor injection instead of a global application object."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from client.core.rpc_client import RpcClient
from client.core.session import Session

ReportError = Callable[[QWidget | None, BaseException], None]


@dataclass(frozen=True)
class UiContext:
    """The services a screen may use."""

    rpc: RpcClient
    session: Session
    #: Failure callback for Ops: a lost session returns to the login window, anything else is shown.
    report_error: ReportError
