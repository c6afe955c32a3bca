"""The sentences of a draft's findings (``client/ui/billrun_words.py``): every code the server can put on a draft has
a translated sentence and a short name, no sentence is kept for a code the server no longer sends, and each
sentence is filled from the figures the server sends with it."""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import pytest

from client.ui.billrun_words import ANOMALY_NAMES, DRAFT_ANOMALIES, anomaly_codes_text, draft_anomaly_message
from server.errors import AppError
from server.pricing.errors import PricingRefusal
from server.services.tariffs import _check_covered
from shared_models.methods.billruns import DraftAnomaly
from shared_models.methods.readings import AnomalyCode

_CJK = re.compile(r"[\u4e00-\u9fff]")
_SERVER = Path(__file__).parents[2] / "server"


def _codes_the_server_writes() -> set[str]:
    """The literal ``code=`` of every ``DraftAnomaly(...)`` built under server/ (the others are ``AnomalyCode``
    values: ``DraftAnomaly(code=a.code.value, ...)``)."""
    found: set[str] = set()
    for path in _SERVER.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "DraftAnomaly":
                for keyword in node.keywords:
                    if keyword.arg == "code" and isinstance(keyword.value, ast.Constant):
                        found.add(str(keyword.value.value))
    return found


SERVER_CODES = _codes_the_server_writes()


def test_the_scan_finds_the_bill_runs_own_codes() -> None:
    """The scan sees the codes written today (so the tests below cannot pass on an empty set)."""
    assert {"already_billed", "no_tariff_version", "pricing_refused"} <= SERVER_CODES


def test_every_code_the_server_writes_has_a_sentence_and_none_is_dead() -> None:
    """The bill run's own sentences are exactly the codes the server writes (besides the reading checks' codes,
    worded by client.ui.reading_words), and every code has a short name."""
    own = SERVER_CODES - {code.value for code in AnomalyCode}
    assert set(DRAFT_ANOMALIES) == own
    assert set(ANOMALY_NAMES) == own | {code.value for code in AnomalyCode}


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
@pytest.mark.parametrize("code", sorted(SERVER_CODES | {c.value for c in AnomalyCode}))
def test_no_code_falls_back_to_itself(use_locale: object, locale: str, code: str) -> None:
    """Every code shows as a sentence and as a short name in the user's language, never as the bare code."""
    use_locale(locale)  # type: ignore[operator]
    sentence = draft_anomaly_message(DraftAnomaly(code=code, params={}))
    assert sentence != code
    name = anomaly_codes_text(code)
    assert name == (ANOMALY_NAMES[code] if locale == "en" else name)  # English names may equal the code
    for text in (sentence, name):
        assert bool(_CJK.search(text)) == (locale == "zh_CN"), text


def _no_version_params() -> dict[str, str | int]:
    """The figures the server's TARIFF_NO_VERSION carries (the no_tariff_version finding copies them)."""
    with pytest.raises(AppError) as raised:
        _check_covered([], dt.date(2026, 11, 1), dt.date(2026, 11, 30), tariff="RES-FLAT")
    return {key: str(value) for key, value in raised.value.params.items()}


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_sentences_filled_from_the_servers_figures(use_locale: object, locale: str) -> None:
    """No placeholder is left over: the figures are the ones the server sends, a refusal is in words."""
    use_locale(locale)  # type: ignore[operator]
    no_version = draft_anomaly_message(DraftAnomaly(code="no_tariff_version", params=_no_version_params()))
    assert "{" not in no_version
    assert all(x in no_version for x in ("RES-FLAT", "2026-11-01", "2026-11-30")), no_version
    billed = draft_anomaly_message(DraftAnomaly(code="already_billed", params={"bill_no": "202611-3301000001"}))
    assert "{" not in billed
    assert "202611-3301000001" in billed
    refused = draft_anomaly_message(DraftAnomaly(code="pricing_refused",
                                                 params={"refusal": PricingRefusal.NO_CAPACITY.value}))
    assert "{" not in refused
    assert PricingRefusal.NO_CAPACITY.value not in refused, refused
    assert refused.endswith("(kVA)." if locale == "en" else "）。"), refused


def test_codes_in_words(use_locale: object) -> None:
    """BILL_NOT_PRICEABLE's list of codes reads as words; an unknown code stays as sent."""
    use_locale("en")  # type: ignore[operator]
    assert anomaly_codes_text("no_previous, manual_entry") == "no earlier reading, entered by hand"
    assert anomaly_codes_text("no_previous, from_the_future") == "no earlier reading, from_the_future"
    use_locale("zh_CN")  # type: ignore[operator]
    assert anomaly_codes_text("no_previous, manual_entry") == "无上期示数、手工录入"
