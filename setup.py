"""Build hook: every wheel ships the compiled zh/en message catalogs (.po → .mo).

The catalogs are compiled with babel (a build requirement in pyproject.toml) into the build
folder, so `pip install .` serves Chinese without `make translations`; the source tree's .mo
files (gitignored, made by `make translations` for editable installs) are not needed.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

TRANSLATIONS = Path(__file__).resolve().parent / "webapp" / "translations"


class BuildPyWithCatalogs(build_py):
    """build_py that also compiles each webapp/translations/*/LC_MESSAGES/messages.po."""

    def run(self) -> None:
        super().run()
        for po_path in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/*.po")):
            target = Path(self.build_lib) / po_path.relative_to(TRANSLATIONS.parent.parent)
            compile_catalog(po_path, target.with_suffix(".mo"))


def compile_catalog(po_path: Path, mo_path: Path) -> None:
    """Compile one catalog as `pybabel compile` does (fuzzy entries left out)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=po_path.parent.parent.name)
    mo_path.parent.mkdir(parents=True, exist_ok=True)
    with mo_path.open("wb") as mo_file:
        write_mo(mo_file, catalog)


setup(cmdclass={"build_py": BuildPyWithCatalogs})
