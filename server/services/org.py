"""The organization tree and counters (set up by an operator with ``gridcounter-server``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import CTE, ColumnElement, select
from sqlalchemy.orm import aliased

from server.context import CallContext
from server.errors import AppError
from server.models.org import Counter, OrgKind, OrgUnit
from shared_models.errors import ErrorCode

#: Which kind of unit may sit under which (the tree is center → city → county → hall).
PARENT_KIND = {OrgKind.CITY: OrgKind.CENTER, OrgKind.COUNTY: OrgKind.CITY, OrgKind.HALL: OrgKind.COUNTY}


def units_up_from(start: ColumnElement[Any] | Any) -> CTE:
    """A recursive CTE (``id``) of the unit ``start`` (an expression: a bind parameter or a subquery) and
    every unit above it: who belongs there or above may act for that unit."""
    up = select(OrgUnit.id, OrgUnit.parent_id).where(OrgUnit.id == start).cte("up", recursive=True)
    parent = aliased(OrgUnit, name="o")
    return up.union_all(select(parent.id, parent.parent_id).join(up, parent.id == up.c.parent_id))


def add_org_unit(*, ctx: CallContext, code: str, name: str, kind: OrgKind, parent_code: str | None) -> int:
    """A new unit under ``parent_code`` (none for the center); the levels must nest in order."""
    s = ctx.session
    if s.scalar(select(OrgUnit.id).where(OrgUnit.code == code)) is not None:
        raise AppError(ErrorCode.INVALID_REQUEST, field="code", problem="taken")
    parent_id: int | None = None
    if kind is OrgKind.CENTER:
        if parent_code is not None:
            raise AppError(ErrorCode.INVALID_REQUEST, field="parent", problem="center_has_no_parent")
    else:
        parent = s.scalar(select(OrgUnit).where(OrgUnit.code == (parent_code or "")))
        if parent is None:
            raise AppError(ErrorCode.ORG_UNIT_NOT_FOUND, code=parent_code or "")
        if parent.kind is not PARENT_KIND[kind]:
            problem = f"{kind.value}_needs_{PARENT_KIND[kind].value}"
            raise AppError(ErrorCode.INVALID_REQUEST, field="parent", problem=problem)
        parent_id = parent.id
    unit = OrgUnit(code=code, name=name, kind=kind, parent_id=parent_id)
    s.add(unit)
    s.flush()
    ctx.record(target=f"org:{code}", after={"name": name, "kind": kind.value, "parent": parent_code})
    return unit.id


def add_counter(*, ctx: CallContext, code: str, name: str, hall_code: str) -> int:
    """A new counter of a hall; it needs ``counter enroll`` before anyone can sign in there."""
    s = ctx.session
    if s.scalar(select(Counter.id).where(Counter.code == code)) is not None:
        raise AppError(ErrorCode.INVALID_REQUEST, field="code", problem="taken")
    hall = s.scalar(select(OrgUnit).where(OrgUnit.code == hall_code, OrgUnit.kind == OrgKind.HALL))
    if hall is None:
        raise AppError(ErrorCode.ORG_UNIT_NOT_FOUND, code=hall_code)
    counter = Counter(code=code, name=name, hall_id=hall.id)
    s.add(counter)
    s.flush()
    ctx.record(target=f"counter:{code}", after={"name": name, "hall": hall_code})
    return counter.id
