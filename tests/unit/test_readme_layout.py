"""The README's "How it is built" follows the tree: every package folder, every top-level module
of webapp/, every shared store module and every test folder is named there, and every path it
names exists."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WEBAPP = ROOT / "webapp"
SECTION = (ROOT / "README.md").read_text(encoding="utf-8").split("## How it is built")[1]
LAYOUT = re.search(r"```\n(.*?)```", SECTION, re.S).group(1)
DESCRIPTION_COLUMN = 16  # lines indented this far or more continue a description
PATH_ENDINGS = ("/", ".py", ".sh", ".toml", ".md", ".json", ".cfg")


def named_paths() -> set[str]:
    """The paths the layout names. An entry line starts (indented less than
    DESCRIPTION_COLUMN) with one or more paths, each relative to the last folder named at a
    smaller indent; the words after them describe it."""
    paths: set[str] = set()
    parents: list[tuple[int, str]] = []  # (indent, folder path)
    for line in LAYOUT.splitlines():
        indent = len(line) - len(line.lstrip())
        if not line.strip() or indent >= DESCRIPTION_COLUMN:
            continue
        parents = [(i, folder) for i, folder in parents if i < indent]
        base = parents[-1][1] if parents else ""
        entries = []
        for word in line.split():
            if not word.endswith(PATH_ENDINGS):
                break
            entries.append(base + word)
        paths.update(entries)
        if len(entries) == 1 and entries[0].endswith("/"):
            parents.append((indent, entries[0]))
    return paths


NAMED = named_paths()


def packages() -> list[str]:
    return sorted(f"{p.parent.relative_to(ROOT)}/" for p in WEBAPP.rglob("__init__.py")
                  if "__pycache__" not in p.parts)


@pytest.mark.parametrize("folder", packages())
def test_every_package_is_in_the_layout(folder):
    assert folder in NAMED, f"README 'How it is built' does not show {folder}"


@pytest.mark.parametrize("module", sorted(
    [f"webapp/{p.name}" for p in WEBAPP.glob("*.py") if p.name != "__init__.py"]
    + [f"webapp/store/{p.name}" for p in (WEBAPP / "store").glob("*.py")
       if p.name != "__init__.py"]))
def test_top_level_and_shared_store_modules_are_in_the_layout(module):
    assert module in NAMED, f"README 'How it is built' does not show {module}"


@pytest.mark.parametrize("folder", sorted(f"tests/{p.name}/" for p in (ROOT / "tests").iterdir()
                                          if p.is_dir() and p.name != "__pycache__"))
def test_every_test_folder_is_in_the_layout(folder):
    assert folder in NAMED, f"README 'How it is built' does not show {folder}"


@pytest.mark.parametrize("path", sorted(NAMED))
def test_every_path_in_the_layout_exists(path):
    assert (ROOT / path.rstrip("/")).exists(), f"README names {path}, which does not exist"
