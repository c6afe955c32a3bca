"""Helpers of the handheld tests shared with the permission matrix: a book for the caller, a filled package."""

from __future__ import annotations

import base64
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.models.readings import ReadingBook
from server.models.users import User
from tests.rpc_helpers import Caller


def prepare_sample(caller: Caller, db: Session, method: str, params: dict[str, Any], username: str
                   ) -> dict[str, Any]:
    """Make the permission matrix's sample of a handheld method succeed for a role allowed to call it: book
    T01-B001 assigned to the caller, and for an upload a downloaded package with every record read."""
    if not method.startswith("handheld."):
        return params
    user_id = db.scalar(select(User.id).where(User.username == username))
    db.add(ReadingBook(code="T01-B001", name="文三路一段", hall_id=db.scalar(select(User.org_unit_id).where(
        User.id == user_id)), reader_id=user_id, reading_day=20, window_days=5))
    db.commit()
    if method not in {"handheld.validate_upload", "handheld.accept_upload"}:
        return params
    answer = caller.call("handheld.download_book", {"book_code": "T01-B001", "period": 202611})
    assert answer.status == 200, answer.body
    document = json.loads(answer.body["text"])
    for record in document["records"]:
        record["reading"] = {"read_at": "2026-11-20T09:00:00", "status": "实抄", "values": {"total": "100.00"}}
    content = base64.b64encode(json.dumps(document, ensure_ascii=False).encode()).decode()
    return params | {"content_b64": content}
