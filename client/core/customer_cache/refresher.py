"""The thread that keeps the customer cache fresh: a refresh every ``interval_s`` while a session exists,
and on :meth:`~client.core.background.BackgroundLoop.wake`; after a failure it tries again with backoff."""

from __future__ import annotations

import logging
import random

from client.core.background import BackgroundLoop
from client.core.customer_cache.cache import CustomerCache
from client.core.customer_cache.refresh import CacheCancelledError, RefreshStats
from client.core.rpc_client import SESSION_LOST_CODES, RpcClient, RpcError
from client.core.sync import Backoff
from shared_models.errors import ErrorCode

log = logging.getLogger(__name__)


class CacheRefresher(BackgroundLoop[RefreshStats]):
    """A thread that refreshes the cache every ``interval_s`` while a session exists, and on :meth:`wake`;
    after a failure it tries again with backoff. Listeners get each :class:`RefreshStats`, on this
    thread (the UI bridges them to the GUI thread by signal)."""

    def __init__(self, *, cache: CustomerCache, rpc: RpcClient, interval_s: float = 120.0,
                 backoff: Backoff | None = None, page_limit: int = 1000, name: str = "gridcounter-cache") -> None:
        super().__init__(name=name)
        self._cache = cache
        self._rpc = rpc
        self._interval_s = interval_s
        self._backoff = backoff or Backoff(base_s=2.0, cap_s=max(interval_s, 2.0))
        self._page_limit = page_limit
        self._failures = 0
        self._rng = random.Random()  # noqa: S311 - jitter, not a secret
        #: The last refresh that completed, and the code of the last failure since (None: it worked).
        self.last: RefreshStats | None = None
        self.last_error: ErrorCode | None = None

    def _step(self) -> float:
        """One refresh if a session exists; the seconds to wait before the next."""
        if not self._rpc.has_session:
            return self._interval_s
        try:
            stats = self._cache.refresh(self._rpc, limit=self._page_limit, cancelled=self._stop.is_set)
        except CacheCancelledError:
            return 0.0
        except RpcError as exc:
            self.last_error = exc.code
            if exc.code in SESSION_LOST_CODES:
                return self._interval_s  # until someone signs in again (wake)
            self._failures += 1
            log.info("customer cache refresh failed: %s (try %d)", exc.code.value, self._failures)
            return self._backoff.delay(self._failures, self._rng)
        except Exception:  # the refresher must outlive any bug: the cache would silently go stale
            log.exception("customer cache refresh failed")
            self.last_error = ErrorCode.INTERNAL_ERROR
            self._failures += 1
            return self._backoff.delay(self._failures, self._rng)
        self._failures = 0
        self.last = stats
        self.last_error = None
        self._emit(stats)
        return self._interval_s
