"""The README stays true: every setting is in its table, the quick start has two commands."""

import re
from pathlib import Path

import pytest

from webapp.config import SETTINGS

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_readme_documents_setting(setting):
    assert f"| `LANDGIS_{setting.name}` |" in README


def test_readme_quick_start_has_exactly_two_commands():
    quick_start = README.split("## Quick start")[1].split("##")[0]
    block = re.search(r"```sh\n(.*?)```", quick_start, re.S).group(1)
    assert [line.split()[0:2] for line in block.strip().splitlines()] == [["make", "run"],
                                                                           ["make", "test"]]


def test_ci_runs_the_readme_test_command():
    ci = (Path(__file__).resolve().parents[2] / ".ci" / "run").read_text()
    assert "make test" in ci
