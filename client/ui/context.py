"""What the main window hands each screen: constructor injection instead of a global application object."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtWidgets import QWidget

from client.core.cashier import DESK_WAIT_S
from client.core.customer_cache.cache import CustomerCache
from client.core.offline_auth import VerifierStore
from client.core.outbox.damage import DamageGate
from client.core.outbox.queue import Outbox
from client.core.rpc_client import RpcClient
from client.core.session import Session
from client.core.shift_state import ShiftState
from client.core.sync import SyncWorker
from client.devices.card_reader import CardReader
from client.devices.receipt_printer import ReceiptPrinterDevice

ReportError = Callable[[QWidget | None, BaseException], None]


@dataclass(frozen=True)
class UiContext:
    """The services a screen may use."""

    rpc: RpcClient
    session: Session
    #: Failure callback for Ops: a lost session returns to the login window, anything else is shown.
    report_error: ReportError
    #: The cashier's open shift at this counter (one per signed-in session); the cashier desk and the
    #: shift screen keep it current.
    shift: ShiftState = field(default_factory=ShiftState)
    #: The receipt printer, when one is configured (``--printer host:port``).
    printer: ReceiptPrinterDevice | None = None
    #: The PC/SC card reader, unless switched off (``card_reader/enabled = false``); its watcher starts with the
    #: main window.
    card_reader: CardReader | None = None
    #: This counter's outbox and receipt numbering (in the client data folder); None where no payments
    #: are taken.
    outbox: Outbox | None = None
    #: The worker that sends the outbox; its status feeds the status bar.
    sync: SyncWorker | None = None
    #: Closed while a damaged outbox set aside at start-up waits for a supervisor: no money is taken.
    outbox_damage: DamageGate = field(default_factory=DamageGate)
    #: The hall's customers as of the last sync: what the desk serves from while the link is down.
    cache: CustomerCache | None = None
    #: How long the desk waits for the server's answer before a payment is accepted offline.
    payment_wait_s: float = DESK_WAIT_S
    #: The offline verifiers of this session's counter (SPEC §5): renewed after each online sign-in,
    #: a password change or an online co-sign; None where offline sign-in is not set up.
    verifiers: VerifierStore | None = None
