"""Sign-in, lockout, sessions and passwords through the real dispatcher on PostgreSQL."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.clock import FixedClock
from server.models.audit import AuditRecord
from server.models.users import User
from tests.factories import password_for
from tests.rpc_helpers import Caller


def _user(db: Session, username: str) -> User:
    db.expire_all()
    return db.scalars(select(User).where(User.username == username)).one()


class TestLogin:
    def test_cashier_signs_in(self, caller: Caller) -> None:
        """A cashier at their hall's counter gets a token, their permissions and the counter."""
        answer = caller.login("cashier1")
        assert answer.status == 200
        assert answer.body["user"]["role"] == "cashier"
        assert "collect" in answer.body["user"]["permissions"]
        assert answer.body["counter"]["code"] == "T0101"
        assert answer.body["counter"]["hall_name"] == "一号营业厅"
        assert answer.body["idle_timeout_s"] == 1800

    def test_wrong_password_is_refused_and_counted(self, caller: Caller, db: Session) -> None:
        """A wrong password gets INVALID_CREDENTIALS and counts one failure, with one audit record (the
        attempt's, carrying the count), the password not in it."""
        answer = caller.login("cashier1", "wrong-password")
        assert (answer.status, answer.code) == (401, "INVALID_CREDENTIALS")
        assert _user(db, "cashier1").failed_attempts == 1
        audit = db.scalars(select(AuditRecord).where(AuditRecord.method == "auth.login")).all()
        assert [(a.refusal, a.username, a.target) for a in audit] == [
            ("INVALID_CREDENTIALS", "cashier1", "user:cashier1")]
        assert audit[0].after is not None
        assert audit[0].after["counted"] == {"user": "cashier1", "failed_attempts": 1, "reason": "password"}
        assert audit[0].after["request"]["password"] == "***"

    def test_unknown_user_gets_the_same_answer(self, caller: Caller) -> None:
        """An unknown user name is not told apart from a wrong password."""
        answer = caller.login("nobody", "whatever-1")
        assert (answer.status, answer.code) == (401, "INVALID_CREDENTIALS")

    def test_five_failures_lock_for_fifteen_minutes(self, caller: Caller, clock: FixedClock, db: Session) -> None:
        """The fifth failure locks the account; the right password is refused until 15 minutes pass."""
        codes = [caller.login("cashier1", "wrong-password").code for _ in range(5)]
        assert codes == ["INVALID_CREDENTIALS"] * 4 + ["ACCOUNT_LOCKED"]
        locked = caller.login("cashier1")
        assert (locked.status, locked.code) == (423, "ACCOUNT_LOCKED")
        assert locked.params["minutes"] == 15
        clock.advance(dt.timedelta(minutes=14))
        assert caller.login("cashier1").code == "ACCOUNT_LOCKED"
        clock.advance(dt.timedelta(minutes=1, seconds=1))
        assert caller.login("cashier1").status == 200
        assert _user(db, "cashier1").failed_attempts == 0

    def test_success_resets_the_failure_count(self, caller: Caller, db: Session) -> None:
        """Four failures then a success leave no failures behind."""
        for _ in range(4):
            caller.login("cashier1", "wrong-password")
        assert caller.login("cashier1").status == 200
        assert _user(db, "cashier1").failed_attempts == 0

    def test_disabled_account(self, caller: Caller, db: Session) -> None:
        """A disabled user cannot sign in."""
        user = _user(db, "cashier2")
        user.active = False
        db.commit()
        assert caller.login("cashier2").code == "ACCOUNT_DISABLED"

    def test_unknown_counter(self, caller: Caller) -> None:
        """A counter code the server does not know is refused."""
        assert caller.login("cashier1", counter="X9999").code == "UNKNOWN_COUNTER"

    def test_counter_not_enrolled(self, caller: Caller) -> None:
        """A counter without a device key cannot be used."""
        assert caller.login("cashier3", counter="T0202").code == "DEVICE_NOT_ENROLLED"

    def test_wrong_device_key(self, caller: Caller) -> None:
        """A client without the counter's device key is refused, whatever the password."""
        answer = caller.call(
            "auth.login",
            {
                "username": "cashier1",
                "password": password_for("cashier1"),
                "counter_code": "T0101",
                "device_key": "stolen",
            },
        )
        assert (answer.status, answer.code) == (401, "DEVICE_KEY_INVALID")

    def test_counter_of_another_hall(self, caller: Caller) -> None:
        """A cashier of hall T01 cannot sign in at a counter of hall T02."""
        assert caller.login("cashier1", counter="T0201").code == "COUNTER_NOT_IN_SCOPE"

    def test_admin_signs_in_anywhere(self, caller: Caller) -> None:
        """The administrator of the center may use any counter below it."""
        assert caller.login("admin1", counter="T0201").status == 200


class TestSessions:
    def test_missing_token(self, caller: Caller) -> None:
        """A call without a token is NOT_AUTHENTICATED."""
        assert caller.call("auth.whoami").code == "NOT_AUTHENTICATED"

    def test_unknown_token(self, caller: Caller) -> None:
        """A made-up token is SESSION_INVALID."""
        assert caller.call("auth.whoami", token="made-up").code == "SESSION_INVALID"

    def test_idle_timeout(self, caller: Caller, clock: FixedClock) -> None:
        """After 30 idle minutes the session is expired; activity before that keeps it alive."""
        caller.login("cashier1")
        read = {"customer_no": "3301000001"}
        clock.advance(dt.timedelta(minutes=29))
        assert caller.call("customer.get_customer", read).status == 200
        clock.advance(dt.timedelta(minutes=29))
        assert caller.call("customer.get_customer", read).status == 200
        clock.advance(dt.timedelta(minutes=30, seconds=1))
        answer = caller.call("customer.get_customer", read)
        assert (answer.status, answer.code) == (401, "SESSION_EXPIRED")

    def test_heartbeat_does_not_keep_an_idle_session(self, caller: Caller, clock: FixedClock) -> None:
        """The client's periodic whoami does not count as activity: an unattended counter times out."""
        caller.login("cashier1")
        for _ in range(30):
            clock.advance(dt.timedelta(minutes=1))
            if caller.call("auth.whoami").status != 200:
                break
        clock.advance(dt.timedelta(seconds=1))
        assert caller.call("auth.whoami").code == "SESSION_EXPIRED"

    def test_session_is_bound_to_its_counter(self, caller: Caller) -> None:
        """A token used from another counter is refused as a foreign session."""
        caller.login("cashier1")
        answer = caller.call("auth.whoami", counter="T0102")
        assert (answer.status, answer.code) == (401, "SESSION_WRONG_COUNTER")

    def test_logout_ends_the_session(self, caller: Caller) -> None:
        """After sign-out the token no longer works."""
        caller.login("cashier1")
        assert caller.call("auth.logout").status == 200
        assert caller.call("auth.whoami").code == "SESSION_INVALID"


class TestChangePassword:
    def test_change_and_sign_in_with_the_new_password(self, caller: Caller, dispatcher: object) -> None:
        """The new password works and the old one does not."""
        caller.login("cashier1")
        answer = caller.call(
            "auth.change_password", {"old_password": password_for("cashier1"), "new_password": "Brand-new-42"}
        )
        assert answer.status == 200
        assert caller.login("cashier1").code == "INVALID_CREDENTIALS"
        assert caller.login("cashier1", "Brand-new-42").status == 200

    def test_wrong_old_password(self, caller: Caller, db: Session) -> None:
        """A wrong old password changes nothing and counts as a failure."""
        caller.login("cashier1")
        before = _user(db, "cashier1").password_hash
        answer = caller.call("auth.change_password", {"old_password": "nope-nope-1", "new_password": "Brand-new-42"})
        assert answer.code == "INVALID_CREDENTIALS"
        user = _user(db, "cashier1")
        assert user.password_hash == before
        assert user.failed_attempts == 1

    def test_weak_password(self, caller: Caller) -> None:
        """Too short or all digits is PASSWORD_TOO_WEAK with the minimum length."""
        caller.login("cashier1")
        for weak in ("short1", "1234567890", "abcdefghij"):
            answer = caller.call(
                "auth.change_password", {"old_password": password_for("cashier1"), "new_password": weak}
            )
            assert answer.code == "PASSWORD_TOO_WEAK"
            assert answer.params == {"min_length": 8}

    def test_unchanged_password(self, caller: Caller) -> None:
        """The same password again is refused."""
        caller.login("cashier1")
        answer = caller.call(
            "auth.change_password", {"old_password": password_for("cashier1"), "new_password": password_for("cashier1")}
        )
        assert answer.code == "PASSWORD_UNCHANGED"

    def test_reset_password_forces_a_change(self, caller: Caller, dispatcher: object) -> None:
        """After an administrator's co-signed reset, sign-in says a change is required."""
        caller.login("admin1")
        answer = caller.call(
            "admin.reset_password",
            {"username": "cashier2", "new_password": "Temp-pass-77"},
            cosign=("super1", password_for("super1")),
        )
        assert answer.status == 200, answer.body
        other = Caller(caller.dispatcher)
        login = other.login("cashier2", "Temp-pass-77")
        assert login.body["password_change_required"] is True


class TestAuditOfSignIn:
    def test_login_writes_one_audit_record(self, caller: Caller, db: Session) -> None:
        """A successful sign-in leaves one record naming the user and the counter."""
        caller.login("cashier1")
        records = db.scalars(select(AuditRecord)).all()
        assert len(records) == 1
        assert (records[0].username, records[0].counter_code, records[0].method) == ("cashier1", "T0101", "auth.login")
        assert db.scalar(select(func.count()).select_from(AuditRecord).where(AuditRecord.chain == "T0101")) == 1


class TestUserList:
    def test_lock_is_judged_by_the_server_clock(self, caller: Caller, clock: FixedClock, dispatcher: object) -> None:
        """admin.list_users says whether a user is locked and until when, by the server's clock: locked after
        five failures, not locked (and no end time) once the lock has run out."""
        for _ in range(5):
            caller.login("cashier1", "wrong-password")
        admin = Caller(dispatcher)  # type: ignore[arg-type]
        assert admin.login("admin1").status == 200

        def row() -> dict[str, object]:
            answer = admin.call("admin.list_users", {})
            assert answer.status == 200, answer.body
            return next(u for u in answer.body["users"] if u["username"] == "cashier1")

        locked = row()
        assert locked["locked"] is True
        assert dt.datetime.fromisoformat(str(locked["locked_until"])) == clock.now() + dt.timedelta(minutes=15)
        clock.advance(dt.timedelta(minutes=15, seconds=1))
        assert (row()["locked"], row()["locked_until"]) == (False, None)
