"""Pure business rules: no database, no Qt, no clock, no I/O.

Services call these inside their transaction with values they have read; the rules only compute.
``late_fees`` computes 电费违约金 (DOMAIN.md §5), ``allocation`` splits a payment over open bills and
computes change (DOMAIN.md §6.2–6.3). See ``docs/business-rules.md`` for the choices made.
"""
