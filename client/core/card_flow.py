"""The counter's card-sale flow (issue 14): read, sell / open / replace, write, verify, confirm; rewrite, reversal.

Qt-free and blocking: every method is meant to run off the GUI thread, in the UI's ``Op`` runner. The card is
reached through :class:`CardAccess` (the reader device thread's :class:`ReaderAccess`, or any
:class:`~shared_models.cards.image.CardPort` through :class:`PortAccess` in tests and the benchmark); the server
through the :class:`~client.core.rpc_client.RpcClient` (``call`` for queries, ``send`` with an idempotency key
for mutations). The protocol is ``shared_models/methods/cards.py``:

1. ``read`` → ``card.read_card``: the :class:`~shared_models.methods.cards.CardView` (what the card is, what may be
   done);
2. ``sell`` / ``open_card`` / ``replace_card``: the card is read again, then the money is taken and the purchase
   recorded pending-write (``card.prepare_sale`` / ``open_card`` / ``replace_card``) with the :class:`CardTicket`
   the caller minted ONCE when the cashier confirmed (its idempotency key and receipt number; a retry of the same
   ticket resends the very same request, so the server replays its first answer and never takes the money twice);
3. the write: (``card.authenticate_write`` with its own GET CHALLENGE when the parameter file is written) →
   GET CHALLENGE → ``card.get_write_commands`` → the MAC'd UPDATE BINARYs;
4. the card re-read and ``card.confirm_write``.

Each step is reported through ``on_step`` (:class:`Step`) and every way it can end is a typed outcome, never an
exception the UI must interpret: :class:`Done`, :class:`WrittenNotConfirmed` (the card holds the purchase, the
confirm did not get through: the next read finds it ``on_card`` and :meth:`CardFlow.finish_pending` confirms it),
:class:`NotWritten` (money taken, card not written: 补写卡 with :meth:`CardFlow.rewrite`), :class:`NoAnswer` (the
server did not answer the money step: retry with the same ticket), :class:`Refused` (nothing taken; ``offline``
when the link was down before anything was sent) and :class:`CardFailed` (the reader or card failed before any
money). With the link down nothing is queued: a card sale that cannot reach the server is refused, never taken.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import datetime as dt
import enum
import json
import logging
import threading
import uuid
from collections.abc import Callable, Sequence
from typing import Any, Final, Protocol, TypeAlias, TypeVar

from pydantic import ValidationError

from client.core.actions import OUTCOME_UNKNOWN, ConfirmedAction
from client.core.rpc_client import Cosign, RpcError, invalid_request
from client.devices.card_reader import CardReader, CardReaderError
from shared_models.cards import apdu
from shared_models.cards.apdu import ResponseApdu, Sw
from shared_models.cards.crypto import KeyId
from shared_models.cards.errors import CardFormatError
from shared_models.cards.files import (
    DF01,
    EF_INFO,
    EF_PARAMETERS,
    EF_RETURN,
    EF_WALLET,
    MF,
    CardInfo,
    ParameterFile,
    ReturnFile,
    WalletFile,
)
from shared_models.cards.image import CardImage, CardPort
from shared_models.errors import ErrorCode, ErrorPayload
from shared_models.methods.cards import (
    AUTHENTICATE_WRITE,
    CONFIRM_WRITE,
    GET_WRITE_COMMANDS,
    OPEN_CARD,
    PREPARE_SALE,
    READ_CARD,
    REPLACE_CARD,
    REVERSE_SALE,
    CardFiles,
    CardView,
    ConfirmWriteRequest,
    OpenCardRequest,
    PendingWriteView,
    PreparedWrite,
    PrepareSaleRequest,
    PurchaseView,
    ReadCardRequest,
    ReplaceCardRequest,
    ReverseResult,
    ReverseSaleRequest,
    WriteKeyRequest,
    WriteKind,
)
from shared_models.methods.payments import PaymentReceipt, Tender
from shared_models.rpc import Model, Mutation, Query, ReqT, ResT

log = logging.getLogger(__name__)
T = TypeVar("T")

#: Namespace of the keys of the flow's follow-up mutations (``card.confirm_write``): ``uuid5(CONFIRM_NAMESPACE,
#: the request)``, so the same confirmation always carries the same key (the server replays it) and another one
#: never collides with it. A confirmation is no new decision of the cashier's: it finishes the one confirmed.
CONFIRM_NAMESPACE: Final = uuid.UUID("6a1c1e0e-8f0b-4d63-9a55-1c0e5d0c2a14")

#: How long the reader may take for one step (a read, a challenge, a batch of writes) before it counts as failed.
READER_TIMEOUT_S: Final = 10.0

#: Errors on a query after which the server could not be reached at all (the link is down).
_LINK_CODES: Final = OUTCOME_UNKNOWN


# --- the card ------------------------------------------------------------------------------------------------


class CardProblem(enum.StrEnum):
    """Why the reader or the card failed a step: the reader's :class:`~client.devices.card_reader.ReaderFault`
    values (the UI words them once, for the status bar and the flow alike) and TIMEOUT."""

    NO_READER = "no_reader"  # pcscd not running, or no reader of the configured name
    NO_CARD = "no_card"  # the reader is empty
    CARD_REMOVED = "card_removed"  # the card went out during the step
    CARD_RESET = "card_reset"  # the card was reset between the challenge and the writes
    UNKNOWN_CARD = "unknown_card"  # mute, or not a card of ours (SELECT refused)
    OTHER_CARD = "other_card"  # another card than the one the flow started with
    CARD_MALFORMED = "card_malformed"  # an answer or file that does not fit the format
    CARD_STATUS = "card_status"  # a status word other than 9000 (``sw``)
    READER_FAULT = "reader_fault"  # any other PC/SC failure
    TIMEOUT = "timeout"  # the reader did not answer within READER_TIMEOUT_S


class CardAccessError(Exception):
    """A reader or card failure: its :class:`CardProblem`, the status word for STATUS, the command's index in a
    batch of writes (how many went through before it)."""

    def __init__(self, problem: CardProblem, *, sw: int | None = None, index: int | None = None,
                 detail: str = "") -> None:
        self.problem = problem
        self.sw = sw
        self.index = index
        self.detail = detail
        text = problem.value + (f" SW {sw:04X}" if sw is not None else "") + (f" at {index}" if index is not None
                                                                                else "")
        super().__init__(text + (f": {detail}" if detail else ""))


@dataclasses.dataclass(frozen=True, slots=True)
class CardRead:
    """One read of the card: the four files as read (what the server judges) and, when they decode, the image."""

    files: CardFiles
    image: CardImage | None

    @property
    def serial(self) -> str:
        """The serial (hex) from the info file."""
        return self.files.info[:16].lower()


def files_of(raw: dict[str, bytes]) -> CardRead:
    """A :class:`CardRead` from the raw files by name (info, parameters, wallet, returned); the image is None when
    a file does not decode (the server then answers CARD_UNREADABLE naming it)."""
    try:
        files = CardFiles(info=raw["info"].hex(), parameters=raw["parameters"].hex(), wallet=raw["wallet"].hex(),
                          returned=raw["returned"].hex())
    except ValueError as exc:  # a file of the wrong length: the card answered something else than its file
        raise CardAccessError(CardProblem.CARD_MALFORMED, detail=str(exc).splitlines()[0]) from None
    try:
        image = CardImage(info=CardInfo.decode(raw["info"]), parameters=ParameterFile.decode(raw["parameters"]),
                          wallet=WalletFile.decode(raw["wallet"]), returned=ReturnFile.decode(raw["returned"]))
    except CardFormatError:
        image = None
    return CardRead(files=files, image=image)


class CardAccess(Protocol):
    """The card in the counter's reader, blocking; every failure a :class:`CardAccessError`."""

    def read(self) -> CardRead:
        """Select the application and read its four files."""
        ...

    def get_challenge(self, serial: bytes) -> bytes:
        """Select the application, check the card is ``serial`` (OTHER_CARD otherwise) and GET CHALLENGE: 8 random
        bytes. Nothing may reach the card between this and the :meth:`transmit_all` that uses the challenge."""
        ...

    def transmit_all(self, commands: Sequence[bytes]) -> list[bytes]:
        """Send ``commands`` in order, stopping at the first answer other than 9000 (a CardAccessError with its
        ``index`` and ``sw``); the data of every answer."""
        ...


_SELECT: Final = (apdu.select(MF).encode(), apdu.select(DF01).encode())
_READS: Final = (("info", EF_INFO), ("parameters", EF_PARAMETERS), ("wallet", EF_WALLET), ("returned", EF_RETURN))


class PortAccess:
    """:class:`CardAccess` over a :class:`CardPort` (a pyscard terminal, the emulator in memory): for tests, the
    benchmark and any caller that already sits on a thread of its own. ``port_errors`` are the transport's own
    exceptions, read as a pulled card."""

    def __init__(self, port: CardPort, *, port_errors: tuple[type[BaseException], ...] = (OSError,)) -> None:
        self._port = port
        self._errors = port_errors

    def _send(self, raw: bytes, index: int) -> bytes:
        try:
            answer = ResponseApdu.decode(self._port.transmit(raw))
        except CardFormatError as exc:
            raise CardAccessError(CardProblem.CARD_MALFORMED, index=index, detail=str(exc)) from None
        except self._errors as exc:
            raise CardAccessError(CardProblem.CARD_REMOVED, index=index, detail=type(exc).__name__) from None
        if answer.sw != Sw.OK:
            raise CardAccessError(CardProblem.CARD_STATUS, sw=answer.sw, index=index)
        return answer.data

    def read(self) -> CardRead:
        for index, raw in enumerate(_SELECT):
            self._send(raw, index)
        files = {name: self._send(apdu.read_binary(ef.sfi, ef.size).encode(), 2 + n)
                 for n, (name, ef) in enumerate(_READS)}
        return files_of(files)

    def get_challenge(self, serial: bytes) -> bytes:
        for index, raw in enumerate(_SELECT):
            self._send(raw, index)
        try:
            info = CardInfo.decode(self._send(apdu.read_binary(EF_INFO.sfi, EF_INFO.size).encode(), 2))
        except CardFormatError as exc:
            raise CardAccessError(CardProblem.CARD_MALFORMED, detail=str(exc)) from None
        if info.serial != serial:
            raise CardAccessError(CardProblem.OTHER_CARD, detail=f"card {info.serial.hex()} is not {serial.hex()}")
        challenge = self._send(apdu.get_challenge().encode(), 3)
        if len(challenge) != 8:
            raise CardAccessError(CardProblem.CARD_MALFORMED, detail=f"challenge of {len(challenge)} bytes")
        return challenge

    def transmit_all(self, commands: Sequence[bytes]) -> list[bytes]:
        return [self._send(raw, index) for index, raw in enumerate(commands)]


class ReaderAccess:
    """:class:`CardAccess` over the counter's card-reader device thread (:class:`~client.devices.card_reader.
    CardReader`: ``read_image`` / ``get_challenge`` / ``transmit_all`` return Futures), each waited for up to
    ``timeout_s``; its :class:`~client.devices.card_reader.CardReaderError` become :class:`CardAccessError` of the
    same fault."""

    def __init__(self, reader: CardReader, *, timeout_s: float = READER_TIMEOUT_S) -> None:
        self._reader = reader
        self._timeout_s = timeout_s

    def _wait(self, future: concurrent.futures.Future[T]) -> T:
        try:
            return future.result(timeout=self._timeout_s)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise CardAccessError(CardProblem.TIMEOUT) from None
        except CardReaderError as exc:
            raise CardAccessError(CardProblem(exc.code.value), sw=exc.sw, index=exc.index, detail=exc.detail) from exc

    def read(self) -> CardRead:
        read = self._wait(self._reader.read_image())
        return files_of({"info": read.raw["info"], "parameters": read.raw["parameters"],
                         "wallet": read.raw["wallet"], "returned": read.raw["return"]})

    def get_challenge(self, serial: bytes) -> bytes:
        return bytes(self._wait(self._reader.get_challenge(serial=serial)))

    def transmit_all(self, commands: Sequence[bytes]) -> list[bytes]:
        try:
            future = self._reader.transmit_all(list(commands))
        except ValueError as exc:  # not an APDU: the server's commands do not parse
            raise CardAccessError(CardProblem.CARD_MALFORMED, index=0, detail=str(exc)) from None
        return [bytes(data) for data in self._wait(future)]


# --- outcomes ------------------------------------------------------------------------------------------------


class Step(enum.StrEnum):
    """What the flow is doing (``on_step``); the UI shows 收款已记账 at PAID, 写卡中 from WRITING, 校验中 from
    VERIFYING and 完成 at DONE. The crash tests stop the flow at PAID, WRITTEN, VERIFIED and CONFIRMING."""

    READING = "reading"
    PAYING = "paying"
    PAID = "paid"  # the money is booked and the purchase pending write
    AUTHENTICATING = "authenticating"
    WRITING = "writing"
    WRITTEN = "written"  # every write answered 9000
    VERIFYING = "verifying"
    VERIFIED = "verified"  # the card re-read
    CONFIRMING = "confirming"
    REVERSING = "reversing"
    DONE = "done"


@dataclasses.dataclass(frozen=True, slots=True)
class WriteTarget:
    """The pending write a flow writes: whose, which count, of what kind, onto which card."""

    customer_no: str
    purchase_count: int
    kind: WriteKind
    serial: str
    write_amount_fen: int
    receipt_no: str | None
    #: The write includes the parameter file (opening, replacement, a sale onto an opening or replacement card):
    #: EXTERNAL AUTHENTICATE first.
    needs_authentication: bool = True

    @classmethod
    def of_pending(cls, pending: PendingWriteView) -> WriteTarget:
        """The target of a pending write the server reported (``CardView.pending``, the pending list)."""
        return cls(customer_no=pending.customer_no, purchase_count=pending.purchase_count, kind=pending.kind,
                   serial=pending.serial.lower(), write_amount_fen=pending.write_amount_fen,
                   receipt_no=pending.receipt_no,
                   # the pending view does not say whether the parameter file is written (a sale onto an opening
                   # card changes its type): authenticate always, which the card accepts for any write
                   needs_authentication=True)

    @classmethod
    def of_prepared(cls, prepared: PreparedWrite) -> WriteTarget:
        """The target of a purchase just prepared."""
        return cls(customer_no=prepared.customer_no, purchase_count=prepared.purchase_count, kind=prepared.kind,
                   serial=prepared.serial.lower(), write_amount_fen=prepared.write_amount_fen,
                   receipt_no=prepared.receipt.receipt_no if prepared.receipt else None,
                   needs_authentication=prepared.needs_authentication)


@dataclasses.dataclass(frozen=True, slots=True)
class Read:
    """The card read and judged: the server's view and the files it judged."""

    view: CardView
    card: CardRead


@dataclasses.dataclass(frozen=True, slots=True)
class Done:
    """Written, verified and confirmed: the receipt to print (None for a rewrite or a cancel write) and the
    purchase as booked."""

    receipt: PaymentReceipt | None
    purchase: PurchaseView
    prepared: PreparedWrite | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class WrittenNotConfirmed:
    """The card holds the purchase, the confirmation did not get through (link down, card pulled after the last
    write answered): the next read shows it ``on_card`` and :meth:`CardFlow.finish_pending` confirms it. The money
    is taken: print ``receipt``."""

    target: WriteTarget
    receipt: PaymentReceipt | None
    error: ErrorPayload | None
    problem: CardProblem | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class NotWritten:
    """The money is taken (or the purchase was pending already) but the card does not hold it: card pulled, a
    write refused, the link lost before the write. 补写卡 (:meth:`CardFlow.rewrite`) finishes it, no new money."""

    target: WriteTarget
    receipt: PaymentReceipt | None
    problem: CardProblem | None
    sw: int | None
    error: ErrorPayload | None


@dataclasses.dataclass(frozen=True, slots=True)
class NoAnswer:
    """The money step was sent and no answer came: the server may or may not have taken it. Retry with the SAME
    ticket (the server then replays its answer, never takes it twice); or, once the link is back, read the card:
    a pending write shows what happened."""

    error: ErrorPayload


@dataclasses.dataclass(frozen=True, slots=True)
class Refused:
    """Nothing was taken and nothing written: the server's refusal, or ``offline`` when it could not be reached
    before anything was sent (a card sale needs the link)."""

    error: ErrorPayload
    offline: bool = False


@dataclasses.dataclass(frozen=True, slots=True)
class CardFailed:
    """The reader or the card failed before any money was taken (no reader, no card, pulled, a bad answer)."""

    problem: CardProblem
    sw: int | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class Reversed:
    """The reversal booked; ``cancel`` is the outcome of the zero write when the card held the purchase (None when
    no write was needed)."""

    result: ReverseResult
    cancel: Done | WrittenNotConfirmed | NotWritten | None


ReadOutcome: TypeAlias = Read | Refused | CardFailed
WriteOutcome: TypeAlias = Done | WrittenNotConfirmed | NotWritten | NoAnswer | Refused | CardFailed
ReverseOutcome: TypeAlias = Reversed | NoAnswer | Refused | CardFailed


class CardTicket:
    """The confirmed card action: its idempotency key and receipt number, minted ONCE when the cashier confirmed
    (``ActionSlot.confirm`` and the outbox's receipt numbering, see :func:`mint_ticket`). The request first sent
    with it is kept, so every retry of this ticket resends exactly that request and the server replays its answer.
    """

    def __init__(self, action: ConfirmedAction, receipt_no: str) -> None:
        self.action = action
        self.receipt_no = receipt_no
        self._lock = threading.Lock()
        self._request: Model | None = None

    def request(self, build: Callable[[], ReqT]) -> ReqT:
        """The request of this ticket: built by ``build`` the first time, the same one on every retry."""
        with self._lock:
            if self._request is None:
                self._request = build()
            return self._request  # type: ignore[return-value]

    def request_if_sent(self) -> Model | None:
        """The request built (and maybe sent) with this ticket, None before the first attempt."""
        with self._lock:
            return self._request

    def __repr__(self) -> str:
        return f"CardTicket({self.action.key}, {self.receipt_no})"


def mint_ticket(action: ConfirmedAction, *, outbox: Any, counter_code: str, server_next_seq: int) -> CardTicket:
    """A ticket for ``action`` (from ``ActionSlot.confirm``) with the counter's next receipt number, taken from
    the outbox's numbering (``Outbox.take_receipt_no``) so no payment ever gets the same number."""
    receipt_no: str = outbox.take_receipt_no(counter_code=counter_code, server_next_seq=server_next_seq)
    return CardTicket(action, receipt_no)


def confirm_key(request: ConfirmWriteRequest) -> ConfirmedAction:
    """The action of a confirmation: its key derived from the request (see :data:`CONFIRM_NAMESPACE`)."""
    body = json.dumps(request.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return ConfirmedAction.from_outbox(str(uuid.uuid5(CONFIRM_NAMESPACE, f"{CONFIRM_WRITE.name}\n{body}")))


def _payload(error: RpcError) -> ErrorPayload:
    return ErrorPayload(code=error.code, params=error.params, ref=error.ref)


class _Rpc(Protocol):
    def call(self, rpc: Query[ReqT, ResT], req: ReqT) -> ResT: ...

    def send(self, rpc: Mutation[ReqT, ResT], req: ReqT, *, action: ConfirmedAction,
             cosign: Cosign | None = None) -> ResT: ...


# --- the flow ------------------------------------------------------------------------------------------------


class CardFlow:
    """The card flows of one counter: ``rpc`` (an RpcClient) and ``access`` (the card); ``on_step`` is told
    every step (from the calling thread). Not reentrant: one flow at a time per reader."""

    def __init__(self, rpc: _Rpc, access: CardAccess, *, on_step: Callable[[Step], None] | None = None) -> None:
        self._rpc = rpc
        self._access = access
        self._on_step = on_step

    def _step(self, step: Step) -> None:
        log.debug("card flow: %s", step.value)
        if self._on_step is not None:
            self._on_step(step)

    # -- reading --

    def read(self, customer_no: str | None = None) -> ReadOutcome:
        """Read the card and have the server judge it (``card.read_card``, writes nothing)."""
        self._step(Step.READING)
        try:
            card = self._access.read()
        except CardAccessError as exc:
            return CardFailed(exc.problem, exc.sw)
        try:
            view = self._rpc.call(READ_CARD, ReadCardRequest(files=card.files, customer_no=customer_no))
        except ValidationError as exc:
            return Refused(_payload(invalid_request(exc)))
        except RpcError as exc:
            return Refused(_payload(exc), offline=exc.code in _LINK_CODES)
        return Read(view=view, card=card)

    # -- the money step and the write --

    def sell(self, ticket: CardTicket, *, customer_no: str, purchase_count: int, tenders: Sequence[Tender],
             quoted_arrears_fen: int, serial: str | None = None,
             local_time: dt.datetime | None = None) -> WriteOutcome:
        """购电 of ``tenders`` onto the customer's card: ``purchase_count`` is the read's ``next_purchase_count``,
        ``serial`` (when given) the card the cashier read, refused as OTHER_CARD if another one sits in the reader."""
        def build(files: CardFiles) -> PrepareSaleRequest:
            return PrepareSaleRequest(customer_no=customer_no, files=files, purchase_count=purchase_count,
                                      receipt_no=ticket.receipt_no, tenders=list(tenders),
                                      quoted_arrears_fen=quoted_arrears_fen, local_time=local_time)
        return self._money_then_write(ticket, PREPARE_SALE, build, serial)

    def open_card(self, ticket: CardTicket, *, customer_no: str, tenders: Sequence[Tender], quoted_arrears_fen: int,
                  serial: str | None = None, local_time: dt.datetime | None = None) -> WriteOutcome:
        """开户: the blank card in the reader becomes the customer's card with its first purchase."""
        def build(files: CardFiles) -> OpenCardRequest:
            return OpenCardRequest(customer_no=customer_no, files=files, receipt_no=ticket.receipt_no,
                                   tenders=list(tenders), quoted_arrears_fen=quoted_arrears_fen, local_time=local_time)
        return self._money_then_write(ticket, OPEN_CARD, build, serial)

    def replace_card(self, ticket: CardTicket, *, customer_no: str, tenders: Sequence[Tender], reason: str,
                     serial: str | None = None, local_time: dt.datetime | None = None) -> WriteOutcome:
        """补卡: the blank card in the reader replaces the customer's card (fee in ``tenders``)."""
        def build(files: CardFiles) -> ReplaceCardRequest:
            return ReplaceCardRequest(customer_no=customer_no, files=files, receipt_no=ticket.receipt_no,
                                      tenders=list(tenders), reason=reason, local_time=local_time)
        return self._money_then_write(ticket, REPLACE_CARD, build, serial)

    def _money_then_write(self, ticket: CardTicket, rpc: Mutation[Any, PreparedWrite],
                          build: Callable[[CardFiles], Model], serial: str | None) -> WriteOutcome:
        request = ticket.request_if_sent()
        if request is None:  # the first attempt: read the card now (it may have been swapped since the read)
            fresh = self._fresh_read(serial)
            if not isinstance(fresh, CardRead):
                return fresh
            try:
                request = ticket.request(lambda: build(fresh.files))
            except ValidationError as exc:  # a value the contract refuses: refused as the server would
                return Refused(_payload(invalid_request(exc)))
        self._step(Step.PAYING)
        try:
            prepared = self._rpc.send(rpc, request, action=ticket.action)
        except RpcError as exc:
            return NoAnswer(_payload(exc)) if exc.code in OUTCOME_UNKNOWN else Refused(_payload(exc))
        self._step(Step.PAID)
        outcome = self._write(WriteTarget.of_prepared(prepared), receipt=prepared.receipt, rewrite=False)
        return dataclasses.replace(outcome, prepared=prepared) if isinstance(outcome, Done) else outcome

    def _fresh_read(self, serial: str | None) -> CardRead | CardFailed:
        self._step(Step.READING)
        try:
            card = self._access.read()
        except CardAccessError as exc:
            return CardFailed(exc.problem, exc.sw)
        if serial is not None and card.serial != serial.lower():
            return CardFailed(CardProblem.OTHER_CARD)
        return card

    def rewrite(self, target: WriteTarget | PendingWriteView) -> Done | WrittenNotConfirmed | NotWritten:
        """补写卡: write the pending purchase again (same data, no money) and confirm it as a rewrite."""
        if isinstance(target, PendingWriteView):
            target = WriteTarget.of_pending(target)
        return self._write(target, receipt=None, rewrite=True)

    def finish_pending(self, read: Read) -> Done | WrittenNotConfirmed | NotWritten | Refused:
        """The read found the pending write already on the card (``view.pending.on_card``): only the confirmation
        is left, with the files of that read."""
        pending = read.view.pending
        if pending is None:
            return Refused(ErrorPayload(code=ErrorCode.CARD_NO_PENDING_WRITE,
                                        params={"customer_no": read.view.customer_no or ""}))
        target = WriteTarget.of_pending(pending)
        return self._confirm(target, read.card.files, receipt=None, rewrite=True)

    def _write(self, target: WriteTarget, *, receipt: PaymentReceipt | None,
               rewrite: bool) -> Done | WrittenNotConfirmed | NotWritten:
        """Steps 3–4 for ``target``: (authenticate,) challenge, write, re-read, confirm."""
        def not_written(*, problem: CardProblem | None = None, sw: int | None = None,
                        error: RpcError | None = None) -> NotWritten:
            return NotWritten(target=target, receipt=receipt, problem=problem, sw=sw,
                              error=_payload(error) if error is not None else None)

        self._step(Step.WRITING)
        writing = False
        try:
            serial = bytes.fromhex(target.serial)
            if target.needs_authentication:
                self._step(Step.AUTHENTICATING)
                challenge = self._access.get_challenge(serial)
                auth = self._rpc.call(AUTHENTICATE_WRITE, self._key_request(target, challenge))
                self._access.transmit_all(
                    [apdu.external_authenticate(KeyId.EXTERNAL, bytes.fromhex(auth.cryptogram)).encode()])
                self._step(Step.WRITING)
            challenge = self._access.get_challenge(serial)
            commands = self._rpc.call(GET_WRITE_COMMANDS, self._key_request(target, challenge)).commands
            writing = True
            self._access.transmit_all([bytes.fromhex(command) for command in commands])
        except CardAccessError as exc:
            log.warning("card write of %s/%d failed: %s", target.customer_no, target.purchase_count, exc)
            if writing and exc.problem in (CardProblem.CARD_REMOVED, CardProblem.CARD_RESET, CardProblem.TIMEOUT):
                # the last write may have reached the card before its answer was lost: the server tells from a read
                return self._after_uncertain_write(target, receipt, rewrite, exc)
            return not_written(problem=exc.problem, sw=exc.sw)
        except RpcError as exc:
            log.warning("no write commands for %s/%d: %s", target.customer_no, target.purchase_count, exc.code)
            return not_written(error=exc)
        self._step(Step.WRITTEN)
        self._step(Step.VERIFYING)
        try:
            card = self._access.read()
        except CardAccessError as exc:
            # every write answered 9000: the card holds the purchase; the next read confirms it
            return WrittenNotConfirmed(target=target, receipt=receipt, error=None, problem=exc.problem)
        self._step(Step.VERIFIED)
        return self._confirm(target, card.files, receipt=receipt, rewrite=rewrite)

    def _after_uncertain_write(self, target: WriteTarget, receipt: PaymentReceipt | None, rewrite: bool,
                               exc: CardAccessError) -> Done | WrittenNotConfirmed | NotWritten:
        """The writes broke off (card pulled, no answer): read back once; the server tells from the files whether
        the card holds the purchase (confirmed) or not (CARD_WRITE_NOT_ON_CARD: not written)."""
        try:
            card = self._access.read()
        except CardAccessError:
            return NotWritten(target=target, receipt=receipt, problem=exc.problem, sw=exc.sw, error=None)
        return self._confirm(target, card.files, receipt=receipt, rewrite=rewrite)

    def _confirm(self, target: WriteTarget, files: CardFiles, *, receipt: PaymentReceipt | None,
                 rewrite: bool) -> Done | WrittenNotConfirmed | NotWritten:
        self._step(Step.CONFIRMING)
        request = ConfirmWriteRequest(customer_no=target.customer_no, purchase_count=target.purchase_count,
                                      files=files, rewrite=rewrite)
        try:
            purchase = self._rpc.send(CONFIRM_WRITE, request, action=confirm_key(request))
        except RpcError as exc:
            if exc.code in OUTCOME_UNKNOWN:
                return WrittenNotConfirmed(target=target, receipt=receipt, error=_payload(exc))
            log.warning("confirm of %s/%d refused: %s", target.customer_no, target.purchase_count, exc.code)
            return NotWritten(target=target, receipt=receipt, problem=None, sw=None, error=_payload(exc))
        self._step(Step.DONE)
        return Done(receipt=receipt, purchase=purchase)

    @staticmethod
    def _key_request(target: WriteTarget, challenge: bytes) -> WriteKeyRequest:
        return WriteKeyRequest(customer_no=target.customer_no, purchase_count=target.purchase_count,
                               serial=target.serial, challenge=challenge.hex())

    # -- reversal --

    def reverse(self, action: ConfirmedAction, *, customer_no: str, purchase_count: int, reason: str,
                cosign: Cosign) -> ReverseOutcome:
        """冲正 with the supervisor's co-sign the UI collected (``action`` minted at the cashier's confirm): the card
        is read and sent; when the server says the card held the purchase, the zero write is written at once."""
        self._step(Step.READING)
        try:
            card = self._access.read()
        except CardAccessError as exc:
            return CardFailed(exc.problem, exc.sw)
        self._step(Step.REVERSING)
        try:
            request = ReverseSaleRequest(customer_no=customer_no, purchase_count=purchase_count, files=card.files,
                                         reason=reason)
        except ValidationError as exc:
            return Refused(_payload(invalid_request(exc)))
        try:
            result = self._rpc.send(REVERSE_SALE, request, action=action, cosign=cosign)
        except RpcError as exc:
            if exc.code in OUTCOME_UNKNOWN:
                return NoAnswer(_payload(exc))
            return Refused(_payload(exc))
        if not result.cancel_write:
            self._step(Step.DONE)
            return Reversed(result=result, cancel=None)
        target = WriteTarget(customer_no=customer_no, purchase_count=purchase_count, kind=WriteKind.CANCEL,
                             serial=card.serial, write_amount_fen=0, receipt_no=result.receipt_no)
        return Reversed(result=result, cancel=self._write(target, receipt=None, rewrite=False))
