"""The code keeps its shape: small modules, backends that do not know each other, no private
names reached across modules."""

import ast
from pathlib import Path

import pytest

from tests.unit.test_layers import WEBAPP, imported_modules

MAX_MODULE_LINES = 400
MODULES = sorted(WEBAPP.rglob("*.py"))
BACKENDS = ("geopackage", "postgis")


def rel(path: Path) -> str:
    return str(path.relative_to(WEBAPP))


@pytest.mark.parametrize("path", MODULES, ids=rel)
def test_module_stays_small(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{rel(path)} has {lines} lines: split it by concept"


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_store_backend_does_not_import_the_other(backend):
    other = next(b for b in BACKENDS if b != backend)
    for path in (WEBAPP / "store" / backend).rglob("*.py"):
        crossing = {m for m in imported_modules(path) if m.startswith(f"webapp.store.{other}")}
        assert not crossing, f"{rel(path)} imports {crossing}"


def test_shared_store_modules_import_no_backend():
    """What both backends share lives beside them and knows neither (the package's own
    __init__, which opens the configured backend, excepted)."""
    for path in (WEBAPP / "store").glob("*.py"):
        if path.name == "__init__.py":
            continue
        backends = {m for m in imported_modules(path)
                    if m.startswith(("webapp.store.geopackage", "webapp.store.postgis"))}
        assert not backends, f"{rel(path)} imports {backends}"


def private_imports(path: Path) -> list[str]:
    """`from module import _name` lines of a module (its own package's __init__ aside)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("webapp"):
            found += [f"{node.module}.{a.name}" for a in node.names
                      if a.name.startswith("_") and not a.name.startswith("__")]
    return found


@pytest.mark.parametrize("path", MODULES, ids=rel)
def test_no_private_name_is_imported_across_modules(path):
    assert not private_imports(path), f"{rel(path)} imports private names"


def test_no_store_state_is_made_behind_init():
    """Collaborators are made in __init__, not lazily through the instance __dict__."""
    for path in (WEBAPP / "store").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "self.__dict__" not in text, rel(path)
