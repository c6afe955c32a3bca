"""The counter's outbox (SPEC §5), one module per job: every confirmed mutation is written here, with its
idempotency key and its receipt number, in one local SQLite transaction before it is first sent; the sync
worker (:mod:`client.core.sync`) sends it and records the server's answer against it.

The file is ``counter.sqlite3`` in the client data folder, in WAL mode with ``synchronous=FULL``: a
confirmed payment survives SIGKILL and a power cut. The same file holds the receipt numbering
(``receipt_seq``/``receipts_taken``, formerly ``receipts.sqlite3``) so the number and the request are
one transaction.

Item states:

``pending``    not yet answered by the server (never "failed": a timeout or a dropped link leaves it here)
``done``       the server booked it; its answer (``result``) and booking time are stored
``rejected``   refused while the cashier watched the answer come back (nothing was handed over)
``attention``  refused after the money was taken (accepted offline, or nobody saw the answer):
               listed for the cashier and the supervisor with its reason, never dropped

One module per job: :mod:`.queue` (:class:`~.queue.Outbox`, the queue and its answers), :mod:`.items` (what
an item is), :mod:`.store` (the file: schema, connections, integrity, errors), :mod:`.numbering` (receipt and
shift numbers, minted in the same transaction as the request), :mod:`.damage` (a damaged file set aside until
a supervisor acknowledges it), :mod:`.legacy` (the receipt book from before the outbox).

Qt-free and blocking (disk): call it from workers, never from the GUI thread. Safe to share between
threads and processes (SQLite's lock; ``BEGIN IMMEDIATE`` for every write).
"""
