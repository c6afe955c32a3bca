"""Confirmed actions: one key per confirmed action, kept for every retry until a definite answer."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from client.core.actions import OUTCOME_UNKNOWN, ActionSlot, ConfirmedAction, fingerprint, outcome_unknown
from client.core.rpc_client import RpcError
from shared_models.errors import ErrorCode


class TestConfirmedAction:
    def test_cannot_be_built_directly(self) -> None:
        """Only the slot and the outbox constructor make actions: a hand-made one is refused."""
        with pytest.raises(TypeError, match=r"ActionSlot\.confirm"):
            ConfirmedAction(key=str(uuid.uuid4()), origin="confirmed")  # type: ignore[arg-type]

    def test_from_outbox_keeps_the_stored_key(self) -> None:
        """A stored key is resent as it is (normalised UUID text), marked as coming from the outbox."""
        key = str(uuid.uuid4())
        action = ConfirmedAction.from_outbox(key.upper())
        assert action.key == key
        assert action.origin == "outbox"

    @pytest.mark.parametrize("bad", ["", "not-a-key", "1234"])
    def test_from_outbox_refuses_a_non_key(self, bad: str) -> None:
        """A stored value that is not a UUID never becomes an action."""
        with pytest.raises(ValueError, match="UUID"):
            ConfirmedAction.from_outbox(bad)


class TestActionSlot:
    def test_same_request_same_key_until_answered(self) -> None:
        """Pressing again for the same unanswered request reuses the action; after an answer it is new."""
        slot = ActionSlot()
        first = slot.confirm(("H0101-20261123-00001", "wrong amount"))
        assert slot.confirm(("H0101-20261123-00001", "wrong amount")) is first
        assert slot.pending is first
        slot.answered()
        assert slot.pending is None
        again = slot.confirm(("H0101-20261123-00001", "wrong amount"))
        assert again.key != first.key
        assert again.origin == "confirmed"

    def test_a_changed_request_is_a_new_action(self) -> None:
        """The user changed what they asked for: a new key, the old action is forgotten."""
        slot = ActionSlot()
        first = slot.confirm(50_000)
        second = slot.confirm(60_000)
        assert second.key != first.key
        assert slot.confirm(60_000) is second
        assert slot.confirm(50_000).key not in {first.key, second.key}

    @pytest.mark.parametrize("code", sorted(OUTCOME_UNKNOWN))
    def test_unknown_outcome_keeps_the_action(self, code: ErrorCode) -> None:
        """A lost answer, a timeout or a server failure keeps the key for the next press."""
        slot = ActionSlot()
        action = slot.confirm("reprint")
        slot.settle(action, RpcError(code))
        assert slot.confirm("reprint") is action

    def test_a_failure_without_a_code_keeps_the_action(self) -> None:
        """A local failure after the call (disk, a bug) leaves the outcome open: the key stays."""
        slot = ActionSlot()
        action = slot.confirm("acknowledge")
        slot.settle(action, OSError("disk full"))
        assert slot.pending is action

    @pytest.mark.parametrize("code", [ErrorCode.ALREADY_VOIDED, ErrorCode.COSIGN_INVALID, ErrorCode.SESSION_EXPIRED,
                                      ErrorCode.INVALID_REQUEST])
    def test_a_definite_refusal_forgets_the_action(self, code: ErrorCode) -> None:
        """A business refusal is an answer: the next press is a new action."""
        slot = ActionSlot()
        action = slot.confirm("void")
        slot.settle(action, RpcError(code))
        assert slot.pending is None
        assert not outcome_unknown(RpcError(code))

    def test_success_forgets_the_action(self) -> None:
        """A result is an answer: the next press of the same request is a new action."""
        slot = ActionSlot()
        action = slot.confirm("open")
        slot.settle(action)
        assert slot.confirm("open").key != action.key

    def test_a_stale_answer_leaves_the_newer_action(self) -> None:
        """The answer of an action the user already replaced never clears the new one."""
        slot = ActionSlot()
        old = slot.confirm("a")
        new = slot.confirm("b")
        slot.settle(old)
        slot.answered(old)
        assert slot.pending is new

    def test_attempt_settles_by_outcome(self) -> None:
        """``attempt`` returns the result and forgets the action, or re-raises and keeps it when unknown."""
        slot = ActionSlot()
        action = slot.confirm("x")

        def lost() -> int:
            raise RpcError(ErrorCode.NETWORK_TIMEOUT)

        with pytest.raises(RpcError):
            slot.attempt(action, lost)
        assert slot.pending is action
        assert slot.attempt(action, lambda: 7) == 7
        assert slot.pending is None

    def test_concurrent_confirms_share_one_action(self) -> None:
        """Presses arriving from several threads at once get one action."""
        slot = ActionSlot()
        start = threading.Barrier(8)

        def press(_: int) -> ConfirmedAction:
            start.wait()
            return slot.confirm("same")

        with ThreadPoolExecutor(max_workers=8) as pool:
            actions = list(pool.map(press, range(8)))
        assert len({a.key for a in actions}) == 1


def test_fingerprint_hides_the_password() -> None:
    """A password in a confirmed request is kept as a digest: equal for equal input, never the text."""
    assert fingerprint("s3cret-pass") == fingerprint("s3cret-pass")
    assert fingerprint("s3cret-pass") != fingerprint("s3cret-pasS")
    assert "s3cret" not in fingerprint("s3cret-pass")
