"""The counter's customer cache as one object (:class:`CustomerCache`): what the desk, the refresher and the
tests call, each call handed to the module that does that job (the file, the refresh, search, the 360 view
and the quote, offline booking)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from client.core.customer_cache import booking, refresh, search, views
from client.core.customer_cache.refresh import STORE_BATCH, RefreshStats
from client.core.customer_cache.store import CACHE_FILE, CacheFile, stored_time
from client.core.rpc_client import RpcClient
from shared_models.methods.customers import SearchResult
from shared_models.methods.payments import Quote
from shared_models.rules.hall_time import hall_now


class CustomerCache:
    """The hall's customers on this PC (``client.core.customer_cache``). Safe to share between threads."""

    def __init__(self, path: Path, *, today: Callable[[], dt.date] | None = None) -> None:
        self._file = CacheFile(path)
        #: The business day late fees are computed for: the counter's own (hall time zone).
        self._today = today or (lambda: hall_now().date())

    @classmethod
    def in_folder(cls, data_dir: Path, *, today: Callable[[], dt.date] | None = None) -> CustomerCache:
        """The cache of the client data folder (opened on first use)."""
        return cls(data_dir / CACHE_FILE, today=today)

    @property
    def path(self) -> Path:
        """The cache file."""
        return self._file.path

    def close(self) -> None:
        """Close the file (it is opened again on the next use)."""
        self._file.close()

    def as_of(self) -> dt.datetime | None:
        """Server time of the last complete refresh, or None before the first one completed."""
        return stored_time(self._file.run(self._file.meta), "as_of")

    def business_date(self) -> dt.date | None:
        """The server's business day at the last page stored (late fees are computed for :meth:`today`)."""
        value = self._file.run(self._file.meta).get("business_date")
        return dt.date.fromisoformat(value) if value else None

    def today(self) -> dt.date:
        """The business day quotes and the 360 view compute late fees for: the counter's."""
        return self._today()

    def count(self) -> int:
        """Customers in the cache."""
        return refresh.count(self._file)

    def refresh(self, rpc: RpcClient, *, limit: int = 1000, batch: int = STORE_BATCH,
                cancelled: Callable[[], bool] | None = None) -> RefreshStats:
        """Page through ``customer.get_hall_changes`` from the stored cursor until complete (``refresh``)."""
        return refresh.refresh(self._file, rpc, limit=limit, batch=batch, cancelled=cancelled)

    def search(self, text: str, limit: int = 50) -> SearchResult:
        """The first ``limit`` hits for one search key, ranked as the server ranks them (``search``)."""
        return search.search(self._file, text, limit)

    def overview(self, customer_no: str) -> views.CachedOverview:
        """The 360 view as cached, late fees to :meth:`today` (``views``)."""
        return views.overview(self._file, customer_no, day=self._today())

    def quote(self, customer_no: str, amount_fen: int | None = None) -> Quote:
        """``payment.get_quote`` on the cached figures, as of :meth:`today` (``views``)."""
        return views.quote(self._file, customer_no, amount_fen, day=self._today())

    def apply_local_payment(self, customer_no: str, quote: Quote) -> None:
        """Book a payment accepted offline into the cached figures, as of :meth:`today` (``booking``)."""
        booking.book_local_payment(self._file, customer_no, quote, day=self._today())
