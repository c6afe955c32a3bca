"""Readings in words: every anomaly code has its sentence in Chinese and English, figures filled in, and the
register, status and problem codes of a reading refusal are shown translated."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from client.ui.messages import error_message
from client.ui.reading_words import ANOMALY_MESSAGES, REGISTER_NAMES, STATUS_NAMES, anomaly_message
from shared_models.errors import ErrorCode
from shared_models.methods.readings import Anomaly, AnomalyCode, ReadingStatus, Register

_CJK = re.compile(r"[\u4e00-\u9fff]")
UseLocale = Callable[[str], None]


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_every_anomaly_has_its_own_sentence(use_locale: UseLocale, locale: str) -> None:
    """Each code's sentence is translated and shows every figure; no two codes read the same."""
    use_locale(locale)
    assert set(ANOMALY_MESSAGES) == set(AnomalyCode)
    seen = set()
    for code in AnomalyCode:
        names = re.findall(r"\{(\w+)\}", ANOMALY_MESSAGES[code])
        figures = {name: f"V{index}x" for index, name in enumerate(names)}
        text = anomaly_message(Anomaly(code=code, figures=figures))
        assert "{" not in text, (code, text)
        assert all(value in text for value in figures.values()), (code, text)
        if locale == "zh_CN":
            assert _CJK.search(text), (code, text)
        seen.add(text)
    assert len(seen) == len(AnomalyCode)


def test_register_and_status_names_in_a_sentence(use_locale: UseLocale) -> None:
    """Registers and statuses named in the figures are shown in the user's language."""
    use_locale("zh_CN")
    assert set(REGISTER_NAMES) == set(Register)
    assert set(STATUS_NAMES) == set(ReadingStatus)
    below = Anomaly(code=AnomalyCode.BELOW_PREVIOUS, figures={"register": "peak", "previous": "500.00",
                                                               "current": "20.00"})
    assert anomaly_message(below) == "峰示数 20.00 小于上次示数 500.00，且未记录翻转或换表。"
    estimated = Anomaly(code=AnomalyCode.ESTIMATED, figures={"status": "no_access"})
    assert anomaly_message(estimated) == "本期电量为估算（门闭），非实抄。"


def test_reading_refusals_name_the_register_and_problem(use_locale: UseLocale) -> None:
    """A refusal's register, problem and status are translated, as the client shows them."""
    use_locale("zh_CN")
    missing = error_message(ErrorCode.READING_REGISTER_MISSING, {"asset_no": "M1", "register": "valley"})
    assert missing == "电能表 M1 的谷示数未填写。请录入该表的全部示数。"
    date = error_message(ErrorCode.READING_DATE_INVALID, {"read_on": "2026-11-30", "problem": "future"})
    assert date == "抄表日期 2026-11-30 不可用：日期在未来。"
    values = error_message(ErrorCode.READING_VALUES_NOT_EXPECTED, {"status": "meter_fault"})
    assert values == "状态为“表坏”的抄表记录没有示数：请不要填写示数。"


def test_unknown_figure_left_intact() -> None:
    """A figure the server did not send leaves its placeholder rather than failing."""
    assert "{count}" in anomaly_message(Anomaly(code=AnomalyCode.ZERO_STREAK))
