"""Pure business rules that both ends apply: no database, no Qt, no clock, no I/O.

``late_fees`` computes 电费违约金 (DOMAIN.md §5), ``allocation`` splits a payment over open bills and
computes change (DOMAIN.md §6.2–6.3). They live in the contract package because the counter computes
late fees and previews allocations offline (its customer cache, ``client/core/customer_cache/``) with
the very rules the server books by. ``reading_consumption`` and ``reading_anomalies`` compute kWh and the
reading checks (DOMAIN §9) for the server's books and for the offline counter's handheld validation
(``handheld_offline``); ``power_factor`` is the month's cosφ of both the 力调 line and a reading check.
"""
