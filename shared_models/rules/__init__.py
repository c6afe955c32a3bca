"""Pure business rules that both ends apply: no database, no Qt, no clock, no I/O.

``allocation`` splits a payment over open bills and computes change (DOMAIN.md §6.2–6.3). It lives in
the contract package because the counter previews allocations offline (its customer cache,
``client/core/customer_cache.py``) with the very rule the server books them by.
"""
