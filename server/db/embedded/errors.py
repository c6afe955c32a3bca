"""The one error of the embedded PostgreSQL, carrying the log lines that usually name its cause."""

from __future__ import annotations

from pathlib import Path

_LOG_TAIL_LINES = 40


class EmbeddedPostgresError(RuntimeError):
    """The embedded PostgreSQL could not be prepared, started or stopped.

    ``log_tail`` holds the last lines of the postgres log (or of the failing tool's output), which
    usually name the real cause.
    """

    def __init__(self, message: str, *, log_tail: str = "") -> None:
        self.message = message
        self.log_tail = log_tail
        detail = f"{message}\n--- last lines of the postgres log ---\n{log_tail}" if log_tail else message
        super().__init__(detail)


def tail(textual: str, lines: int = _LOG_TAIL_LINES) -> str:
    """The last ``lines`` lines of a tool's output or a log."""
    return "\n".join(textual.rstrip().splitlines()[-lines:])


def log_tail(log_file: Path) -> str:
    """The last lines of the postgres log, or nothing when it cannot be read."""
    try:
        return tail(log_file.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return ""
