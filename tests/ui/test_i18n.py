"""Translation files: complete, current, placeholders intact; translation contexts pinned."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from client.ui.i18n import install_translators
from client.ui.i18n_check import (
    TS_DIR,
    check,
    check_finished,
    check_placeholders,
    check_up_to_date,
    main,
    ts_files,
)


@pytest.fixture
def ts_copy(tmp_path: Path) -> Path:
    """A copy of the zh_CN translations to break."""
    target = tmp_path / "gridcounter_zh_CN.ts"
    shutil.copyfile(TS_DIR / "gridcounter_zh_CN.ts", target)
    return target


def _replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


class TestCheckedInFiles:
    def test_translations_pass_the_check(self) -> None:
        """The checked-in .ts files are current, finished and placeholder-consistent."""
        assert check(ts_files()) == []

    def test_command_line_passes(self) -> None:
        """``python -m client.ui.i18n_check`` exits 0."""
        assert main([]) == 0

    def test_every_zh_entry_is_chinese(self) -> None:
        """Every zh_CN translation holds Chinese text (a copied English source would slip through)."""
        text = (TS_DIR / "gridcounter_zh_CN.ts").read_text(encoding="utf-8")
        translations = re.findall(r"<translation>(.*?)</translation>", text, flags=re.DOTALL)
        latin_only = [t for t in translations if not re.search(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]", t)
                      and t != "GridCounter"]
        assert translations
        assert latin_only == []


class TestCheckCatches:
    def test_unfinished_entry(self, ts_copy: Path) -> None:
        """An entry marked unfinished is reported."""
        _replace_once(ts_copy, "<translation>登录</translation>", '<translation type="unfinished"></translation>')
        problems = check_finished(ts_copy)
        assert len(problems) == 1
        assert "Sign in" in problems[0]

    def test_changed_placeholder(self, ts_copy: Path) -> None:
        """A translation whose placeholder differs from the source's is reported."""
        _replace_once(ts_copy, "{customer_no}", "{customer}")
        problems = check_placeholders(ts_copy)
        assert len(problems) == 1
        assert "{customer}" in problems[0]

    def test_dropped_placeholder(self, ts_copy: Path) -> None:
        """A translation that lost a placeholder is reported."""
        _replace_once(ts_copy, "（参考编号 {ref}）", "")
        assert check_placeholders(ts_copy) != []

    def test_missing_source_string(self, ts_copy: Path) -> None:
        """A .ts file lacking a string the code uses is out of date."""
        text = ts_copy.read_text(encoding="utf-8")
        block = re.search(r"\s*<message>\s*<source>Sign in</source>.*?</message>", text, flags=re.DOTALL)
        assert block is not None
        ts_copy.write_text(text.replace(block.group(0), "", 1), encoding="utf-8")
        assert check_up_to_date(ts_copy) != []


class TestContexts:
    def test_login_window_context(self) -> None:
        """LoginWindow's ``self.tr`` strings live in the context named after the class."""
        text = (TS_DIR / "gridcounter_zh_CN.ts").read_text(encoding="utf-8")
        context = re.search(r"<name>LoginWindow</name>(.*?)</context>", text, flags=re.DOTALL)
        assert context is not None
        assert "<source>Sign in</source>" in context.group(1)

    def test_runtime_context_matches(self, qapp: QApplication, qm_dir: Path) -> None:
        """At runtime a LoginWindow string translates through that same context."""
        from client.ui.login_window import LoginWindow

        translators = install_translators(qapp, "zh_CN", qm_dir=qm_dir)
        try:
            assert QCoreApplication.translate("LoginWindow", "Sign in") == "登录"
            assert QCoreApplication.translate("MainWindow", "Customer") == "客户查询"
            assert QCoreApplication.translate("CustomerScreen", "Customer") == "客户信息"
            assert LoginWindow.tr("Sign in") == "登录"  # type: ignore[call-arg, arg-type]
        finally:
            for translator in translators:
                qapp.removeTranslator(translator)
