"""The shell: navigation, the screens the signed-in role may use, and the status bar. No business here."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QWidget,
)

from client.core.attention import report_new_attention
from client.core.rpc_client import SESSION_LOST_CODES, RpcError
from client.core.session import SessionEvent
from client.core.sync import LinkState, SyncStatus
from client.ui.context import UiContext
from client.ui.gui_thread import call_on_gui
from client.ui.messages import role_name
from client.ui.ops import Op
from client.ui.screens.account_screen import AccountScreen
from client.ui.screens.audit_screen import AuditScreen
from client.ui.screens.billrun_screen import BillRunScreen
from client.ui.screens.card_pending_screen import CardPendingScreen
from client.ui.screens.card_sale_screen import CardSaleScreen
from client.ui.screens.cashier_screen import CashierScreen
from client.ui.screens.customer_screen import CustomerScreen
from client.ui.screens.handheld_screen import HandheldScreen
from client.ui.screens.outbox_screen import OutboxScreen
from client.ui.screens.reading_books_screen import ReadingBooksScreen
from client.ui.screens.reading_progress_screen import ReadingProgressScreen
from client.ui.screens.settlement_screen import SettlementScreen
from client.ui.screens.shift_screen import ShiftScreen
from client.ui.screens.tariff_calculator_screen import TariffCalculatorScreen
from client.ui.screens.tariff_screen import TariffScreen
from client.ui.screens.users_screen import UsersScreen
from client.ui.widgets.card_status import CardReaderSignals, CardStatusLabel
from shared_models.errors import ErrorCode
from shared_models.methods.auth import WHOAMI, WhoamiResult
from shared_models.roles import Perm
from shared_models.rpc import Empty

log = logging.getLogger(__name__)

#: ``auth.whoami`` this often: it shows the link state and notices an ended or idled-out session (the
#: server does not count it as activity, so it never keeps an unattended counter signed in).
WHOAMI_INTERVAL_MS = 60_000
# Room beside the longest title in the navigation list (the item's own margins and a little air).
_NAV_PADDING = 12
_OFFLINE_CODES = frozenset(
    {ErrorCode.NETWORK_UNREACHABLE, ErrorCode.NETWORK_TIMEOUT, ErrorCode.SERVICE_UNAVAILABLE}
)


@dataclass(frozen=True)
class _Screen:
    name: str
    title: str
    widget: QWidget


class MainWindow(QMainWindow):
    """One signed-in session; built at sign-in, thrown away at sign-out."""

    sign_out_requested = Signal()
    link_state_changed = Signal(bool)

    def __init__(self, *, ctx: UiContext, whoami_interval_ms: int = WHOAMI_INTERVAL_MS,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self._ctx = ctx
        self._online = not ctx.session.offline_verified  # an offline sign-in means the center was out of reach
        self._closing_for_app = False
        self.nav_list = QListWidget()
        self.nav_list.setObjectName("navList")
        self.stack = QStackedWidget()
        self.stack.setObjectName("screenStack")
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.nav_list)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.account_screen = AccountScreen(ctx=ctx)
        self.screens: list[_Screen] = [_Screen("account", self.tr("My account"), self.account_screen)]
        # Only screens the role may use and that work; the order is the order of the counter's day.
        builders: list[tuple[Perm | tuple[Perm, ...], str, str, Callable[[], QWidget]]] = [
            (Perm.COLLECT, "shift", self.tr("Shift"), lambda: ShiftScreen(ctx=ctx)),
            (Perm.COLLECT, "desk", self.tr("Cashier desk"), lambda: CashierScreen(ctx=ctx)),
            (Perm.COLLECT, "cardsale", self.tr("Card sale"), lambda: CardSaleScreen(ctx=ctx)),
            (Perm.COLLECT, "settlement", self.tr("Daily settlement"), lambda: SettlementScreen(ctx=ctx)),
            # a meter reader's acceptances queued while the link was down wait there too
            ((Perm.COLLECT, Perm.READINGS), "outbox", self.tr("Outbox"), lambda: OutboxScreen(ctx=ctx)),
            (Perm.VIEW_CUSTOMERS, "customer", self.tr("Customer"), lambda: CustomerScreen(ctx=ctx)),
            (Perm.BILLING, "billrun", self.tr("Bill runs"), lambda: BillRunScreen(ctx=ctx)),
            (Perm.BILLING, "books", self.tr("Reading books"), lambda: ReadingBooksScreen(ctx=ctx)),
            (Perm.APPROVE, "progress", self.tr("Reading progress"), lambda: ReadingProgressScreen(ctx=ctx)),
            (Perm.APPROVE, "cardpending", self.tr("Card writes"), lambda: CardPendingScreen(ctx=ctx)),
            (Perm.READINGS, "handheld", self.tr("Handheld hand-over"), lambda: HandheldScreen(ctx=ctx)),
            (Perm.VIEW_CUSTOMERS, "tariffs", self.tr("Tariffs"), lambda: TariffScreen(ctx=ctx)),
            (Perm.VIEW_CUSTOMERS, "calculator", self.tr("Bill calculator"), lambda: TariffCalculatorScreen(ctx=ctx)),
            (Perm.MANAGE_USERS, "users", self.tr("Users"), lambda: UsersScreen(ctx=ctx)),
            (Perm.VIEW_AUDIT, "audit", self.tr("Audit trail"), lambda: AuditScreen(ctx=ctx)),
        ]
        for perm, name, title, build in builders:
            # The cashier desk holds the 360 view: the plain customer screen is for roles taking no payments.
            perms = perm if isinstance(perm, tuple) else (perm,)
            if any(ctx.session.can(p) for p in perms) and not (name == "customer" and ctx.session.can(Perm.COLLECT)):
                self.screens.append(_Screen(name, title, build()))
        self._connect_desk()
        self._connect_shift()
        for screen in self.screens:
            item = QListWidgetItem(screen.title)
            item.setData(Qt.ItemDataRole.UserRole, screen.name)
            self.nav_list.addItem(item)
            self.stack.addWidget(screen.widget)
        self._fit_nav()

        self._build_status_bar()

        self.nav_list.currentRowChanged.connect(self._on_screen_chosen)
        self.sign_out_button.clicked.connect(self.sign_out_requested)
        self.account_screen.sign_out_requested.connect(self.sign_out_requested)
        self._unsubscribe = ctx.session.subscribe(self._on_session_event)

        self.whoami_timer = QTimer(self)
        self.whoami_timer.setInterval(whoami_interval_ms)
        self.whoami_timer.timeout.connect(self.check_link)
        self.whoami_timer.start()
        self._follow_sync()

        self.setWindowTitle(self.tr("GridCounter"))
        self.resize(1024, 700)
        self._render_status()
        self._apply_password_gate()
        first = 0 if ctx.session.password_change_required or len(self.screens) == 1 else 1
        self.nav_list.setCurrentRow(first)
        if ctx.outbox_damage.closed and not ctx.session.password_change_required:
            self._show_damaged_outbox()

    def _fit_nav(self) -> None:
        """As wide as the longest screen title, no wider: at 1024 pixels every pixel goes to the screens."""
        nav = self.nav_list
        nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        text = max((nav.sizeHintForColumn(0), nav.fontMetrics().averageCharWidth() * 8))
        nav.setFixedWidth(text + 2 * nav.frameWidth() + 2 * nav.spacing() + _NAV_PADDING)

    def _build_status_bar(self) -> None:
        self.link_label = QLabel()
        self.link_label.setObjectName("linkLabel")
        self.queue_label = QLabel()
        self.queue_label.setObjectName("queueLabel")
        self.sync_status: SyncStatus | None = None
        self.session_label = QLabel()
        self.session_label.setObjectName("sessionModeLabel")
        self.user_label = QLabel()
        self.user_label.setObjectName("userLabel")
        self.sign_out_button = QPushButton(self.tr("Sign out"))
        self.sign_out_button.setObjectName("signOutButton")
        self.statusBar().addWidget(self.link_label)
        self.statusBar().addWidget(self.queue_label)
        self.card_signals: CardReaderSignals | None = None
        self.card_status: CardStatusLabel | None = None
        if self._ctx.card_reader is not None:
            self.card_signals = CardReaderSignals(self._ctx.card_reader, self)
            self.card_status = CardStatusLabel(self.card_signals)
            self.statusBar().addWidget(self.card_status)
            self._ctx.card_reader.start()
        self.statusBar().addPermanentWidget(self.session_label)
        self.statusBar().addPermanentWidget(self.user_label)
        self.statusBar().addPermanentWidget(self.sign_out_button)

    def screen_widget(self, name: str) -> QWidget | None:
        """The screen called ``name`` (``account``, ``desk``, ``customer``, ``users``, ``audit``), if shown."""
        return next((s.widget for s in self.screens if s.name == name), None)

    def _connect_desk(self) -> None:
        """The desk's "open the shift screen" goes to the shift screen, when this role has one."""
        desk = self.screen_widget("desk")
        if isinstance(desk, CashierScreen):
            desk.shift_screen_requested.connect(lambda: self.show_screen("shift"))
            cards = self.screen_widget("cardsale")
            if isinstance(cards, CardSaleScreen):

                def sell(customer_no: str) -> None:
                    if self.show_screen("cardsale"):
                        cards.serve(customer_no)

                desk.card_sale_requested.connect(sell)

    def _connect_shift(self) -> None:
        """The shift screen's "daily settlement" opens the settlement screen on the shift's business day."""
        shift, settlement = self.screen_widget("shift"), self.screen_widget("settlement")
        if isinstance(shift, ShiftScreen) and isinstance(settlement, SettlementScreen):

            def show(day: object) -> None:
                if self.show_screen("settlement"):
                    settlement.show_day(day if isinstance(day, dt.date) else None)

            shift.settlement_requested.connect(show)

    def screen_names(self) -> list[str]:
        """The screens this role sees, in navigation order."""
        return [s.name for s in self.screens]

    def show_screen(self, name: str) -> bool:
        """Switch to ``name``; False when it is not shown or locked until the password is changed."""
        for row, screen in enumerate(self.screens):
            if screen.name == name and self.nav_list.item(row).flags() & Qt.ItemFlag.ItemIsEnabled:
                self.nav_list.setCurrentRow(row)
                return True
        return False

    def _on_screen_chosen(self, row: int) -> None:
        if not 0 <= row < len(self.screens):
            return
        widget = self.screens[row].widget
        self.stack.setCurrentWidget(widget)
        activate = getattr(widget, "activate", None)
        if callable(activate):
            activate()

    def _apply_password_gate(self) -> None:
        """Until a required password change is done, only the account screen can be opened."""
        locked = self._ctx.session.password_change_required
        for row in range(1, self.nav_list.count()):
            item = self.nav_list.item(row)
            flags = item.flags()
            item.setFlags(flags & ~Qt.ItemFlag.ItemIsEnabled if locked else flags | Qt.ItemFlag.ItemIsEnabled)
        if locked:
            self.nav_list.setCurrentRow(0)

    def _on_session_event(self, event: SessionEvent) -> None:
        if event is SessionEvent.ENDED:
            return
        self._render_status()
        self._apply_password_gate()

    def _render_status(self) -> None:
        state = self._ctx.session.state
        if state is not None:
            self.user_label.setText(self.tr("{user} ({role}) @ {counter}").format(
                user=state.user.display_name, role=role_name(state.user.role), counter=state.counter.code))
        self.link_label.setText(self.tr("● Online") if self._online else self.tr("● Offline"))
        self.link_label.setStyleSheet("color: #1b5e20;" if self._online else "color: #b00020;")
        offline_verified = self._ctx.session.offline_verified
        # Signed in against the verifier cached at this counter: nothing is sent until the online sign-in.
        self.session_label.setText(self.tr("Offline-verified sign-in: signs in online when the link returns")
                                   if offline_verified else "")
        self.session_label.setStyleSheet("color: #8a5a00; font-weight: bold;" if offline_verified else "")
        self.session_label.setVisible(offline_verified)

    def _follow_sync(self) -> None:
        """Show the outbox's queue in the status bar, as the sync worker reports it."""
        self._unsubscribe_sync: Callable[[], None] = lambda: None
        self.age_timer = QTimer(self)  # the oldest item's age moves on without any new status
        self.age_timer.setInterval(10_000)
        self.age_timer.timeout.connect(self._render_queue)
        sync = self._ctx.sync
        if sync is not None:
            self._unsubscribe_sync = sync.subscribe(self._status_from_sync)
            Op(parent=self, run=sync.status, key="sync_status").on_success(self._on_sync_status).start()
            self.age_timer.start()

    def _status_from_sync(self, status: SyncStatus) -> None:
        """Called on the sync worker's thread: hand the status to the GUI thread, touching nothing here."""
        call_on_gui(self._on_sync_status, status, owner=self)

    def _show_damaged_outbox(self) -> None:
        """A damaged queue file was set aside at start-up: open the Outbox screen and its acknowledgement."""
        screen = self.screen_widget("outbox")
        if isinstance(screen, OutboxScreen) and self.show_screen("outbox"):
            screen.open_damage_dialog()

    def _on_sync_status(self, status: SyncStatus) -> None:
        previous = self.sync_status
        self.sync_status = status
        if status.counts.attention and (previous is None or status.counts.attention > previous.counts.attention):
            self._report_attention()
        if status.link is not LinkState.UNKNOWN:
            self._set_online(status.link is LinkState.UP)
        self._render_queue()

    def _report_attention(self) -> None:
        """Items refused after the money was taken go on the hall's attention list (the supervisor's),
        without waiting for anyone to open the Outbox screen; repeating it is harmless."""
        outbox, rpc = self._ctx.outbox, self._ctx.rpc
        if outbox is None:
            return
        Op(parent=self, run=lambda: report_new_attention(outbox, rpc), key="report_attention") \
            .on_failure(lambda exc: log.warning("attention items not reported yet: %r", exc)) \
            .start()

    def _render_queue(self) -> None:
        """Queue depth, the oldest unsent item's age and the items needing attention."""
        status = self.sync_status
        if status is None:
            self.queue_label.setText("")
            return
        counts = status.counts
        parts = []
        if counts.pending:
            text = self.tr("Queued: %n item(s)", "", counts.pending)
            if counts.oldest_pending_at is not None:
                age = dt.datetime.now(counts.oldest_pending_at.tzinfo or dt.UTC) - counts.oldest_pending_at
                minutes = max(0, int(age.total_seconds() // 60))
                text += " · " + self.tr("oldest %n minute(s) ago", "", minutes)
            parts.append(text)
        else:
            parts.append(self.tr("Queue empty"))
        if counts.attention:
            parts.append(self.tr("%n item(s) need attention", "", counts.attention))
        self.queue_label.setText(" · ".join(parts))
        self.queue_label.setStyleSheet("color: #b00020; font-weight: bold;" if counts.attention
                                       else ("color: #8a5a00;" if counts.pending else ""))

    @property
    def online(self) -> bool:
        """The link state as last seen."""
        return self._online

    def _set_online(self, online: bool) -> None:
        changed = online != self._online
        self._online = online
        self._render_status()
        if changed:
            self.link_state_changed.emit(online)

    def check_link(self) -> None:
        """``auth.whoami`` in the background: link state, fresh session data, an ended session noticed."""
        if self._ctx.session.offline_verified:
            return  # no session on the server yet: the application's online sign-in attempts probe the link
        rpc = self._ctx.rpc
        Op(parent=self, run=lambda: rpc.call(WHOAMI, Empty()), key="whoami") \
            .on_success(self._on_whoami) \
            .on_failure(self._on_whoami_failed) \
            .start()

    def _on_whoami(self, result: WhoamiResult) -> None:
        self._set_online(True)
        self._ctx.session.update(result)

    def _on_whoami_failed(self, exc: BaseException) -> None:
        if isinstance(exc, RpcError) and exc.code in SESSION_LOST_CODES:
            self._ctx.report_error(self, exc)
        elif isinstance(exc, RpcError) and exc.code in _OFFLINE_CODES:
            self._set_online(False)
        else:  # a periodic check must not pop up dialogs; the log has it
            log.warning("whoami failed: %r", exc)
            self._set_online(False)

    def shutdown(self) -> None:
        """Stop the timer and the session subscription before the window goes away."""
        self.whoami_timer.stop()
        self.age_timer.stop()
        self._unsubscribe()
        self._unsubscribe_sync()
        if self.card_signals is not None:
            self.card_signals.shutdown()
        self._closing_for_app = True

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing the window signs out (the application decides whether to quit)."""
        if not self._closing_for_app:
            self.sign_out_requested.emit()
        self.whoami_timer.stop()
        super().closeEvent(event)
