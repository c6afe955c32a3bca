# pytest-qt's QtBot and ModelTester are untyped:
# mypy: disable-error-code="no-untyped-call"
"""The table models obey Qt's model contract (pytest-qt's qtmodeltester)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester

from client.ui.messages import error_message
from client.ui.models.audit_table_model import REFUSED_COLOR, AuditTableModel
from client.ui.models.user_table_model import UserTableModel
from shared_models.errors import ErrorCode
from shared_models.methods.admin import UserRow
from shared_models.methods.audit import AuditRow
from shared_models.roles import Role

LOCKED_UNTIL = datetime(2026, 11, 23, 1, 30, tzinfo=UTC)


def _user(user_id: int, *, locked: bool = False, active: bool = True) -> UserRow:
    # the server judged the lock by its clock; the model shows what it was told, whatever this PC's clock says
    return UserRow(user_id=user_id, username=f"user{user_id}", display_name=f"用户{user_id}", role=Role.CASHIER,
                   org_unit_code="H0101", org_unit_name="城东营业厅", active=active, locked=locked,
                   locked_until=LOCKED_UNTIL if locked else None, failed_attempts=5 if locked else 0)


class TestUserTableModel:
    def test_model_contract(self, qtmodeltester: ModelTester) -> None:
        """The user table passes the model tester empty and filled."""
        model = UserTableModel()
        qtmodeltester.check(model)
        model.set_rows([_user(1), _user(2, locked=True), _user(3, active=False)])
        qtmodeltester.check(model)

    @pytest.mark.parametrize(("user", "status"), [
        (_user(1), "Active"), (_user(2, locked=True), "Locked"), (_user(3, active=False), "Disabled")])
    def test_status_column(self, use_locale: object, user: UserRow, status: str) -> None:
        """The status column says locked, active or disabled."""
        use_locale("en")  # type: ignore[operator]
        model = UserTableModel()
        model.set_rows([user])
        assert model.index(0, 4).data() == status
        assert model.headerData(4, Qt.Orientation.Horizontal) == "Status"

    def test_lock_is_the_servers_word(self, use_locale: object) -> None:
        """A lock the server reports is shown with its end in hall time, though it ended long ago by this PC's
        clock; a row the server reports unlocked shows no lock, whatever time it carries."""
        use_locale("en")  # type: ignore[operator]
        model = UserTableModel()
        unlocked = _user(2).model_copy(update={"locked_until": datetime.now(UTC) + timedelta(days=1)})
        model.set_rows([_user(1, locked=True), unlocked])
        assert (model.index(0, 4).data(), model.index(0, 5).data()) == ("Locked", "2026-11-23 09:30:00")
        assert (model.index(1, 4).data(), model.index(1, 5).data()) == ("Active", "")


class TestAuditTableModel:
    def test_model_contract(self, qtmodeltester: ModelTester) -> None:
        """The audit table passes the model tester empty and filled."""
        model = AuditTableModel()
        qtmodeltester.check(model)
        model.set_rows([
            AuditRow(record_id=i, chain="H0101", seq=i, at=datetime.now(UTC), username="admin",
                     cosigner="wang.wu" if i % 2 else None, counter_code=None, method="admin.reset_password",
                     target=f"user:{i}")
            for i in range(5)
        ])
        qtmodeltester.check(model)
        assert model.index(1, 2).data() == "wang.wu"
        assert model.index(0, 6).data() == "H0101 #0"
        assert model.index(0, 7).data() == ""

    def test_refused_attempt_says_why(self, use_locale: object) -> None:
        """A refused attempt's last column is the refusal's translated sentence, and the row is red."""
        use_locale("en")  # type: ignore[operator]
        model = AuditTableModel()
        model.set_rows([AuditRow(record_id=1, chain="H0101", seq=1, at=datetime.now(UTC), username="zhang.san",
                                 cosigner="li.si", counter_code="H0101", method="payment.void_payment",
                                 target="receipt:H0101-20261123-00001", refusal=ErrorCode.COSIGN_NOT_AUTHORIZED,
                                 refusal_params={"username": "li.si"})])
        assert model.index(0, 7).data() == error_message(ErrorCode.COSIGN_NOT_AUTHORIZED, {"username": "li.si"})
        assert "li.si" in model.index(0, 7).data()
        assert model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole) == REFUSED_COLOR


class TestServerTimesInMessages:
    def test_lock_until_reads_the_halls_clock_whatever_the_pcs_zone(
            self, use_locale: object, monkeypatch: pytest.MonkeyPatch) -> None:
        """A lockout's end comes from the server in UTC and is shown as the hall's clock reads it (UTC+8),
        also on a PC whose own time zone is another."""
        use_locale("en")  # type: ignore[operator]
        monkeypatch.setenv("TZ", "America/New_York")
        time.tzset()
        try:
            text = error_message(ErrorCode.ACCOUNT_LOCKED, {"minutes": 15, "until": "2026-12-06T08:15:00+00:00"})
        finally:
            monkeypatch.undo()
            time.tzset()
        assert "16:15" in text
        assert "03:15" not in text
