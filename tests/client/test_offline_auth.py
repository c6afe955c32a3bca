"""The offline verifiers (SPEC §5): argon2id per user and counter, encrypted at rest, expiring, with a lockout
that survives a restart; a damaged file is set aside, never trusted."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from keyrings.alt.file import PlaintextKeyring

from client.core.offline_auth import OfflineAuthError, OfflineIdentity, VerifierStore, verifier_file
from client.core.secrets import SecretStore, offline_secret_name
from shared_models.errors import ErrorCode
from shared_models.methods.auth import CounterInfo, UserInfo
from shared_models.roles import ROLE_PERMISSIONS, Perm, Role

COUNTER = "H0101"
PASSWORD = "Counter-Pass-2026"
T0 = dt.datetime(2026, 12, 6, 8, 0, tzinfo=dt.UTC)


class Clock:
    """The counter's clock, moved by the test."""

    def __init__(self, moment: dt.datetime) -> None:
        self.moment = moment

    def __call__(self) -> dt.datetime:
        return self.moment

    def advance(self, delta: dt.timedelta) -> None:
        self.moment += delta


@pytest.fixture
def keyring_store(tmp_path: Path) -> SecretStore:
    """The counter's keyring (a plain file backend: the encrypted one costs an argon2 derivation per access)."""
    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "keyring.cfg")
    return SecretStore(backend)


@pytest.fixture
def clock() -> Clock:
    """A clock at 08:00 UTC on the test day."""
    return Clock(T0)


def open_store(tmp_path: Path, keyring_store: SecretStore, clock: Clock, counter: str = COUNTER) -> VerifierStore:
    """The verifier store of ``counter`` in the data folder, as the client opens it."""
    return VerifierStore(verifier_file(tmp_path / "data", counter),
                         secret=lambda: keyring_store.offline_verifier_secret(counter), now=clock)


def remember_cashier(store: VerifierStore, *, username: str = "cashier0101", counter: str = COUNTER) -> None:
    """Cache the cashier's verifier as an online sign-in at ``counter`` does."""
    store.remember(
        username=username, password=PASSWORD, counter_code=counter, display_name="王收费",
        roles=[Role.CASHIER.value], permissions=ROLE_PERMISSIONS[Role.CASHIER],
        user=UserInfo(user_id=7, username=username, display_name="王收费", role=Role.CASHIER,
                      permissions=sorted(ROLE_PERMISSIONS[Role.CASHIER]), org_unit_name="城东营业厅"),
        counter=CounterInfo(code=counter, name="1号窗口", hall_code="H01", hall_name="城东营业厅"),
    )


def refused(store: VerifierStore, password: str, *, username: str = "cashier0101",
            counter: str = COUNTER) -> ErrorCode:
    """The code of a refused offline sign-in (fails the test when it is accepted)."""
    with pytest.raises(OfflineAuthError) as caught:
        store.verify(username=username, password=password, counter_code=counter)
    return caught.value.code


class TestVerify:
    def test_right_password_gives_the_identity(self, tmp_path: Path, keyring_store: SecretStore, clock: Clock) -> None:
        """The password of the last online sign-in opens an offline identity with the role's permissions."""
        store = open_store(tmp_path, keyring_store, clock)
        remember_cashier(store)
        clock.advance(dt.timedelta(hours=10))
        identity = open_store(tmp_path, keyring_store, clock).verify(
            username="cashier0101", password=PASSWORD, counter_code=COUNTER)
        assert isinstance(identity, OfflineIdentity)
        assert (identity.username, identity.display_name, identity.roles, identity.counter_code) == (
            "cashier0101", "王收费", ("cashier",), COUNTER)
        assert identity.permissions == ROLE_PERMISSIONS[Role.CASHIER]
        assert Perm.COLLECT in identity.permissions
        assert Perm.MANAGE_USERS not in identity.permissions
        assert identity.verified_at == T0
        assert identity.verified_at.tzinfo is not None
        assert identity.counter is not None
        assert identity.counter.hall_name == "城东营业厅"
        assert identity.user is not None
        assert identity.user.user_id == 7

    def test_wrong_password_is_refused(self, tmp_path: Path, keyring_store: SecretStore, clock: Clock) -> None:
        """Any other password is refused with the online sign-in's wrong-credentials code."""
        store = open_store(tmp_path, keyring_store, clock)
        remember_cashier(store)
        assert refused(store, PASSWORD + "x") is ErrorCode.INVALID_CREDENTIALS
        assert refused(store, PASSWORD.lower()) is ErrorCode.INVALID_CREDENTIALS

    def test_never_signed_in_here_is_unknown(self, tmp_path: Path, keyring_store: SecretStore, clock: Clock) -> None:
        """A user who never signed in online at this counter cannot sign in offline, whatever the password."""
        store = open_store(tmp_path, keyring_store, clock)
        assert refused(store, PASSWORD) is ErrorCode.OFFLINE_SIGN_IN_UNKNOWN
        remember_cashier(store)
        assert refused(store, PASSWORD, username="cashier0102") is ErrorCode.OFFLINE_SIGN_IN_UNKNOWN

    def test_wrong_counter_is_unknown(self, tmp_path: Path, keyring_store: SecretStore, clock: Clock) -> None:
        """A verifier cached at one counter opens nothing at another, in the same file or the other's."""
        store = open_store(tmp_path, keyring_store, clock)
        remember_cashier(store)
        assert refused(store, PASSWORD, counter="H0102") is ErrorCode.OFFLINE_SIGN_IN_UNKNOWN
        other = open_store(tmp_path, keyring_store, clock, counter="H0102")
        assert refused(other, PASSWORD, counter="H0102") is ErrorCode.OFFLINE_SIGN_IN_UNKNOWN
        assert store.verify(username="cashier0101", password=PASSWORD, counter_code=COUNTER).counter_code == COUNTER

    def test_expires_after_the_valid_time(self, tmp_path: Path, keyring_store: SecretStore, clock: Clock) -> None:
        """Valid until 72 h after the last online sign-in, not a moment longer; a new online sign-in renews it."""
        store = open_store(tmp_path, keyring_store, clock)
        remember_cashier(store)
        clock.advance(dt.timedelta(hours=72) - dt.timedelta(seconds=1))
        store.verify(username="cashier0101", password=PASSWORD, counter_code=COUNTER)
        clock.advance(dt.timedelta(seconds=1))
        assert refused(store, PASSWORD) is ErrorCode.OFFLINE_SIGN_IN_EXPIRED
        remember_cashier(store)
        clock.advance(dt.timedelta(hours=71))
        assert store.verify(username="cashier0101", password=PASSWORD, counter_code=COUNTER).verified_at == (
            T0 + dt.timedelta(hours=72))

    def test_valid_time_is_configurable(self, tmp_path: Path, keyring_store: SecretStore, clock: Clock) -> None:
        """A hall that allows 8 hours refuses at 8 hours."""
        store = VerifierStore(verifier_file(tmp_path, COUNTER), now=clock, valid_for=dt.timedelta(hours=8),
                              secret=lambda: keyring_store.offline_verifier_secret(COUNTER))
        remember_cashier(store)
        clock.advance(dt.timedelta(hours=8))
        assert refused(store, PASSWORD) is ErrorCode.OFFLINE_SIGN_IN_EXPIRED

    def test_clock_set_back_does_not_stretch_validity(
        self, tmp_path: Path, keyring_store: SecretStore, clock: Clock,
    ) -> None:
        """A verifier dated ahead of the counter's clock (the clock was turned back) is not trusted."""
        store = open_store(tmp_path, keyring_store, clock)
        remember_cashier(store)
        clock.advance(-dt.timedelta(hours=1))
        assert refused(store, PASSWORD) is ErrorCode.OFFLINE_SIGN_IN_EXPIRED

    def test_forget_wipes_every_counter_of_the_user(
        self, tmp_path: Path, keyring_store: SecretStore, clock: Clock,
    ) -> None:
        """After forget the user is unknown offline; other users keep their verifiers."""
        store = open_store(tmp_path, keyring_store, clock)
        remember_cashier(store)
        remember_cashier(store, username="cashier0102")
        store.forget("cashier0101")
        assert refused(store, PASSWORD) is ErrorCode.OFFLINE_SIGN_IN_UNKNOWN
        assert not store.knows(username="cashier0101", counter_code=COUNTER)
        assert store.verify(username="cashier0102", password=PASSWORD, counter_code=COUNTER).username == "cashier0102"
        store.forget("nobody")  # nothing to forget: no error

    def test_matches_tells_a_changed_password(self, tmp_path: Path, keyring_store: SecretStore, clock: Clock) -> None:
        """matches() says whether the typed password is the cached one, and counts no failure."""
        store = open_store(tmp_path, keyring_store, clock)
        remember_cashier(store)
        for _ in range(6):
            assert not store.matches(username="cashier0101", password="other-pass", counter_code=COUNTER)
        assert store.matches(username="cashier0101", password=PASSWORD, counter_code=COUNTER)
        assert store.verify(username="cashier0101", password=PASSWORD, counter_code=COUNTER).username == "cashier0101"


class TestLockout:
    def test_five_failures_lock_for_fifteen_minutes_across_restarts(
        self, tmp_path: Path, keyring_store: SecretStore, clock: Clock,
    ) -> None:
        """The fifth wrong password locks; a reopened store (a restarted client) is still locked, even for the
        right password, until 15 minutes have passed."""
        store = open_store(tmp_path, keyring_store, clock)
        remember_cashier(store)
        for _ in range(4):
            assert refused(open_store(tmp_path, keyring_store, clock), "wrong-pass") is ErrorCode.INVALID_CREDENTIALS
        assert refused(open_store(tmp_path, keyring_store, clock), "wrong-pass") is ErrorCode.OFFLINE_SIGN_IN_LOCKED
        reopened = open_store(tmp_path, keyring_store, clock)
        with pytest.raises(OfflineAuthError) as caught:
            reopened.verify(username="cashier0101", password=PASSWORD, counter_code=COUNTER)
        assert caught.value.code is ErrorCode.OFFLINE_SIGN_IN_LOCKED
        assert caught.value.params["minutes"] == 15
        clock.advance(dt.timedelta(minutes=15) - dt.timedelta(seconds=1))
        assert refused(open_store(tmp_path, keyring_store, clock), PASSWORD) is ErrorCode.OFFLINE_SIGN_IN_LOCKED
        clock.advance(dt.timedelta(seconds=1))
        assert open_store(tmp_path, keyring_store, clock).verify(
            username="cashier0101", password=PASSWORD, counter_code=COUNTER).username == "cashier0101"

    def test_success_resets_the_count(self, tmp_path: Path, keyring_store: SecretStore, clock: Clock) -> None:
        """Four failures, a success, four failures: not locked (the count starts again after a success)."""
        store = open_store(tmp_path, keyring_store, clock)
        remember_cashier(store)
        for _ in range(4):
            assert refused(store, "wrong-pass") is ErrorCode.INVALID_CREDENTIALS
        store.verify(username="cashier0101", password=PASSWORD, counter_code=COUNTER)
        for _ in range(4):
            assert refused(store, "wrong-pass") is ErrorCode.INVALID_CREDENTIALS
        store.verify(username="cashier0101", password=PASSWORD, counter_code=COUNTER)

    def test_online_sign_in_lifts_the_lockout(self, tmp_path: Path, keyring_store: SecretStore, clock: Clock) -> None:
        """A user locked offline who then signs in online (remember) may sign in offline again at once."""
        store = VerifierStore(verifier_file(tmp_path, COUNTER), now=clock, lockout_threshold=2,
                              secret=lambda: keyring_store.offline_verifier_secret(COUNTER))
        remember_cashier(store)
        refused(store, "wrong-pass")
        assert refused(store, "wrong-pass") is ErrorCode.OFFLINE_SIGN_IN_LOCKED
        remember_cashier(store)
        store.verify(username="cashier0101", password=PASSWORD, counter_code=COUNTER)


class TestAtRest:
    def test_file_holds_neither_password_nor_hash_nor_name(
        self, tmp_path: Path, keyring_store: SecretStore, clock: Clock,
    ) -> None:
        """The bytes on disk show no password, no argon2 hash, no user name and no display name; owner-only."""
        store = open_store(tmp_path, keyring_store, clock)
        remember_cashier(store)
        blob = store.path.read_bytes()
        for needle in (PASSWORD.encode(), b"argon2", b"$argon2id$", b"cashier0101", "王收费".encode(), b"collect",
                       COUNTER.encode()):
            assert needle not in blob, needle
        assert store.path.stat().st_mode & 0o077 == 0
        assert not list(store.path.parent.glob("*.tmp"))

    def test_secret_lives_in_the_keyring_per_counter(self, tmp_path: Path, keyring_store: SecretStore) -> None:
        """Each counter gets its own random 32-byte secret, created once and read back the same."""
        first = keyring_store.offline_verifier_secret(COUNTER)
        assert len(first) == 32
        assert keyring_store.offline_verifier_secret(COUNTER) == first
        assert keyring_store.offline_verifier_secret("H0102") != first
        backend = PlaintextKeyring()
        backend.file_path = str(tmp_path / "keyring.cfg")
        assert backend.get_password("gridcounter", offline_secret_name(COUNTER)) is not None

    @pytest.mark.parametrize("damage", ["truncated", "flipped", "garbage", "empty"])
    def test_damaged_file_is_set_aside(
        self, tmp_path: Path, keyring_store: SecretStore, clock: Clock, damage: str,
    ) -> None:
        """A truncated or altered file is refused cleanly (the user is unknown offline), kept aside for
        inspection, and a new online sign-in starts a fresh file."""
        store = open_store(tmp_path, keyring_store, clock)
        remember_cashier(store)
        blob = store.path.read_bytes()
        damaged = {"truncated": blob[: len(blob) // 2], "flipped": blob[:-1] + bytes([blob[-1] ^ 1]),
                   "garbage": b"not a verifier file", "empty": b""}[damage]
        store.path.write_bytes(damaged)
        assert refused(store, PASSWORD) is ErrorCode.OFFLINE_SIGN_IN_UNKNOWN
        aside = list(store.path.parent.glob(store.path.name + ".damaged-*"))
        assert [p.read_bytes() for p in aside] == [damaged]
        assert not store.path.exists()
        remember_cashier(store)
        assert store.verify(username="cashier0101", password=PASSWORD, counter_code=COUNTER).username == "cashier0101"

    def test_other_secret_cannot_read_the_file(self, tmp_path: Path, keyring_store: SecretStore, clock: Clock) -> None:
        """A file copied to another counter PC (another keyring secret) opens nothing there."""
        store = open_store(tmp_path, keyring_store, clock)
        remember_cashier(store)
        other_keyring = PlaintextKeyring()
        other_keyring.file_path = str(tmp_path / "other-keyring.cfg")
        other = VerifierStore(store.path, now=clock,
                              secret=lambda: SecretStore(other_keyring).offline_verifier_secret(COUNTER))
        assert refused(other, PASSWORD) is ErrorCode.OFFLINE_SIGN_IN_UNKNOWN

    def test_expired_verifiers_leave_the_file(self, tmp_path: Path, keyring_store: SecretStore, clock: Clock) -> None:
        """The next write after a verifier expired drops it: no stale hash stays on disk."""
        store = open_store(tmp_path, keyring_store, clock)
        remember_cashier(store)
        clock.advance(dt.timedelta(hours=73))
        remember_cashier(store, username="cashier0102")
        assert not store.knows(username="cashier0101", counter_code=COUNTER)
        assert refused(store, PASSWORD) is ErrorCode.OFFLINE_SIGN_IN_UNKNOWN
