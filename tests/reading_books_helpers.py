"""Helpers of the reading-book tests shared with the permission matrix: more meter readers, a book to assign."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.models.org import OrgUnit
from server.models.readings import ReadingBook
from server.models.users import User
from server.security import hash_password
from shared_models.roles import Role
from tests.factories import World, password_for


def add_reader(db: Session, world: World, username: str, *, hall: str = "T01", active: bool = True) -> int:
    """A meter reader ``username`` of ``hall`` (password :func:`password_for`), committed; its id."""
    user = User(username=username, display_name=f"抄表员{username[-1]}", role=Role.METER_READER,
                org_unit_id=world.org[hall], password_hash=hash_password(password_for(username)),
                must_change_password=False, failed_attempts=0, active=active)
    db.add(user)
    db.commit()
    world.users.setdefault(username, user.id)
    return user.id


def prepare_sample(db: Session, method: str, params: dict[str, Any]) -> dict[str, Any]:
    """Make the permission matrix's sample of a books.* method succeed for a role allowed to call it: book
    T01-B001 of hall T01 without a reader."""
    if method.startswith("books."):
        hall_id = db.scalars(select(OrgUnit.id).where(OrgUnit.code == "T01")).one()
        db.add(ReadingBook(code="T01-B001", name="文三路一段", hall_id=hall_id, reader_id=None, reading_day=20,
                           window_days=5))
        db.commit()
    return params
