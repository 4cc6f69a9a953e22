"""The package's layers are checked, not only stated: the core never imports Streamlit or the UI, each layer imports
only those below it, figures never import an engine, and no module of the core is in an import cycle. Each check is
also shown to fail on a planted fault."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

LINT = Path(sys.executable).with_name("lint-imports")


def _lint(root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([str(LINT), "--config", str(root / ".importlinter"), "--no-cache"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=300)


def _copy(tmp_path: Path) -> Path:
    """The two packages and the contract, copied, so a fault can be planted without touching the tree."""
    root = tmp_path / "copy"
    for name in ("trends", "components"):
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / ".importlinter", root / ".importlinter")
    return root


_CYCLES = """
import json, sys, grimp
graph = grimp.build_graph(sys.argv[1], cache_dir=None)
pairs = {tuple(sorted((m, n))) for m in graph.modules for n in graph.find_modules_directly_imported_by(m)
         if graph.chain_exists(importer=n, imported=m)}
print(json.dumps(sorted(pairs)))
"""


def cycles(package: str, root: Path) -> list[tuple[str, str]]:
    """Pairs of modules of `package` (as found under `root`) that import each other, directly or through others.
    In a process of its own, so that the package under `root` is the one read, not the one this test imported."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    out = subprocess.run([sys.executable, "-c", _CYCLES, package], cwd=root, env=env, capture_output=True, text=True,
                         timeout=300, check=True)
    return [tuple(pair) for pair in json.loads(out.stdout)]


def test_the_import_contract_is_kept():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


@pytest.mark.parametrize("planted", ["import streamlit as st\n", "from components import common\n"])
def test_the_contract_fails_on_a_forbidden_import(tmp_path, planted):
    root = _copy(tmp_path)
    with open(root / "trends" / "wording.py", "a", encoding="utf-8") as f:
        f.write(planted)
    result = _lint(root)
    assert result.returncode != 0 and "BROKEN" in result.stdout
    assert "trends.wording ->" in result.stdout


@pytest.mark.parametrize("where, planted, broken", [
    # A lower layer reaching up: the data contract importing an analysis.
    ("contract/vocab.py", "from trends.analysis import reported\n", "Each layer of the core imports only the layers"),
    # A figure reaching for an engine instead of being handed its frame.
    ("figures/base.py", "from trends.engines import queries\n", "Figures are drawn from frames"),
])
def test_the_layers_fail_on_an_import_that_goes_the_wrong_way(tmp_path, where, planted, broken):
    root = _copy(tmp_path)
    with open(root / "trends" / where, "a", encoding="utf-8") as f:
        f.write(planted)
    result = _lint(root)
    assert result.returncode != 0
    assert f"{broken}" in result.stdout and "BROKEN" in result.stdout


def test_no_module_of_the_core_is_in_a_cycle():
    assert cycles("trends", ROOT) == []


def test_a_planted_cycle_is_found(tmp_path):
    root = _copy(tmp_path)
    # trends.wording imports trends.filters; the reverse import closes a cycle.
    with open(root / "trends" / "filters.py", "a", encoding="utf-8") as f:
        f.write("from . import wording  # noqa: planted for the test\n")
    assert ("trends.filters", "trends.wording") in cycles("trends", root)
