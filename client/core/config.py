"""Where the client keeps its files, computed without Qt so the core stays testable headless."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

#: Overrides the client data folder (tests point it at a temporary folder).
ENV_DATA_DIR = "GRIDCOUNTER_CLIENT_DATA_DIR"
_APP_FOLDER = "gridcounter-client"
#: Settings of the card reader (docs/card-reader.md): on unless ``false``; the reader whose name contains ``name``.
KEY_CARD_READER_ENABLED = "card_reader/enabled"
KEY_CARD_READER_NAME = "card_reader/name"


def client_version() -> str:
    """The installed client's version, sent in the handshake."""
    try:
        return metadata.version("gridcounter")
    except metadata.PackageNotFoundError:  # running from a source tree that was never installed
        return "0.0.0"


def default_data_dir(env: Mapping[str, str] | None = None) -> Path:
    """The per-user data folder, like Qt's ``AppDataLocation`` but computed without Qt."""
    env = os.environ if env is None else env
    if sys.platform == "win32" and env.get("APPDATA"):
        return Path(env["APPDATA"]) / _APP_FOLDER
    xdg = env.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg else Path.home() / ".local" / "share"
    return base / _APP_FOLDER


@dataclass(frozen=True)
class ClientPaths:
    """Every file the client writes lives in one folder, so one backup (or one wipe) covers it."""

    data_dir: Path

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ClientPaths:
        """The data folder from ``GRIDCOUNTER_CLIENT_DATA_DIR``, else the per-user default."""
        env = os.environ if env is None else env
        override = env.get(ENV_DATA_DIR)
        return cls(data_dir=Path(override) if override else default_data_dir(env))

    def ensure(self) -> ClientPaths:
        """Create the data folder, readable by its owner only (it holds the file keyring)."""
        self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        return self

    @property
    def ca_file(self) -> Path:
        """The pinned CA certificate (PEM) the client trusts, and nothing else."""
        return self.data_dir / "ca.pem"

    @property
    def settings_file(self) -> Path:
        """The QSettings INI file (server, counter, language)."""
        return self.data_dir / "settings.ini"

    @property
    def keyring_file(self) -> Path:
        """The encrypted file keyring, used where no desktop keyring runs."""
        return self.data_dir / "keyring.cfg"

    @property
    def keyring_secret_file(self) -> Path:
        """The random key of the file keyring (mode 0600)."""
        return self.data_dir / "keyring.secret"

    @property
    def log_file(self) -> Path:
        """The client's log."""
        return self.data_dir / "client.log"


@dataclass(frozen=True, kw_only=True)
class CardReaderConfig:
    """Which PC/SC reader the counter uses: the first whose name contains ``name`` (any case; empty: the first
    reader pcscd lists). On by default: a counter without a reader simply shows "No card reader"."""

    enabled: bool = True
    name: str = ""

    @classmethod
    def from_settings(cls, *, enabled: object, name: object) -> CardReaderConfig:
        """From the settings' values (INI text, or a bool): only ``false``, ``0``, ``no`` and ``off`` turn it off."""
        off = str(enabled).strip().casefold() in {"false", "0", "no", "off"}
        return cls(enabled=not off, name=str(name or "").strip())

    def matches(self, reader: str) -> bool:
        """Whether the reader called ``reader`` is one this configuration accepts."""
        return self.name.casefold() in reader.casefold()
