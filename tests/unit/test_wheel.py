"""`pip install` of a wheel (not `make`) ships the compiled zh/en catalogs and serves Chinese."""

import json
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD_FILES = ("pyproject.toml", "setup.py", "README.md", "LICENSE")
CATALOGS = {f"webapp/translations/{lang}/LC_MESSAGES/messages.mo" for lang in ("zh", "en")}

SERVE_ZH = textwrap.dedent("""
    import json, sys
    import webapp
    from webapp import create_app
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "INSTANCE_PATH": sys.argv[1],
                      "SAMPLE_PATH": sys.argv[2]})
    page = app.test_client().get("/parcels/nope?lang=zh")
    print(json.dumps({"package": webapp.__file__, "status": page.status_code,
                      "html": page.get_data(as_text=True)}))
""")


def fresh_checkout(target: Path) -> Path:
    """The files git knows (tracked or new, not ignored) that a build reads: no compiled .mo."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True, text=True, check=True).stdout
    for name in listed.splitlines():
        if (name in BUILD_FILES or name.startswith("webapp/")) and (ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(ROOT / name, target / name)
    assert not list(target.rglob("*.mo"))
    return target


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """A wheel built offline (no build isolation) from a fresh checkout."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = fresh_checkout(tmp / "src")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "--no-index", "-q", "-w", str(tmp / "dist"), str(source)],
                   cwd=tmp, check=True, capture_output=True, timeout=600)
    return next((tmp / "dist").glob("landgis-*.whl"))


@pytest.mark.slow
def test_wheel_ships_compiled_catalogs(wheel):
    with zipfile.ZipFile(wheel) as archive:
        assert set(archive.namelist()) >= CATALOGS


@pytest.mark.slow
def test_wheel_install_serves_chinese(wheel, tmp_path):
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q",
                    "--target", str(site), str(wheel)], check=True, capture_output=True)
    done = subprocess.run(
        [sys.executable, "-c", SERVE_ZH, str(tmp_path / "instance"),
         str(ROOT / "tests" / "data" / "small.geojson")],
        cwd=tmp_path, env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, check=True, timeout=300)
    served = json.loads(done.stdout.splitlines()[-1])
    assert served["package"].startswith(str(site))  # the installed copy, not the checkout
    assert served["status"] == 404 and "没有编号或序号为“nope”的公开地块" in served["html"]
