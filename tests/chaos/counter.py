"""A simulated counter for the chaos test: the real client core without the GUI, one process per counter PC.

``python -m tests.chaos.counter --work-dir D --outbox F ...`` signs in (:func:`client.core.session.sign_in`),
finds or opens the cashier's shift, starts the :class:`client.core.sync.SyncWorker` on the
:class:`client.core.outbox.Outbox` file ``F`` and takes payments with
:func:`client.core.cashier.take_payment` until the harness asks it to stop: online against a fresh
``payment.get_quote``, offline (link down) against the due it last saw. It may be SIGKILLed at any
moment and started again on the same outbox file. ``--mode replay`` takes no payments and only replays
the outbox (the second process of the double-replay scenario).

Files in the work folder (the harness's side of the conversation):

``stop-taking``             the harness asks every process of this counter to take no more payments
``ready-<pid>``             signed in, shift known, sync worker running
``idle-<pid>``              this process takes no more payments (it keeps sending until SIGTERM)
``handed.log``              one line per receipt handed to a customer: ``<receipt_no>\\t<offline 0/1>\\t<pid>``
                            (and ``REFUSED\\t<receipt_no>\\t<code>`` for a refusal the cashier saw)
``stats-<pid>.json``        written at a clean exit (SIGTERM): what this process did
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import random
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from typing import Any, Final

from keyring.backend import KeyringBackend

from client.core.actions import ConfirmedAction
from client.core.attention import unsent_items
from client.core.cashier import take_payment
from client.core.offline_shift import close_unsent, provisional_summary
from client.core.outbox.items import ItemState
from client.core.outbox.queue import Outbox
from client.core.outbox.store import OutboxDamagedError, OutboxError
from client.core.rpc_client import SESSION_LOST_CODES, Cosign, RpcClient, RpcError
from client.core.secrets import SERVICE, SecretStore, device_key_name
from client.core.session import sign_in
from client.core.shift_ops import close_shift as close_queued
from client.core.shift_ops import open_shift as open_shift_queued
from client.core.shift_view import current_shift
from client.core.sync import LINK_CODES, RETRY_CODES, Backoff, LinkState, SyncWorker
from shared_models.cosign import AttestedCosign
from shared_models.errors import ErrorCode
from shared_models.methods.auth import LoginResult
from shared_models.methods.outbox import ReplayBatchResult
from shared_models.methods.payments import PAY, QUOTE, Quote, QuoteRequest, Tender, TenderMethod
from shared_models.methods.shifts import DENOMINATIONS_FEN, CashCountLine, ShiftInfo
from shared_models.pinning import ca_fingerprint
from shared_models.rpc import Mutation, Query, ReqT, ResT
from shared_models.rules.hall_time import hall_now
from shared_models.rules.receipts import ReceiptHeader

log = logging.getLogger("chaos.counter")

#: Exit codes the harness tells apart.
EXIT_OK: Final = 0
EXIT_REFUSED: Final = 2  # the server refused the sign-in or the shift for good (set-up error)
EXIT_DAMAGED: Final = 3  # the outbox file could not be trusted

STOP_TAKING: Final = "stop-taking"
#: The float every simulated shift opens with (fen).
FLOAT_FEN: Final = 100_000
HANDED_LOG: Final = "handed.log"


class GivenKeyring(KeyringBackend):
    """A keyring holding just the device key it was given (the sim has no desktop keyring)."""

    priority = 1

    def __init__(self, entries: dict[tuple[str, str], str]) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # keyring is untyped
        self._entries = dict(entries)

    def get_password(self, service: str, username: str) -> str | None:
        """The stored secret, or None."""
        return self._entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        """Keep a secret (in memory)."""
        self._entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        """Forget a secret."""
        self._entries.pop((service, username), None)


class CountingRpcClient(RpcClient):
    """The real client stub, counting the payment answers that reached this process (alone or in a
    replayed batch)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.pay_answers = 0

    def call(self, rpc: Query[ReqT, ResT], req: ReqT) -> ResT:
        """:meth:`RpcClient.call`, counting the payments a replayed batch answered."""
        result = super().call(rpc, req)
        if isinstance(result, ReplayBatchResult):
            self.pay_answers += sum(1 for o in result.outcomes if o.result is not None)
        return result

    def send(self, rpc: Mutation[ReqT, ResT], req: ReqT, *, action: ConfirmedAction,
             cosign: Cosign | None = None) -> ResT:
        """:meth:`RpcClient.send`, counted when the server answered a payment."""
        result = super().send(rpc, req, action=action, cosign=cosign)
        if rpc.name == PAY.name:
            self.pay_answers += 1
        return result


def _transient(exc: RpcError) -> bool:
    return exc.code in LINK_CODES or exc.code in RETRY_CODES


class Counter:
    """One simulated counter process (see the module docstring)."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.work = Path(args.work_dir)
        self.pid = os.getpid()
        self.rng = random.Random(f"{args.seed}-{self.pid}")
        self.stop = threading.Event()
        self.customers: list[str] = [c for c in Path(args.customers_file).read_text().split() if c]
        self.cache: dict[str, Quote] = {}  # the due as last seen, per customer (served from when offline)
        self.taken = 0
        self.offline_taken = 0
        self.refused: dict[str, int] = {}
        self.login: LoginResult | None = None
        self.shift: ShiftInfo | None = None
        self.in_shift = 0  # payments taken in the current shift by this process
        self.shifts_opened = self.shifts_closed = 0
        self.next_seq = 1
        pem = Path(args.ca).read_bytes()
        pin = self.pin = ca_fingerprint(pem)
        self.rpc = CountingRpcClient(ca_file=Path(args.ca), ca_pin=lambda: pin, client_version="chaos-sim",
                                     server_url=args.server, connect_timeout_s=2.0, read_timeout_s=args.read_timeout_s)
        key = Path(args.key_file).read_text().strip()
        self.secrets = SecretStore(GivenKeyring({(SERVICE, device_key_name(args.counter)): key}))
        self.outbox = Outbox(Path(args.outbox)).open()
        self.sync = SyncWorker(outbox=self.outbox, rpc=self.rpc, user=lambda: args.username,
                               backoff=Backoff(base_s=0.1, cap_s=2.0), idle_s=1.0, rng=random.Random(self.pid))
        self.rpc.link_listener = self.sync.note_link

    # --- set-up -----------------------------------------------------------------------------------

    def _pause(self, failures: int) -> None:
        self.stop.wait(min(2.0, 0.1 * 2 ** min(failures, 5)) * self.rng.uniform(0.5, 1.0))

    def sign_in(self) -> bool:
        """Sign in (retrying while the link or the server is down); False if stopped meanwhile."""
        failures = 0
        while not self.stop.is_set():
            try:
                self.login = sign_in(rpc=self.rpc, secrets=self.secrets, server_url=self.args.server,
                                     counter_code=self.args.counter, username=self.args.username,
                                     password=self.args.password)
            except RpcError as exc:
                if not _transient(exc):
                    raise
                failures += 1
                self._pause(failures)
                continue
            self.sync.wake()
            return True
        return False

    def remember_supervisor(self) -> bool:
        """The supervisor signs in at this counter once (an earlier day), so the server takes their co-sign
        verified here; False if stopped meanwhile."""
        failures = 0
        while not self.stop.is_set():
            rpc = RpcClient(ca_file=Path(self.args.ca), ca_pin=lambda: self.pin, client_version="chaos-sim",
                            server_url=self.args.server, connect_timeout_s=2.0)
            try:
                sign_in(rpc=rpc, secrets=self.secrets, server_url=self.args.server, counter_code=self.args.counter,
                        username=self.args.supervisor, password=self.args.password)
                return True
            except RpcError as exc:
                if not _transient(exc):
                    raise
                failures += 1
                self._pause(failures)
            finally:
                rpc.close()
        return False

    def find_shift(self) -> bool:
        """The cashier's open shift — the server's, or the one this counter opened offline and has not sent
        yet — opened here through the outbox if there is none."""
        failures = 0
        while not self.stop.is_set():
            try:
                current, _ = current_shift(rpc=self.rpc, outbox=self.outbox, sync=self.sync,
                                           username=self.args.username, counter_code=self.args.counter)
                self.next_seq = max(self.next_seq, current.next_receipt_seq)
                if current.shift is not None:
                    self.shift = current.shift
                    return True
                if self.args.mode == "replay":  # a second process on the same outbox only replays it
                    return True
                return self.open_shift()
            except RpcError as exc:
                if exc.code in SESSION_LOST_CODES:
                    if not self.sign_in():
                        return False
                    continue
                if not _transient(exc):
                    raise
                failures += 1
                self._pause(failures)
        return False

    # --- taking payments ----------------------------------------------------------------------------

    def open_shift(self) -> bool:
        """Open a shift through the outbox, numbered by this counter (on line, or offline when no answer)."""
        assert self.login is not None
        outcome = open_shift_queued(outbox=self.outbox, sync=self.sync, username=self.args.username,
                                    header=self._header(), hall_code=self.login.counter.hall_code, float_fen=FLOAT_FEN,
                                    server_next_shift_seq=1, local_time=hall_now(), wait_s=self.args.wait_s)
        if outcome.result is None:
            log.error("shift open refused: %r", outcome.refused)
            return False
        self.shift = outcome.result
        self.in_shift = 0
        self.shifts_opened += 1
        return True

    def cycle_shift(self) -> bool:
        """Close the shift counting exactly the cash this counter expects (its own figures, the unsent list
        co-signed by the supervisor as verified here) and open the next one; both through the outbox."""
        shift = self.shift
        assert shift is not None
        items = self.outbox.items(shift_no=shift.shift_no, limit=1_000_000)
        own = provisional_summary(shift, items)
        unsent = close_unsent(items, unsent_items(self.outbox, shift.shift_no))
        counts, rest = [], own.expected_cash_fen
        for denomination in DENOMINATIONS_FEN:
            pieces, rest = divmod(rest, denomination)
            counts.append(CashCountLine(denomination_fen=denomination, pieces=pieces))
        now = hall_now()
        figures = own.model_copy(update={"expected_cash_fen": own.expected_cash_fen - sum(u.cash_fen for u in unsent)})
        close_queued(outbox=self.outbox, sync=self.sync, username=self.args.username, summary=figures,
                     cash_counts=counts, deposit_slip_no=f"JK-{shift.shift_no}", note="", unsent=unsent,
                     cosign=AttestedCosign(username=self.args.supervisor, verified_at=now),
                     cosigner_name=self.args.supervisor, local_time=now, wait_s=self.args.wait_s)
        self.shifts_closed += 1
        self.shift = None
        return self.open_shift()

    def _header(self) -> ReceiptHeader:
        assert self.login is not None
        return ReceiptHeader(hall_name=self.login.counter.hall_name, counter_code=self.args.counter,
                             cashier_name=self.login.user.display_name,
                             shift_no=self.shift.shift_no if self.shift is not None else "", address="")

    def _busy_customers(self) -> set[str]:
        """Customers with a payment of this counter still unconfirmed (an online quote would be stale)."""
        return {i.customer_no for i in self.outbox.items(states=[ItemState.PENDING], limit=1_000_000)
                if i.customer_no}

    def _tenders(self, amount: int) -> list[Tender]:
        roll = self.rng.random()
        if roll < 0.6 or amount < 2:
            handed = amount + self.rng.choice([0, 0, 50, 1000, 5000])
            return [Tender(method=TenderMethod.CASH, amount_fen=amount, cash_handed_fen=handed)]
        if roll < 0.8:
            return [Tender(method=TenderMethod.QR, amount_fen=amount, reference=f"WX{self.rng.randrange(10**12)}")]
        cash = self.rng.randrange(1, amount)
        return [Tender(method=TenderMethod.CASH, amount_fen=cash, cash_handed_fen=cash),
                Tender(method=TenderMethod.BANK_CARD, amount_fen=amount - cash,
                       reference=f"POS{self.rng.randrange(10**8)}")]

    def _amount(self, customer: str) -> int:
        seen = self.cache.get(customer)
        due = seen.due_fen if seen is not None else 0
        if due > 0 and self.rng.random() < 0.85:
            return self.rng.randint(100, max(100, min(due, 30_000)))
        return self.rng.randint(100, 20_000)  # nothing due (as far as we know): prepayment

    def _offline(self) -> bool:
        """What the desk believes: the link is down (the sync worker's view, told by every call)."""
        return self.sync.link is LinkState.DOWN

    def _quote(self, customer: str, amount: int) -> Quote | None:
        """A fresh quote, or the cached due when the link is down; None when neither is possible."""
        if not self._offline():
            try:
                quote = self.rpc.call(QUOTE, QuoteRequest(customer_no=customer, amount_fen=amount))
            except RpcError as exc:
                if exc.code in {ErrorCode.CUSTOMER_CLOSED, ErrorCode.CUSTOMER_NOT_FOUND}:
                    self.customers.remove(customer)
                    return None
                if not _transient(exc) and exc.code not in SESSION_LOST_CODES:
                    raise
                if not self._offline():
                    return None  # the server said "not now" but the link is up: an offline quote would be unsafe
            else:
                self.cache[customer] = quote
                return quote
        seen = self.cache.get(customer)
        return seen.model_copy(update={"amount_fen": amount}) if seen is not None else None

    def take_one(self) -> bool:
        """Take one payment; False when none could be taken just now."""
        online = not self._offline()
        busy = self._busy_customers() if online else set()
        known = self.cache if not online else self.customers  # offline: only customers with a due seen
        pool = [c for c in self.customers if c not in busy and c in known]
        if not pool:
            return False
        customer = self.rng.choice(pool)
        amount = self._amount(customer)
        quote = self._quote(customer, amount)
        if quote is None:
            return False
        outcome = take_payment(outbox=self.outbox, sync=self.sync, username=self.args.username, header=self._header(),
                               server_next_seq=self.next_seq, quote=quote, tenders=self._tenders(amount),
                               local_time=hall_now(), wait_s=self.args.wait_s)
        self.taken += 1
        self.in_shift += 1
        receipt_no = outcome.item.receipt_no
        if outcome.refused is not None:
            self.refused[outcome.refused.code.value] = self.refused.get(outcome.refused.code.value, 0) + 1
            self._handed(f"REFUSED\t{receipt_no}\t{outcome.refused.code.value}")
            return True
        assert outcome.receipt is not None
        self.offline_taken += int(outcome.offline)
        self._handed(f"{outcome.receipt.receipt_no}\t{int(outcome.offline)}\t{self.pid}")
        if not outcome.offline:  # the server's word on the due after this payment
            self.cache[customer] = quote.model_copy(update={"due_fen": outcome.receipt.due_fen - sum(
                b.paid_fen for b in outcome.receipt.bills)})
        return True

    def _handed(self, line: str) -> None:
        with (self.work / HANDED_LOG).open("a", encoding="utf-8") as f:
            f.write(line + "\n")

    # --- the process ----------------------------------------------------------------------------------

    def run(self) -> int:
        if self.args.shift_every and not self.remember_supervisor():
            return EXIT_OK
        if not self.sign_in():
            return EXIT_OK
        self.sync.start()  # before the shift: an open goes through the outbox, behind what waits there
        if not self.find_shift():
            return EXIT_OK
        (self.work / f"ready-{self.pid}").write_text(self.shift.shift_no if self.shift is not None else "")
        if self.args.mode == "take":
            self._take_until_told()
        (self.work / f"idle-{self.pid}").write_text(str(self.taken))
        self.stop.wait()
        self.sync.stop()
        self.rpc.close()
        stats = {"pid": self.pid, "mode": self.args.mode, "taken": self.taken, "offline": self.offline_taken,
                 "refused": self.refused, "pay_answers": self.rpc.pay_answers, "shifts_opened": self.shifts_opened,
                 "shifts_closed": self.shifts_closed}
        tmp = self.work / f".stats-{self.pid}.tmp"
        tmp.write_text(json.dumps(stats))
        os.replace(tmp, self.work / f"stats-{self.pid}.json")
        return EXIT_OK

    def _take_until_told(self) -> None:
        stop_file = self.work / STOP_TAKING
        while not self.stop.is_set() and not stop_file.exists():
            if not self.rpc.has_session and not self._offline():
                self.sign_in()  # the session ended (the worker waits for a sign-in too)
                continue
            try:
                if self.args.shift_every and self.in_shift >= self.args.shift_every:
                    self.cycle_shift()
                took = self.take_one()
            except OutboxError:
                log.exception("outbox write failed; nothing was handed over")
                took = False
            self.stop.wait(self.rng.uniform(0.5, 1.5) * self.args.pace_s if took else 0.2)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.chaos.counter", description=__doc__)
    parser.add_argument("--server", required=True, help="https URL (the chaos proxy)")
    parser.add_argument("--ca", required=True, help="the CA certificate the counter pins")
    parser.add_argument("--counter", required=True)
    parser.add_argument("--username", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--key-file", required=True, help="the device key from `counter enroll`")
    parser.add_argument("--outbox", required=True)
    parser.add_argument("--work-dir", required=True)
    parser.add_argument("--customers-file", required=True, help="customer numbers this counter serves")
    parser.add_argument("--mode", choices=["take", "replay"], default="take")
    parser.add_argument("--seed", default="0")
    parser.add_argument("--pace-s", type=float, default=0.05, help="mean pause between two payments")
    parser.add_argument("--wait-s", type=float, default=2.0, help="how long the desk waits for the answer")
    parser.add_argument("--read-timeout-s", type=float, default=10.0)
    parser.add_argument("--shift-every", type=int, default=0,
                        help="close the shift and open the next after this many payments (0: one shift)")
    parser.add_argument("--supervisor", default="", help="who co-signs a close (verified at the counter)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format=f"%(asctime)s {args.counter}/{os.getpid()} %(levelname)s"
                        " %(name)s: %(message)s")
    try:
        counter = Counter(args)
    except OutboxDamagedError as exc:
        log.error("outbox damaged: %s", exc.reason)
        return EXIT_DAMAGED

    def on_term(signum: int, frame: FrameType | None) -> None:
        counter.stop.set()

    signal.signal(signal.SIGTERM, on_term)
    try:
        return counter.run()
    except RpcError as exc:
        log.error("refused for good: %r", exc)
        return EXIT_REFUSED
    finally:
        with contextlib.suppress(Exception):
            counter.sync.stop(timeout_s=5)


if __name__ == "__main__":
    sys.exit(main())
