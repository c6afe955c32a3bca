"""A shift at the counter with the link down (SPEC §5): the counter's own shift numbering in the outbox file,
the shift summed up from the outbox (what the close counts against and the provisional 日结单 prints), and the
co-sign checked against a cached verifier."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from client.core.offline_auth import VerifierStore, verifier_file
from client.core.offline_cosign import OfflineCosignError, attest, remember_online_cosign
from client.core.offline_shift import close_unsent, offline_closing, provisional_summary
from client.core.outbox.queue import Outbox
from client.core.settlement_day import provisional_settlement
from client.core.shift_view import remembered_open_shift
from printing.pdf.settlement import render_settlement_pdf
from shared_models.cosign import AttestedCosign
from shared_models.errors import ErrorCode
from shared_models.methods.payments import PAY, VOID_ATTESTED, AttestedVoidRequest, PayRequest, Tender, TenderMethod
from shared_models.methods.shifts import (
    CLOSE,
    OPEN,
    CashCountLine,
    CloseShiftRequest,
    OpenShiftRequest,
    ShiftInfo,
    UnsentItem,
)
from shared_models.roles import Perm
from shared_models.rules.hall_time import HALL_TZ

COUNTER = "H0101"
LOCAL = dt.datetime(2026, 11, 23, 8, 30, tzinfo=HALL_TZ)


class _Clock:
    def __init__(self, at: dt.datetime) -> None:
        self.at = at

    def __call__(self) -> dt.datetime:
        return self.at


@pytest.fixture
def clock() -> _Clock:
    """2026-11-23 08:30 in the hall."""
    return _Clock(LOCAL)


@pytest.fixture
def outbox(tmp_path: Path, clock: _Clock) -> Outbox:
    """A fresh outbox file."""
    return Outbox(tmp_path / "counter.sqlite3", now=clock).open()


def open_shift(outbox: Outbox, *, floor: int = 1, float_fen: int = 10000) -> str:
    """Queue a shift open numbered by the counter; its number."""
    item = outbox.submit(method=OPEN.name, build=lambda n: OpenShiftRequest(float_fen=float_fen, shift_no=n),
                         counter_code=COUNTER, username="cashier1", shift_numbered=True, server_next_shift_seq=floor)
    assert item.shift_no == item.body["shift_no"]  # the open is filed under its own shift
    return str(item.body["shift_no"])


def pay(outbox: Outbox, shift_no: str, tenders: list[Tender], *, late_fee: int = 0, prepaid: int = 0) -> str:
    """Queue a payment of the shift; its receipt number."""
    def build(receipt_no: str | None) -> PayRequest:
        assert receipt_no is not None
        return PayRequest(customer_no="3301000001", receipt_no=receipt_no, tenders=tenders, quoted_due_fen=0,
                          accepted_offline=True, local_time=LOCAL)

    item = outbox.submit(method=PAY.name, build=build, counter_code=COUNTER, username="cashier1", shift_no=shift_no,
                         customer_no="3301000001", amount_fen=sum(t.amount_fen for t in tenders), numbered=True,
                         offline=True, summary={"late_fee_fen": late_fee, "prepayment_fen": prepaid})
    assert item.receipt_no is not None
    return item.receipt_no


def void(outbox: Outbox, shift_no: str, receipt_no: str, amount_fen: int) -> None:
    """Queue a void done offline."""
    req = AttestedVoidRequest(receipt_no=receipt_no, reason="收错户号", local_time=LOCAL,
                              attested_cosign=AttestedCosign(username="super1", verified_at=LOCAL))
    outbox.submit(method=VOID_ATTESTED.name, build=lambda _n: req, counter_code=COUNTER, username="cashier1",
                  shift_no=shift_no, amount_fen=amount_fen, summary={"cosigner_name": "班长甲"}, offline=True)


def cash(fen: int) -> Tender:
    """All cash, handed over exactly."""
    return Tender(method=TenderMethod.CASH, amount_fen=fen, cash_handed_fen=fen)


def info(shift_no: str, float_fen: int = 10000) -> ShiftInfo:
    """The shift as the counter opened it."""
    return ShiftInfo(shift_no=shift_no, cashier_username="cashier1", cashier_name="收费员甲", counter_code=COUNTER,
                     hall_code="H01", business_date=LOCAL.date(), opened_at=LOCAL, float_fen=float_fen,
                     closed_at=None, opened_offline=True, local_opened_at=LOCAL)


class TestShiftNumbering:
    def test_numbers_follow_the_counters_own_sequence_and_the_servers_floor(self, outbox: Outbox) -> None:
        """The first shift of the day is 01, the next 02; a server floor above the counter's own wins."""
        assert open_shift(outbox) == "H0101-20261123-01"
        assert open_shift(outbox) == "H0101-20261123-02"
        assert open_shift(outbox, floor=5) == "H0101-20261123-05"
        assert open_shift(outbox, floor=1) == "H0101-20261123-06"

    def test_the_sequence_starts_again_each_day_and_survives_a_reopen(self, outbox: Outbox, clock: _Clock) -> None:
        """The numbering is kept in the file (a restarted client goes on) and restarts on a new hall day."""
        assert open_shift(outbox) == "H0101-20261123-01"
        again = Outbox(outbox.path, now=clock).open()
        assert open_shift(again) == "H0101-20261123-02"
        clock.at = dt.datetime(2026, 11, 24, 0, 5, tzinfo=HALL_TZ)
        assert open_shift(again) == "H0101-20261124-01"


class TestProvisionalSummary:
    def test_figures_from_the_outbox(self, outbox: Outbox) -> None:
        """Payments by method and business type, a void taken out, receipts used and the expected cash:
        float plus the cash of the payments not voided."""
        number = open_shift(outbox)
        first = pay(outbox, number, [cash(3000)], late_fee=120)
        second = pay(outbox, number, [cash(2000)])
        third = pay(outbox, number, [Tender(method=TenderMethod.QR, amount_fen=1500, reference="WX1")], prepaid=500)
        void(outbox, number, second, 2000)
        summary = provisional_summary(info(number), outbox.items(shift_no=number))
        assert (summary.payments_count, summary.collected_fen) == (2, 4500)
        assert {(m.method, m.count, m.amount_fen) for m in summary.methods} == {
            (TenderMethod.CASH, 1, 3000), (TenderMethod.QR, 1, 1500)}
        assert {(b.business.value, b.amount_fen) for b in summary.businesses} == {
            ("electricity", 3000 - 120 + 1000), ("late_fee", 120), ("prepayment", 500)}
        assert [(v.receipt_no, v.cosigned_by, v.cosign_at_counter) for v in summary.voids] == [(second, "班长甲", True)]
        assert [(r.first, r.last, r.count) for r in summary.receipts_used] == [(first, third, 3)]
        assert summary.expected_cash_fen == 10000 + 3000
        assert summary.offline_unconfirmed == 3

    def test_a_voided_unsent_payment_has_no_cash_in_the_drawer(self, outbox: Outbox) -> None:
        """On the close's unsent list a payment voided offline counts no cash (it was handed back)."""
        number = open_shift(outbox)
        kept = pay(outbox, number, [cash(3000)])
        voided = pay(outbox, number, [cash(2000)])
        void(outbox, number, voided, 2000)
        unsent = [UnsentItem(idempotency_key="00000000-0000-4000-8000-00000000000" + str(i), method=PAY.name,
                             receipt_no=no, customer_no="3301000001", amount_fen=fen, cash_fen=fen, local_time=LOCAL)
                  for i, (no, fen) in enumerate(((kept, 3000), (voided, 2000)))]
        assert [u.cash_fen for u in close_unsent(outbox.items(shift_no=number), unsent)] == [3000, 0]

    @pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")
    def test_the_provisional_settlement_prints_marked(self, outbox: Outbox, tmp_path: Path) -> None:
        """A shift closed offline prints a 日结单 titled 临时 with the note that the final one follows; its
        figures are the counter's (counted 129.00 against 130.00 expected)."""
        number = open_shift(outbox)
        pay(outbox, number, [cash(3000)])
        summary = provisional_summary(info(number), outbox.items(shift_no=number))
        counts = [CashCountLine(denomination_fen=10000, pieces=1), CashCountLine(denomination_fen=1000, pieces=2),
                  CashCountLine(denomination_fen=100, pieces=9)]
        closing = offline_closing(summary=summary, counts=counts, deposit_slip_no="JK-OFF-1", note="",
                                  approved_by="班长甲", local_time=LOCAL)
        assert (closing.counted_cash_fen, closing.difference_fen) == (12900, -100)
        closed = summary.model_copy(update={"closing": closing})
        daily = provisional_settlement([closed], hall_name="城东营业厅", printed_by="收费员甲", now=LOCAL)
        report = daily.report
        assert report is not None
        assert report.provisional
        assert (report.hall.expected_cash_fen, report.hall.counted_cash_fen) == (13000, 12900)
        pdf = tmp_path / "provisional.pdf"
        pdf.write_bytes(render_settlement_pdf(report))
        text = "".join(subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                                      text=True).stdout.split())
        assert "营业厅日结单（临时）" in text
        assert "以正式日结单为准" in text
        final = report.model_copy(update={"provisional": False})
        pdf.write_bytes(render_settlement_pdf(final))
        assert "临时" not in subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                                             text=True).stdout


@pytest.fixture
def verifiers(tmp_path: Path) -> VerifierStore:
    """The counter's verifier store with super1 (co-signed here online) and cashier2 (signed in here) cached."""
    store = VerifierStore(verifier_file(tmp_path / "data", COUNTER), secret=lambda: bytes(range(32)),
                          now=lambda: LOCAL, hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    remember_online_cosign(store, username="super1", password="pw-super1", counter_code=COUNTER,
                           display_name="班长甲", permissions=frozenset({Perm.COLLECT, Perm.APPROVE}))
    store.remember(username="cashier2", password="pw-cashier2", counter_code=COUNTER,
                   display_name="收费员乙", roles=["cashier"], permissions=frozenset({Perm.COLLECT}))
    return store


class TestAttest:
    def test_a_supervisor_verified_at_the_counter(self, verifiers: VerifierStore) -> None:
        """After an online co-sign here, the supervisor is verified at the counter: the attestation carries the
        user name and the counter's time, never the password."""
        done = attest(verifiers, username="super1", password="pw-super1", counter_code=COUNTER, actor="cashier1",
                      permission=Perm.APPROVE, now=LOCAL)
        assert done.attestation == AttestedCosign(username="super1", verified_at=LOCAL)
        assert done.display_name == "班长甲"
        assert "pw-super1" not in done.attestation.model_dump_json()

    @pytest.mark.parametrize(("username", "password", "code"), [
        ("cashier1", "pw-cashier1", ErrorCode.COSIGN_SAME_USER),
        ("super1", "wrong", ErrorCode.COSIGN_INVALID),
        ("super2", "pw-super2", ErrorCode.COSIGN_INVALID),  # no verifier cached at this counter
        ("cashier2", "pw-cashier2", ErrorCode.COSIGN_NOT_AUTHORIZED),
    ])
    def test_refusals(self, verifiers: VerifierStore, username: str, password: str, code: ErrorCode) -> None:
        """The cashier themself, a wrong password, nobody cached here and a cashier: each refused with its code."""
        with pytest.raises(OfflineCosignError) as refused:
            attest(verifiers, username=username, password=password, counter_code=COUNTER, actor="cashier1",
                   permission=Perm.APPROVE, now=LOCAL)
        assert refused.value.code is code


class TestRememberedServerShift:
    """A shift the server reported while the link was up is still the cashier's open shift with it down."""

    @staticmethod
    def _server_shift() -> ShiftInfo:
        return ShiftInfo(shift_no=f"{COUNTER}-20261123-01", cashier_username="cashier1", cashier_name="张三",
                         counter_code=COUNTER, hall_code="H01", business_date=LOCAL.date(), opened_at=LOCAL,
                         float_fen=10000, closed_at=None)

    def test_the_last_open_shift_the_server_reported_is_known_offline(self, outbox: Outbox) -> None:
        """Remembered per counter and user; forgotten when the server says there is none."""
        shift = self._server_shift()
        outbox.remember_server_shift(counter_code=COUNTER, username="cashier1", shift_json=shift.model_dump_json())
        assert remembered_open_shift(outbox, counter_code=COUNTER, username="cashier1") == shift
        assert remembered_open_shift(outbox, counter_code=COUNTER, username="cashier2") is None
        assert remembered_open_shift(outbox, counter_code="H0102", username="cashier1") is None
        outbox.remember_server_shift(counter_code=COUNTER, username="cashier1", shift_json=None)
        assert remembered_open_shift(outbox, counter_code=COUNTER, username="cashier1") is None

    def test_a_shift_whose_close_was_queued_here_is_not_open(self, outbox: Outbox) -> None:
        """Once the cashier closed it at this counter (the close still queued), it is no longer open offline."""
        shift = self._server_shift()
        outbox.remember_server_shift(counter_code=COUNTER, username="cashier1", shift_json=shift.model_dump_json())
        outbox.submit(method=CLOSE.name, build=lambda _: CloseShiftRequest(
            shift_no=shift.shift_no, cash_counts=[CashCountLine(denomination_fen=10000, pieces=1)],
            deposit_slip_no="JK-1"), counter_code=COUNTER, username="cashier1", shift_no=shift.shift_no)
        assert remembered_open_shift(outbox, counter_code=COUNTER, username="cashier1") is None
