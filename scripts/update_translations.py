"""Extract UI strings, merge them into the zh/en catalogs, optionally fill zh, then compile.

    python scripts/update_translations.py                 # extract + merge + compile
    python scripts/update_translations.py --fill new.json # also fill zh from {"msgid": "译文"}

After a plain run, translate the new empty entries of webapp/translations/zh/LC_MESSAGES/
messages.po (or pass them with --fill). Untranslated or fuzzy entries fail the tests.
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "webapp" / "translations"
POT = TRANSLATIONS / "messages.pot"
ZH_CATALOG = TRANSLATIONS / "zh" / "LC_MESSAGES" / "messages.po"


def run(*args: str) -> None:
    """Run pybabel with the given arguments from the repository root."""
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", *args], cwd=ROOT,
                   check=True)


def extract_and_merge() -> None:
    """Extract every marked string into the .pot and merge it into each language's catalog."""
    run("extract", "-F", "babel.cfg", "-k", "N_", "--no-location", "--sort-output",
        "-o", str(POT), ".")
    for language in ("zh", "en"):
        po = TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"
        command = "update" if po.exists() else "init"
        run(command, "-i", str(POT), "-d", str(TRANSLATIONS), "-l", language, "--no-wrap",
            *(["--no-fuzzy-matching"] if command == "update" else []))


def fill_chinese(translations: dict[str, str]) -> list[str]:
    """Set zh translations from a msgid → text dict; returns msgids still untranslated."""
    with ZH_CATALOG.open("rb") as f:
        catalog = read_po(f)
    missing = []
    for message in catalog:
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if key in translations:
            text = translations[key]
            message.string = (text,) if isinstance(message.id, tuple) else text
            message.flags.discard("fuzzy")
        current = message.string[0] if isinstance(message.string, tuple) else message.string
        if not current or "fuzzy" in message.flags:
            missing.append(key)
    with ZH_CATALOG.open("wb") as f:
        write_po(f, catalog, width=0)
    return missing


def main() -> None:
    """Extract, merge, fill (optional) and compile."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fill", type=Path, help="JSON object of msgid → Chinese translation")
    args = parser.parse_args()
    extract_and_merge()
    translations = json.loads(args.fill.read_text(encoding="utf-8")) if args.fill else {}
    missing = fill_chinese(translations)
    run("compile", "-d", str(TRANSLATIONS))
    for msgid in missing:
        print(f"untranslated: {msgid}")
    print(f"catalogs updated; {len(missing)} zh entries still need a translation")


if __name__ == "__main__":
    main()
