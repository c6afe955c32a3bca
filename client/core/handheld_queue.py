"""The meter reader's queued acceptance (issue 13 §5): a handheld file's decisions kept in the counter's outbox
while the link is down, replayed by the sync worker exactly once, like a payment.

:func:`queue_accept` stores the ``handheld.accept_upload`` request — the returned file itself (base64) and the
reader's decisions, the report having come from the offline validator
(:func:`shared_models.rules.handheld_offline.validate_offline`) — with its idempotency key in one durable outbox
transaction, marked offline. The sync worker (:mod:`client.core.sync`) sends it alone (the call is not replayed
in batches: its body is a whole file) with that key, so a resend after a lost answer gets the first result and
never writes a reading twice.

The file stays in the outbox row rather than beside it: the request and its file are one transaction (nothing
to lose or clean up on its own), and SQLite keeps the largest file a handheld may return (16 MiB, 22.4 MB as
base64) in one row without trouble (tests/client/test_handheld_queue.py queues and replays one).

A refusal on replay (the server finds the file changed, the book accepted, …) ends the item ``attention`` with
the server's code, as any refused offline item. So does an answer whose records had been accepted by another
acceptance meanwhile (``repeated``, from another counter or another upload): :func:`refusal_in_result` turns it
into ``HANDHELD_ACCEPTED_ELSEWHERE`` so the reader is told that the first acceptance stands.

Qt-free and blocking (disk): call it from a worker, never from the GUI thread.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any, Final

from client.core.outbox.items import OutboxItem
from client.core.outbox.queue import Outbox
from client.core.rpc_client import RpcError
from shared_models.errors import ErrorCode
from shared_models.handheld import DecisionKind, FileProblem, ValidationReport, read_upload
from shared_models.ids import IdempotencyKey
from shared_models.methods.handheld import ACCEPT_UPLOAD, AcceptResult, AcceptUploadRequest
from shared_models.rpc import Model

#: The records a refusal names at most (the rest are counted).
_MAX_SEQS: Final = 20


def accept_summary(request: AcceptUploadRequest, report: ValidationReport | None = None) -> dict[str, Any]:
    """What the outbox shows of a queued acceptance: the package, its book and period (from ``report``, else
    from the file: a CSV names only its package), the records decided, accepted and sent for a re-read.

    ValueError when the file cannot be read (the offline validator refused it: there is nothing to queue)."""
    try:
        upload = read_upload(base64.b64decode(request.content_b64, validate=False))
    except (FileProblem, binascii.Error, ValueError) as exc:
        raise ValueError(f"the file of the acceptance cannot be read: {exc}") from None
    document = upload.document or {}
    book = report.book_code if report is not None else document.get("book")
    period = report.period if report is not None else document.get("period")
    rereads = sum(d.decision is DecisionKind.REREAD for d in request.decisions)
    return {"package_id": upload.package_id, "book_code": book if isinstance(book, str) else None,
            "period": period if isinstance(period, int) and not isinstance(period, bool) else None,
            "file_name": request.file_name, "file_format": upload.format,
            "records": len(request.decisions), "accepted": len(request.decisions) - rereads, "rereads": rereads}


def queue_accept(outbox: Outbox, *, request: AcceptUploadRequest, counter_code: str, username: str,
                 key: IdempotencyKey | None = None, report: ValidationReport | None = None) -> OutboxItem:
    """Queue the acceptance of a returned file with the reader's decisions (``report``: its offline report,
    for the book and period the outbox shows); the item, pending, to be sent by the sync worker once the link
    is back and ``username`` is signed in.

    ValueError when the file cannot be read; ``OutboxFullError`` when the disk is full (nothing queued)."""
    summary = accept_summary(request, report)
    return outbox.submit(method=ACCEPT_UPLOAD.name, build=lambda _number: request, counter_code=counter_code,
                         username=username, summary=summary, offline=True, key=key)


def refusal_in_result(result: Model) -> RpcError | None:
    """The refusal an acceptance's answer amounts to: records accepted before this acceptance reached the
    server (``repeated`` in its first result), None when every record was accepted by this one."""
    if not isinstance(result, AcceptResult):
        return None
    repeated = [r.seq for r in result.records if r.repeated]
    if not repeated:
        return None
    seqs = ", ".join(str(seq) for seq in repeated[:_MAX_SEQS]) + (" …" if len(repeated) > _MAX_SEQS else "")
    return RpcError(ErrorCode.HANDHELD_ACCEPTED_ELSEWHERE, {
        "package_id": result.package_id, "seqs": seqs, "repeated": len(repeated),
        "written": len(result.records) - len(repeated)})


#: Answers that are refusals though the call went through, by method (the sync worker asks).
RESULT_REFUSALS: Final = {ACCEPT_UPLOAD.name: refusal_in_result}
