"""The ``price`` command of ``gridcounter-server``: files in, a table and JSON out, bad files refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from server.__main__ import main
from shared_models.pricing import PricedBill
from tests.pricing.builders import LATE_FEE

VERSION = {"effective_from": "2025-01-01", "energy_price": "0.538", "late_fee": LATE_FEE,
           "tiers": {"cycle": "year", "thresholds_kwh": [2760, 4800], "increments": ["0", "0.05", "0.30"]}}
USAGE = {"period_from": "2025-03-01", "period_to": "2025-03-31", "total_kwh": "100"}


def write(tmp_path: Path, name: str, doc: object) -> Path:
    """A JSON file in the test's folder."""
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


class TestPriceCommand:
    def test_prints_table_and_json(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """2700 kWh before, 100 now: the table shows both tier lines and the total; the JSON is a PricedBill."""
        code = main(["price", "--tariff-file", str(write(tmp_path, "v.json", VERSION)),
                     "--usage", str(write(tmp_path, "u.json", USAGE)),
                     "--terms", str(write(tmp_path, "t.json", {"cycle_kwh_before": "2700"}))])
        out = capsys.readouterr().out
        assert code == 0
        table, _, payload = out.partition("\n{")
        assert "total 55.80 yuan for 100 kWh" in table
        assert len([row for row in table.splitlines() if " energy " in row]) == 2
        bill = PricedBill.model_validate_json("{" + payload)
        assert [line.amount_fen for line in bill.lines] == [3228, 2352]

    def test_list_of_versions_without_terms(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A list of versions is accepted; without terms the counter starts at zero."""
        later = {**VERSION, "effective_from": "2025-03-16", "energy_price": "0.558"}
        code = main(["price", "--tariff-file", str(write(tmp_path, "v.json", [VERSION, later])),
                     "--usage", str(write(tmp_path, "u.json", USAGE))])
        assert code == 0
        assert "2025-03-16..2025-03-31" in capsys.readouterr().out

    def test_float_price_refused(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A float price in the file is an error, not a bill."""
        code = main(["price", "--tariff-file", str(write(tmp_path, "v.json", {**VERSION, "energy_price": 0.538})),
                     "--usage", str(write(tmp_path, "u.json", USAGE))])
        assert code == 2
        assert capsys.readouterr().out.startswith("error: ")

    def test_unpriceable_period_refused(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A period before the first version is refused with the pricing reason."""
        later = {**VERSION, "effective_from": "2025-06-01"}
        code = main(["price", "--tariff-file", str(write(tmp_path, "v.json", later)),
                     "--usage", str(write(tmp_path, "u.json", USAGE))])
        assert code == 2
        assert "cannot price: no_version" in capsys.readouterr().out

    def test_missing_file_refused(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A usage file that does not exist is an error."""
        code = main(["price", "--tariff-file", str(write(tmp_path, "v.json", VERSION)),
                     "--usage", str(tmp_path / "missing.json")])
        assert code == 2
        assert "missing.json" in capsys.readouterr().out
