"""The ``gridcounter`` command: enrollment options, settings, and the login-window screenshot."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QImage

from client.core.config import ENV_DATA_DIR, ClientPaths
from client.core.secrets import SecretStore, file_backend
from client.ui.i18n import ENV_I18N_DIR
from server.tls import TlsFiles
from shared_models.pinning import ca_fingerprint


def _run(args: list[str], *, data_dir: Path, qm_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        ENV_DATA_DIR: str(data_dir),
        ENV_I18N_DIR: str(qm_dir),
        "QT_QPA_PLATFORM": "offscreen",
        # As on a counter PC: no desktop keyring (and never the developer's own).
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    return subprocess.run([sys.executable, "-m", "client", *args], env=env, capture_output=True, text=True,
                          timeout=120, check=False)


class TestCommandLine:
    def test_enroll_and_screenshot(self, tmp_path: Path, qm_dir: Path, tls_files: TlsFiles) -> None:
        """--ca, --device-key-file, --server and --counter are stored; --screenshot writes a PNG and exits 0."""
        data_dir = tmp_path / "data"
        key_file = tmp_path / "H0101-01.key"
        key_file.write_text("dk-from-enroll\n", encoding="utf-8")
        shot = tmp_path / "login.png"
        done = _run(["--server", "https://127.0.0.1:9", "--counter", "H0101-01", "--ca", str(tls_files.ca_cert),
                     "--device-key-file", str(key_file), "--locale", "zh_CN", "--screenshot", str(shot),
                     "--exit-after-screenshot"], data_dir=data_dir, qm_dir=qm_dir)
        assert done.returncode == 0, done.stderr
        assert QImage(str(shot)).width() > 300
        paths = ClientPaths(data_dir=data_dir)
        settings = QSettings(str(paths.settings_file), QSettings.Format.IniFormat)
        assert settings.value("connection/server") == "https://127.0.0.1:9"
        assert settings.value("connection/counter") == "H0101-01"
        store = SecretStore(file_backend(paths))
        assert store.device_key("H0101-01") == "dk-from-enroll"
        assert store.ca_pin() == ca_fingerprint(tls_files.ca_cert.read_bytes())
        assert "dk-from-enroll" not in paths.log_file.read_text(encoding="utf-8")

    def test_bad_server_address(self, tmp_path: Path, qm_dir: Path) -> None:
        """A plain-http server address is refused with exit code 2 and a message for the operator."""
        done = _run(["--server", "http://hall.example"], data_dir=tmp_path / "data", qm_dir=qm_dir)
        assert done.returncode == 2
        assert "https" in done.stderr
