"""A meter reader's queued acceptance in the outbox table: its book, period and decisions in the receipt column,
and a refusal on replay (records accepted elsewhere meanwhile) as its translated sentence."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from client.core.outbox.items import ItemState
from client.core.outbox.queue import Outbox
from client.ui.models.outbox_model import OutboxModel
from shared_models.errors import ErrorCode
from shared_models.methods.handheld import ACCEPT_UPLOAD
from shared_models.rpc import Empty


def test_a_queued_acceptance_is_worded(use_locale: Callable[[str], None], tmp_path: Path) -> None:
    """In Chinese: the book, period, records accepted and re-read; the refusal names the records."""
    use_locale("zh_CN")
    outbox = Outbox.in_folder(tmp_path).open()
    item = outbox.submit(method=ACCEPT_UPLOAD.name, build=lambda _n: Empty(), counter_code="T0101",
                         username="reader1", offline=True,
                         summary={"package_id": "p1", "book_code": "T01-B001", "period": 202612, "accepted": 3,
                                  "rereads": 1})
    assert outbox.record_refusal(item.id, version=item.version, state=ItemState.ATTENTION,
                                 code=ErrorCode.HANDHELD_ACCEPTED_ELSEWHERE.value,
                                 params={"package_id": "p1", "seqs": "2, 3", "repeated": 2, "written": 2})
    model = OutboxModel()
    model.set_rows([outbox.get(item.id)])  # type: ignore[list-item]
    assert model.data(model.index(0, OutboxModel.RECEIPT)) == "抄表段 T01-B001（202612）的读数：接收 3 条，复抄 1 条"
    assert model.data(model.index(0, OutboxModel.LAST_ERROR)) == (
        "抄表包 p1 的记录 2, 3（共 2 条）在这次排队的接收发出之前已被接收：以第一次接收为准。本次接收了其他 2 条记录。")
