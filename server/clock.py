"""The server's clock, injectable so tests can move time instead of patching ``time.time``."""

from __future__ import annotations

import datetime as dt
from typing import Protocol


class Clock(Protocol):
    """Tells the time, always timezone-aware UTC."""

    def now(self) -> dt.datetime:
        """The current time."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> dt.datetime:
        """The current UTC time."""
        return dt.datetime.now(dt.UTC)


class FixedClock:
    """A clock for tests that only moves when told to."""

    def __init__(self, start: dt.datetime) -> None:
        self._now = start

    def now(self) -> dt.datetime:
        """The clock's current time."""
        return self._now

    def advance(self, delta: dt.timedelta) -> None:
        """Move the clock forward."""
        self._now += delta
