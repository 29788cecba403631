"""The layers stay visible: pure packages never import Flask; nothing runs at import time."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

WEBAPP = Path(__file__).resolve().parents[2] / "webapp"
PURE_PACKAGES = ("domain", "store", "importing", "maps", "tiles", "selection")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", [p for pkg in PURE_PACKAGES for p in (WEBAPP / pkg).rglob("*.py")],
                         ids=lambda p: str(p.relative_to(WEBAPP)))
def test_pure_module_does_not_import_flask(path):
    flask_imports = {m for m in imported_modules(path) if m.split(".")[0].startswith("flask")}
    assert not flask_imports, f"{path.name} imports {flask_imports}"


def test_importing_webapp_creates_no_app_and_no_store(tmp_path):
    instance = tmp_path / "instance"
    modules = ("webapp, webapp.cli, webapp.public.views, webapp.services, webapp.errors, "
               "webapp.api.views")
    result = subprocess.run([sys.executable, "-c", f"import {modules}"], capture_output=True,
                            text=True, env={"LANDGIS_INSTANCE_PATH": str(instance)})
    assert result.returncode == 0, result.stderr
    assert not instance.exists()
