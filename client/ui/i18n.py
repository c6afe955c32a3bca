"""Translators: Qt's own (``qtbase_<locale>``) and ours (``gridcounter_<locale>``), and the remembered choice.

Source strings are English; the counter's default language is Simplified Chinese.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator

log = logging.getLogger(__name__)

SUPPORTED_LOCALES = ("zh_CN", "en")
DEFAULT_LOCALE = "zh_CN"
#: Each language named in itself, so a user can find theirs whatever language is showing.
LANGUAGE_NAMES = {"zh_CN": "中文（简体）", "en": "English"}
SETTINGS_KEY = "ui/locale"
#: Overrides the folder of the compiled ``.qm`` files (tests build them into a temporary folder).
ENV_I18N_DIR = "GRIDCOUNTER_I18N_DIR"


def i18n_dir() -> Path:
    """Where ``gridcounter_<locale>.qm`` live: ``$GRIDCOUNTER_I18N_DIR`` or ``resources/i18n``."""
    override = os.environ.get(ENV_I18N_DIR)
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "resources" / "i18n"


def install_translators(
    app: QCoreApplication, locale: str, *, qm_dir: Path, previous: Sequence[QTranslator] = ()
) -> list[QTranslator]:
    """Remove ``previous`` and install Qt's then our translator for ``locale``; returns the new ones.

    Qt asks the most recently installed translator first, so ours (installed last) wins where both
    translate a string.
    """
    for old in previous:
        app.removeTranslator(old)
    QLocale.setDefault(QLocale(locale))
    installed: list[QTranslator] = []
    qt_translator = QTranslator(app)
    if qt_translator.load(f"qtbase_{locale}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_translator)
        installed.append(qt_translator)
    ours = QTranslator(app)
    if ours.load(f"gridcounter_{locale}", str(qm_dir)):
        app.installTranslator(ours)
        installed.append(ours)
    elif locale != "en":
        log.warning("no gridcounter_%s.qm in %s: the interface stays in English", locale, qm_dir)
    return installed


class Language:
    """The current interface language: applies translators and remembers the user's choice."""

    def __init__(self, *, app: QCoreApplication, settings: QSettings, qm_dir: Path) -> None:
        self._app = app
        self._settings = settings
        self._qm_dir = qm_dir
        self._translators: list[QTranslator] = []
        self._locale = ""

    @property
    def locale(self) -> str:
        """The locale in use (``zh_CN`` or ``en``)."""
        return self._locale

    def saved(self) -> str:
        """The remembered choice, or the default."""
        value = self._settings.value(SETTINGS_KEY, DEFAULT_LOCALE)
        return value if isinstance(value, str) and value in SUPPORTED_LOCALES else DEFAULT_LOCALE

    def apply(self, locale: str, *, remember: bool) -> None:
        """Switch to ``locale`` (widgets get a LanguageChange event); ``remember`` stores the choice."""
        if locale not in SUPPORTED_LOCALES:
            raise ValueError(f"unsupported locale {locale!r}")
        if remember:
            self._settings.setValue(SETTINGS_KEY, locale)
            self._settings.sync()
        if locale == self._locale:
            return
        self._translators = install_translators(self._app, locale, qm_dir=self._qm_dir, previous=self._translators)
        self._locale = locale
        log.info("interface language %s", locale)

    def remove(self) -> None:
        """Uninstall our translators (tests, shutdown)."""
        for translator in self._translators:
            self._app.removeTranslator(translator)
        self._translators = []
        self._locale = ""
