"""``gridcounter-server quote``: a usage priced against a stored tariff code, printed as lines and JSON; each bad
input an error line and exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from server.__main__ import main
from server.settings import Settings

USAGE = {"period_from": "2026-10-01", "period_to": "2026-10-31", "total_kwh": "100"}


@pytest.fixture
def cli_env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The CLI pointed at the test database (the factory world: RES-FLAT at 0.538)."""
    monkeypatch.setenv("GRIDCOUNTER_DATABASE_URL", settings.database_url or "")
    monkeypatch.setenv("GRIDCOUNTER_PII_KEY", settings.pii_key or "")
    monkeypatch.setenv("GRIDCOUNTER_DATA_DIR", str(settings.data_dir))
    return settings


def _write(tmp_path: Path, name: str, body: object) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(body), encoding="utf-8")
    return path


class TestQuoteCli:
    def test_prices_a_stored_tariff(self, cli_env: Settings, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
        """100 kWh on RES-FLAT: one energy line of 53.80 yuan, then the bill as JSON."""
        usage = _write(tmp_path, "usage.json", USAGE)
        assert main(["quote", "--tariff", "RES-FLAT", "--usage", str(usage)]) == 0
        out = capsys.readouterr().out
        assert "total 53.80 yuan for 100 kWh" in out
        bill = json.loads(out[out.index("\n{") + 1:])
        assert (bill["total_fen"], [line["unit_price"] for line in bill["lines"]]) == (5380, ["0.538"])

    def test_unknown_code(self, cli_env: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """An unknown code is TARIFF_NOT_FOUND, exit 2."""
        usage = _write(tmp_path, "usage.json", USAGE)
        assert main(["quote", "--tariff", "NO-SUCH", "--usage", str(usage)]) == 2
        assert capsys.readouterr().out.startswith("error: TARIFF_NOT_FOUND")

    def test_float_kwh(self, cli_env: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """kWh as a JSON number is refused before the database is asked."""
        usage = _write(tmp_path, "usage.json", {**USAGE, "total_kwh": 100.5})
        assert main(["quote", "--tariff", "RES-FLAT", "--usage", str(usage)]) == 2
        assert "decimal string" in capsys.readouterr().out

    def test_missing_file(self, cli_env: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A usage file that is not there is an error line."""
        assert main(["quote", "--tariff", "RES-FLAT", "--usage", str(tmp_path / "none.json")]) == 2
        assert capsys.readouterr().out.startswith("error:")
