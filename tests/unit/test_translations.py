"""Every UI string is translated to Chinese, with the same placeholders, and compiled."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "webapp" / "translations" / "zh" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def messages():
    with CATALOG.open("rb") as f:
        return [m for m in read_po(f) if m.id]


def first(value):
    return value[0] if isinstance(value, tuple) else value


@pytest.fixture(scope="module")
def extracted_ids(tmp_path_factory):
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F",
                    "babel.cfg", "-k", "N_", "-o", str(pot), "."], cwd=ROOT, check=True,
                   capture_output=True)
    with pot.open("rb") as f:
        return {first(m.id) for m in read_po(f) if m.id}


def test_translations_catalog_covers_every_source_string(extracted_ids):
    missing = extracted_ids - {first(m.id) for m in messages()}
    assert not missing, f"run scripts/update_translations.py and translate: {sorted(missing)}"


@pytest.mark.parametrize("message", messages(), ids=lambda m: first(m.id)[:40])
def test_translation_is_complete_and_keeps_placeholders(message):
    assert first(message.string), "untranslated"
    assert "fuzzy" not in message.flags
    assert set(PLACEHOLDER.findall(first(message.id))) == set(
        PLACEHOLDER.findall(first(message.string)))


def test_translations_compiled_catalog_is_current():
    compiled = CATALOG.with_suffix(".mo")
    assert compiled.exists(), "run `make translations`"
    assert compiled.stat().st_mtime >= CATALOG.stat().st_mtime, "run `make translations`"
