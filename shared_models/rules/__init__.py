"""Pure business rules that both ends apply: no database, no Qt, no clock, no I/O.

``late_fees`` computes 电费违约金 (DOMAIN.md §5), ``allocation`` splits a payment over open bills and
computes change (DOMAIN.md §6.2–6.3). They live in the contract package because the counter computes
late fees and previews allocations offline (its customer cache, ``client/core/customer_cache/``) with
the very rules the server books by.
"""
