"""A damaged outbox file: set aside untouched (renamed, with a marker describing it) when it cannot be
trusted, and money taken on this PC only again after a supervisor acknowledged it (the server records the
acknowledgement; the receipt numbering then jumps past the numbers the file may hold, ``numbering``)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from client.core.atomic_file import replace_file
from shared_models.rules.hall_time import hall_now

log = logging.getLogger(__name__)

#: Where a damaged outbox is described until a supervisor acknowledges it (the files stay, renamed).
DAMAGE_MARKER: Final = "outbox-damaged.json"


@dataclass(frozen=True)
class DamageReport:
    """A damaged outbox file that was set aside, waiting for a supervisor's acknowledgement."""

    reason: str
    found_at: dt.datetime
    files: tuple[dict[str, Any], ...]  # name, bytes, sha256 of each set-aside file

    def to_json(self) -> str:
        """The marker file's content."""
        return json.dumps({"reason": self.reason, "found_at": self.found_at.isoformat(), "files": list(self.files)},
                          ensure_ascii=False, indent=2)

    @classmethod
    def from_json(cls, text: str) -> DamageReport:
        """Read a marker file (ValueError if it is not one)."""
        data = json.loads(text)
        return cls(reason=str(data["reason"]), found_at=dt.datetime.fromisoformat(data["found_at"]),
                   files=tuple(dict(f) for f in data["files"]))


class DamageGate:
    """Whether money may be taken on this PC: closed while a damaged outbox waits for a supervisor.

    Read on the GUI thread; :meth:`open_gate` after the acknowledgement was recorded (server and file).
    """

    def __init__(self, report: DamageReport | None = None) -> None:
        self.report = report

    @property
    def closed(self) -> bool:
        """True while a damaged outbox is unacknowledged."""
        return self.report is not None

    def open_gate(self) -> None:
        """The supervisor acknowledged the damaged file."""
        self.report = None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def set_aside(path: Path, *, reason: str, now: dt.datetime | None = None) -> DamageReport:
    """Rename a damaged outbox (and its -wal/-shm) out of the way, untouched, and write the marker."""
    now = now or hall_now()
    stamp = now.strftime("%Y%m%d-%H%M%S")
    files = []
    for suffix in ("", "-wal", "-shm", "-journal"):
        source = path.with_name(path.name + suffix)
        if not source.exists():
            continue
        target = path.with_name(f"{path.name}.damaged-{stamp}{suffix}")
        files.append({"name": target.name, "bytes": source.stat().st_size, "sha256": _sha256(source)})
        os.replace(source, target)  # a rename: the bytes stay exactly as they were
    report = DamageReport(reason=reason, found_at=now, files=tuple(files))
    marker = path.with_name(DAMAGE_MARKER)
    replace_file(marker, report.to_json().encode("utf-8"))
    log.error("outbox %s is damaged (%s): set aside as %s", path, reason, [f["name"] for f in files])
    return report

def damage_report(data_dir: Path) -> DamageReport | None:
    """The damaged outbox still waiting for a supervisor's acknowledgement, or None."""
    marker = data_dir / DAMAGE_MARKER
    if not marker.exists():
        return None
    try:
        return DamageReport.from_json(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        return DamageReport(reason="unreadable damage marker", found_at=hall_now(), files=())


def retire_marker(data_dir: Path, *, now: dt.datetime) -> None:
    """The supervisor acknowledged the set-aside file: its marker is kept, renamed, and no longer closes the gate."""
    marker = data_dir / DAMAGE_MARKER
    if marker.exists():
        os.replace(marker, marker.with_name(f"{DAMAGE_MARKER}.acknowledged-{now:%Y%m%d-%H%M%S}"))
