"""Extract UI strings into webapp/translations/messages.pot and merge them into the zh/en catalogs.

Run after changing user-facing text; then translate the new empty zh entries and run
`make translations` (which compiles the .mo files). Untranslated entries fail the tests.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "webapp" / "translations"
POT = TRANSLATIONS / "messages.pot"


def run(*args: str) -> None:
    """Run pybabel with the given arguments from the repository root."""
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], cwd=ROOT, check=True)


def main() -> None:
    """Extract, then create or update each language's catalog."""
    run("extract", "-F", "babel.cfg", "-k", "N_", "--no-location", "--sort-output",
        "-o", str(POT), ".")
    for language in ("zh", "en"):
        po = TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"
        command = "update" if po.exists() else "init"
        run(command, "-i", str(POT), "-d", str(TRANSLATIONS), "-l", language, "--no-wrap")
    print(f"catalogs updated from {POT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
