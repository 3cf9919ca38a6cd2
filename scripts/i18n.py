#!/usr/bin/env python
"""Translation catalogues: extract, compile, check.

Each app keeps its own catalogue (``<app>/locale/zh_Hans/LC_MESSAGES/django.po``); the shell's strings and
the top-level templates live in ``locale/``. Source strings are English; Chinese is the default language.

    python scripts/i18n.py extract   # update every .po from the code and templates (needs GNU gettext)
    python scripts/i18n.py compile   # .po -> .mo (pure Python, no gettext needed); .mo files are committed
    python scripts/i18n.py check     # fail if a string is untranslated, fuzzy, or the .mo is out of date,
                                     # if Chinese text has ASCII punctuation, or if two catalogues translate
                                     # one string differently

``check`` runs in the test suite; ``extract`` runs in CI and must not change any msgid (git diff).
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
APPS = [
    "portal",
    "exchange",
    "accounts",
    "registration",
    "customs",
    "inspection",
    "forex",
    "tax_refund",
    "trade_statistics",
]
LANGUAGE = "zh_Hans"
IGNORE = [".venv/*", "var/*", "tests/*", "govmock/*", "bench/*", "docs/*", "scripts/*", "node_modules/*"]


def catalogues() -> list[Path]:
    found = [ROOT / "locale" / LANGUAGE / "LC_MESSAGES" / "django.po"]
    found += [
        ROOT / app / "locale" / LANGUAGE / "LC_MESSAGES" / "django.po" for app in APPS if app != "portal"
    ]
    return [p for p in found if p.exists()]


def extract() -> None:
    (ROOT / "locale").mkdir(exist_ok=True)
    for app in APPS:
        if app != "portal":
            (ROOT / app / "locale").mkdir(exist_ok=True)
    args = [
        sys.executable,
        "manage.py",
        "makemessages",
        "-l",
        LANGUAGE,
        "--no-obsolete",
        "--add-location=file",
    ]
    for pattern in IGNORE:
        args += ["--ignore", pattern]
    env = {**os.environ, "DEBUG": "true"}
    subprocess.run(args, cwd=ROOT, check=True, env=env)  # noqa: S603
    # The portal app's own strings go to the top-level catalogue (portal has no locale dir of its own).


def compile_all() -> None:
    for po_path in catalogues():
        po = polib.pofile(str(po_path))
        po.save_as_mofile(str(po_path.with_suffix(".mo")))
        print(f"compiled {po_path.relative_to(ROOT)} ({len(po.translated_entries())} strings)")


PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]")


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text.replace("%%", "")))


def _placeholder_problem(entry) -> str:
    """A translation must use exactly the placeholders of its source, or rendering it fails."""
    if entry.msgid_plural:
        wanted = _placeholders(entry.msgid_plural)
        texts = list(entry.msgstr_plural.values())
    else:
        wanted = _placeholders(entry.msgid)
        texts = [entry.msgstr]
    for text in texts:
        if _placeholders(text) != wanted:
            return f"placeholders {wanted} expected, found {_placeholders(text)}"
    return ""


HAN = r"[\u3400-\u9fff]"
PUNCTUATION = [
    ("ASCII punctuation beside Chinese", re.compile(rf"{HAN}[,;:!?]|[,;:!?]{HAN}")),
    ("ASCII full stop after Chinese", re.compile(rf"{HAN}\.(?!\d)")),
    ("ASCII parenthesis beside Chinese", re.compile(rf"{HAN}\(|\){HAN}")),
    ("doubled full stop", re.compile(r"。。")),
]


def _punctuation_problem(entry) -> str:
    """Chinese text uses Chinese punctuation (a placeholder stands for Chinese text)."""
    for text in [entry.msgstr, *entry.msgstr_plural.values()]:
        prose = PLACEHOLDER.sub("某", text)
        for name, pattern in PUNCTUATION:
            if pattern.search(prose):
                return f"{name} in {text!r}"
    return ""


def _disagreements(translations: dict) -> list[str]:
    """One msgid (and context) has one translation: Django merges the catalogues into one, so a second
    translation is silently ignored and the same term reads differently from what its app meant."""
    found = []
    for (context, msgid), by_catalogue in translations.items():
        if len(set(by_catalogue.values())) > 1:
            where = "; ".join(f"{rel}: {text!r}" for rel, text in sorted(by_catalogue.items()))
            label = f"{context}|{msgid}" if context else msgid
            found.append(f"translated differently in two catalogues: {label!r} ({where})")
    return found


def problems() -> list[str]:
    found = []
    translations: dict = {}
    for po_path in catalogues():
        rel = po_path.relative_to(ROOT)
        po = polib.pofile(str(po_path))
        for entry in po:
            if entry.obsolete:
                continue
            problem = _entry_problem(entry)
            if problem:
                found.append(f"{rel}: {problem}: {entry.msgid!r}")
            if entry.translated():
                text = entry.msgstr or repr(sorted(entry.msgstr_plural.items()))
                translations.setdefault((entry.msgctxt, entry.msgid), {})[str(rel)] = text
        found += _compiled_problems(po_path, po, rel)
    return found + _disagreements(translations)


def _entry_problem(entry) -> str:
    """What is wrong with one catalogue entry ("" when nothing)."""
    if "fuzzy" in entry.flags:
        return "fuzzy"
    if not entry.translated():
        return "untranslated"
    return _placeholder_problem(entry) or _punctuation_problem(entry) or ""


def _compiled_problems(po_path: Path, po, rel: Path) -> list[str]:
    """The catalogue's .mo exists and holds every translated entry as the .po has it."""
    mo_path = po_path.with_suffix(".mo")
    if not mo_path.exists():
        return [f"{rel}: no compiled .mo (run: python scripts/i18n.py compile)"]
    compiled = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in polib.mofile(str(mo_path))
    }
    for entry in po.translated_entries():
        key = (entry.msgctxt, entry.msgid)
        if key not in compiled or compiled[key] != (entry.msgstr, tuple(sorted(entry.msgstr_plural.items()))):
            return [f"{rel}: .mo is out of date (run: python scripts/i18n.py compile)"]
    return []


def main() -> int:
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    if command == "extract":
        extract()
    elif command == "compile":
        compile_all()
    elif command == "check":
        issues = problems()
        for issue in issues:
            print(issue)
        return 1 if issues else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
