"""The sentences of the tariff and pricing documents' cross-field refusals: every rule the contract raises has its
own translated sentence, its figures filled in."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from client.ui.messages import TARIFF_RULES, error_message
from shared_models.errors import ErrorCode

_CJK = re.compile(r"[\u4e00-\u9fff]")
#: The rule keys ``shared_models/tariffs.py`` raises (``_broken("key", ...)``).
RAISED = sorted(set(re.findall(r'_broken\(\s*"(\w+)"', (Path(__file__).parents[2] / "shared_models" /
                                                        "tariffs.py").read_text(encoding="utf-8"))))


def test_every_raised_rule_has_a_sentence() -> None:
    """No rule the contract raises falls back to its bare key, and no sentence is for a rule never raised."""
    assert RAISED, "no rule found in shared_models/tariffs.py"
    assert sorted(TARIFF_RULES) == RAISED


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
@pytest.mark.parametrize("rule", sorted(TARIFF_RULES))
def test_rule_sentence_filled(use_locale: object, locale: str, rule: str) -> None:
    """TARIFF_VERSION_INVALID shows the rule's sentence, in the user's language, with the rule's figures."""
    use_locale(locale)  # type: ignore[operator]
    names = re.findall(r"\{(\w+)\}", TARIFF_RULES[rule])
    params: dict[str, str | int] = {name: f"V{i}x" for i, name in enumerate(names)}
    text = error_message(ErrorCode.TARIFF_VERSION_INVALID, {"field": "version", "rule": rule, **params})
    assert "{" not in text, text
    assert not text.endswith(rule), text  # the sentence, not the bare key
    assert all(str(value) in text for value in params.values()), text
    assert bool(_CJK.search(text)) == (locale == "zh_CN"), text


def test_sentences_in_chinese(use_locale: object) -> None:
    """Two of them as the billing clerk reads them."""
    use_locale("zh_CN")  # type: ignore[operator]
    assert error_message(ErrorCode.TARIFF_VERSION_INVALID, {
        "field": "version.tou.seasons.0", "rule": "day_not_covered", "season": "全年", "time": "07:00"}) == \
        "电价版本未被接受：季节 全年 的分时时段未覆盖 24 小时（从 07:00 起未设置）。"
    assert error_message(ErrorCode.PERIOD_ENDS_BEFORE_START, {
        "field": "usage", "date_from": "2026-03-31", "date_to": "2026-03-01"}) == \
        "期间 2026-03-31 至 2026-03-01 的结束日期早于开始日期。"
