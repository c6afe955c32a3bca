"""The counter's cache of its hall's customers (SPEC §5 "serving offline", issue #5), one module per job.

``customers.sqlite3`` in the client data folder holds the customers of the counter's hall as the server
last described them (``customer.get_hall_changes``): profile, current meters, open bills with the
inputs of their late fee (unpaid principal by day, fees already charged, the rule's terms), arrears and
prepayment. While online, a refresher asks for what changed after the stored cursor every couple of
minutes; with the link down the desk searches, shows the 360 view and quotes from here, with the same
models the server answers with, so the same table and screens show them.

- :mod:`.cache` — :class:`~.cache.CustomerCache`, the one object the desk and the refresher use.
- :mod:`.store` — the file: schema, connections, integrity check, rebuild, transactions, meta.
- :mod:`.refresh` — the refresh protocol (cursor, full passes, departed customers, another hall).
- :mod:`.search` — search keys ranked as the server ranks them.
- :mod:`.views` — the 360 view and the quote, by the server's rules (``shared_models.rules``).
- :mod:`.booking` — a payment accepted offline booked into the cached figures.
- :mod:`.refresher` — the thread that refreshes while a session exists.

It is a cache, unlike the outbox: a damaged file is deleted and rebuilt from the server, never
repaired. Qt-free and blocking (disk, and the network in a refresh): call it from workers.
"""
