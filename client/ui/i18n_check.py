"""Translation checks for CI: ``python -m client.ui.i18n_check`` (``--update`` regenerates the .ts files).

Fails when (1) ``pyside6-lupdate`` would change a ``.ts`` file (a source string is missing or stale),
(2) a translation is unfinished, or (3) a translation's ``{placeholders}`` differ from its source's
(Electrum's rule: a translator's typo in a placeholder must not crash or garble a sentence at runtime).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree

REPO_ROOT = Path(__file__).resolve().parents[2]
SOURCE_DIR = REPO_ROOT / "client" / "ui"
TS_DIR = REPO_ROOT / "resources" / "i18n"
LOCALES = ("zh_CN", "en")
_PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}|%n|%\d")


def ts_files(ts_dir: Path = TS_DIR) -> list[Path]:
    """The translation sources, one per supported locale."""
    return [ts_dir / f"gridcounter_{locale}.ts" for locale in LOCALES]


def _tool(name: str) -> str:
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise FileNotFoundError(f"{name} not found (it ships with pyside6-essentials)")
    return found


def source_files(source_dir: Path = SOURCE_DIR) -> list[Path]:
    """Every Python file lupdate scans, in a stable order."""
    return sorted(p for p in source_dir.rglob("*.py") if "__pycache__" not in p.parts)


def run_lupdate(ts: Path, *, source_dir: Path = SOURCE_DIR) -> None:
    """Merge the current source strings into ``ts`` (no locations: line moves must not touch the file)."""
    command = [_tool("pyside6-lupdate"), *(str(p) for p in source_files(source_dir)),
               "-locations", "none", "-no-obsolete", "-source-language", "en", "-silent", "-ts", str(ts)]
    subprocess.run(command, check=True, capture_output=True)


def run_lrelease(ts: Path, qm: Path) -> None:
    """Compile ``ts`` into ``qm``."""
    subprocess.run([_tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True, capture_output=True)


def check_up_to_date(ts: Path, *, source_dir: Path = SOURCE_DIR) -> list[str]:
    """Problems when lupdate would change ``ts``."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / ts.name
        shutil.copyfile(ts, copy)
        run_lupdate(copy, source_dir=source_dir)
        if copy.read_bytes() != ts.read_bytes():
            return [f"{ts.name}: out of date with the source strings; run `python -m client.ui.i18n_check --update`"]
    return []


def _messages(ts: Path) -> list[tuple[str, ElementTree.Element]]:
    root = ElementTree.parse(ts).getroot()  # noqa: S314 - our own checked-in file, not untrusted input
    found: list[tuple[str, ElementTree.Element]] = []
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        found.extend((name, message) for message in context.iter("message"))
    return found


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


def check_finished(ts: Path) -> list[str]:
    """Problems for every unfinished or empty translation in ``ts``."""
    problems = []
    for context, message in _messages(ts):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        text = translation.text or "" if translation is not None else ""
        if translation is not None and message.get("numerus") == "yes":
            forms = translation.findall("numerusform")
            text = "" if not forms or any(not (f.text or "").strip() for f in forms) else "forms"
        if translation is None or translation.get("type") in {"unfinished", "vanished", "obsolete"} \
                or not text.strip():
            problems.append(f"{ts.name}: [{context}] unfinished: {_short(source)!r}")
    return problems


def check_placeholders(ts: Path) -> list[str]:
    """Problems for every translation whose placeholders differ from its source's."""
    problems = []
    for context, message in _messages(ts):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        forms = [f.text or "" for f in translation.findall("numerusform")] if translation is not None else []
        texts = forms or [message.findtext("translation") or ""]
        expected = Counter(_PLACEHOLDER.findall(source))
        for translated in texts:
            if not translated.strip():
                continue
            got = Counter(_PLACEHOLDER.findall(translated))
            if expected == got:
                continue
            problems.append(f"{ts.name}: [{context}] placeholders {sorted(got)} differ from the source's "
                            f"{sorted(expected)}: {_short(source)!r}")
    return problems


def check(ts_paths: list[Path], *, source_dir: Path = SOURCE_DIR) -> list[str]:
    """Every problem of every file."""
    problems: list[str] = []
    for ts in ts_paths:
        if not ts.exists():
            problems.append(f"{ts}: missing")
            continue
        problems += check_up_to_date(ts, source_dir=source_dir)
        problems += check_finished(ts)
        problems += check_placeholders(ts)
    return problems


def fill(ts: Path, translations: dict[str, dict[str, str]], *, copy_source: bool) -> int:
    """Fill unfinished messages of ``ts`` from ``{context: {source: translation}}`` (or with the source
    itself when ``copy_source``, for the English file); returns how many were filled. lupdate then
    rewrites the file in its own layout."""
    tree = ElementTree.parse(ts)  # noqa: S314 - our own checked-in file, not untrusted input
    filled = 0
    for context in tree.getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            translation = message.find("translation")
            if translation is None or translation.get("type") != "unfinished":
                continue
            text = source if copy_source else translations.get(name, {}).get(source)
            if not text:
                continue
            forms = translation.findall("numerusform")
            if message.get("numerus") == "yes" and forms:
                # "%n item(s)": English says "1 item" / "2 items"; Chinese has one form for every count
                plural = [text.replace("(s)", ""), text.replace("(s)", "s")] if copy_source else [text]
                for i, form in enumerate(forms):
                    form.text = plural[min(i, len(plural) - 1)]
            else:
                translation.text = text
            del translation.attrib["type"]
            filled += 1
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    run_lupdate(ts)
    return filled


def main(argv: list[str] | None = None) -> int:
    """Exit 0 when the translations are complete and consistent, 1 otherwise."""
    parser = argparse.ArgumentParser(prog="python -m client.ui.i18n_check", description=__doc__)
    parser.add_argument("--update", action="store_true", help="run lupdate on the .ts files first")
    parser.add_argument("--ts-dir", type=Path, default=TS_DIR, help="folder of the .ts files")
    parser.add_argument("--build", type=Path, metavar="DIR", help="also compile .qm files into DIR")
    parser.add_argument("--fill", type=Path, metavar="JSON",
                        help="fill unfinished zh_CN messages from {context: {source: translation}} and the "
                        "English ones with their source (after --update)")
    args = parser.parse_args(argv)
    paths = ts_files(args.ts_dir)
    if args.update:
        for ts in paths:
            run_lupdate(ts)
    if args.fill is not None:
        table = json.loads(args.fill.read_text(encoding="utf-8"))
        for ts in paths:
            n = fill(ts, table, copy_source=ts.name.endswith("_en.ts"))
            sys.stderr.write(f"{ts.name}: {n} filled\n")
    problems = check(paths)
    for problem in problems:
        sys.stderr.write(problem + "\n")
    if problems:
        return 1
    if args.build is not None:
        args.build.mkdir(parents=True, exist_ok=True)
        for ts in paths:
            run_lrelease(ts, args.build / ts.with_suffix(".qm").name)
    sys.stderr.write(f"translations OK: {', '.join(p.name for p in paths)}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
