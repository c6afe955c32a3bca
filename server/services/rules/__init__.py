"""Pure business rules: no database, no Qt, no clock, no I/O.

Services call these inside their transaction with values they have read; the rules only compute.
The rules the counter also computes offline live in :mod:`shared_models.rules`: ``late_fees``
(电费违约金, DOMAIN.md §5) and ``allocation`` (a payment over open bills, change: DOMAIN.md §6.2–6.3;
re-exported here). See ``docs/business-rules.md`` for the choices made.
"""
