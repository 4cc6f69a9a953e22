"""Shared fixtures: the small synthetic dataset and helpers to break copies of it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from trends.loading import load_dataset

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT / "tests" / "fixtures" / "small"
DATA = ROOT / "data"
REFERENCE = ROOT.parent / "shared" / "reference"


@pytest.fixture(scope="session")
def small():
    return load_dataset(SMALL)


@pytest.fixture(scope="session")
def bundled():
    return load_dataset(DATA)


@pytest.fixture
def small_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "ds"
    shutil.copytree(SMALL, folder)
    return folder
