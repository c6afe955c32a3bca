"""The bulk path's inputs and prices next to the one-by-one path's, customer by customer (used by the bulk
tests here and by the demo data test)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.billing import bulk
from server.billing.inputs import inputs_hash
from server.models.customers import Customer
from server.services.billruns import _gather, _price


def _outcome(inputs: Any, priced: Any) -> tuple[Any, ...]:
    return (inputs_hash(inputs), [a.model_dump(mode="json") for a in inputs.anomalies], inputs.bill_version_id,
            None if priced is None else priced.model_dump(mode="json"))


def differences(db: Session, *, book_code: str, period: int) -> tuple[int, list[str]]:
    """(customers compared, one line per customer whose bulk outcome differs from the one-by-one outcome)."""
    rows = db.execute(select(Customer.id, Customer.customer_no, Customer.tariff_id)
                      .where(Customer.book_code == book_code).order_by(Customer.book_seq, Customer.id)).all()
    chunk = [bulk.ChunkCustomer(customer_id=r.id, customer_no=r.customer_no, tariff_id=r.tariff_id) for r in rows]
    gathered = bulk.gather_chunk(db, book_code=book_code, period=period, chunk=chunk)
    out = []
    for c in chunk:
        one = _gather(db, customer_id=c.customer_id, tariff_id=c.tariff_id, period=period)
        one_priced, one = _price(one)
        many_priced, many = bulk.price_inputs(gathered[c.customer_id])
        if _outcome(one, one_priced) != _outcome(many, many_priced):
            out.append(f"{c.customer_no}: {_outcome(one, one_priced)} != {_outcome(many, many_priced)}")
    return len(chunk), out


def anomaly_codes(db: Session, *, book_code: str, period: int) -> set[str]:
    """The anomaly codes the bulk path finds in a book's period."""
    rows = db.execute(select(Customer.id, Customer.customer_no, Customer.tariff_id)
                      .where(Customer.book_code == book_code)).all()
    chunk = [bulk.ChunkCustomer(customer_id=r.id, customer_no=r.customer_no, tariff_id=r.tariff_id) for r in rows]
    found = bulk.gather_chunk(db, book_code=book_code, period=period, chunk=chunk)
    return {a.code for i in found.values() for a in bulk.price_inputs(i)[1].anomalies}
