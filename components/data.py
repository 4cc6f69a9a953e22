"""Cached access to the dataset and to query results, keyed on plain values only."""

from __future__ import annotations

import json
import os
from pathlib import Path

import streamlit as st

from trends import queries
from trends.boundaries import load_boundaries
from trends.filters import Domain, FilterSpec
from trends.loading import Dataset, data_dir, load_dataset


def folder_signature(folder: Path) -> tuple:
    """Names, sizes and modification times: a changed file gives a new cache key."""
    if not folder.is_dir():
        return ()
    return tuple(sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir() if p.is_file()))


@st.cache_data(max_entries=4, show_spinner="Loading the dataset...")
def _load(folder: str, signature: tuple) -> Dataset:
    return load_dataset(folder)


def load_cached(folder: str, signature: tuple) -> Dataset:
    return _load(folder, signature)


def current_folder() -> str:
    return str(st.session_state.get("dataset_folder") or data_dir())


def dataset() -> Dataset:
    folder = current_folder()
    return _load(folder, folder_signature(Path(folder)))


@st.cache_data(max_entries=4)
def _domain(folder: str, signature: tuple) -> Domain:
    data = _load(folder, signature)
    return queries.domain_of(data.attacks, data.provinces)


def domain() -> Domain:
    folder = current_folder()
    return _domain(folder, folder_signature(Path(folder)))


def key() -> tuple[str, tuple]:
    folder = current_folder()
    return folder, folder_signature(Path(folder))


@st.cache_data(max_entries=256)
def _query(folder: str, signature: tuple, name: str, spec: FilterSpec, extra: tuple = ()):
    data = _load(folder, signature)
    if name == "totals":
        return queries.totals(data.attacks, spec)
    if name == "trend":
        return queries.trend(data.attacks, spec, *extra)
    if name == "breakdown":
        return queries.breakdown(data.attacks, spec, *extra)
    if name == "province_totals":
        return queries.province_totals(data.attacks, data.provinces, spec)
    if name == "events":
        return queries.filter_events(data.attacks, spec)
    raise ValueError(name)


def query(name: str, spec: FilterSpec, *extra):
    """A cached query result for the current dataset; the key is the folder, its files and the spec."""
    return _query(*key(), name, spec, tuple(extra))


@st.cache_data(max_entries=4)
def _boundaries(path: str, mtime: int, folder: str, signature: tuple):
    data = _load(folder, signature)
    return load_boundaries(Path(path), data.gazetteer)


def boundaries():
    """Province outlines from boundaries.geojson in the dataset folder or TRENDS_BOUNDARIES, if any."""
    folder, signature = key()
    candidates = [Path(folder) / "boundaries.geojson"]
    if os.environ.get("TRENDS_BOUNDARIES"):
        candidates.insert(0, Path(os.environ["TRENDS_BOUNDARIES"]).expanduser())
    for path in candidates:
        if path.is_file():
            try:
                return _boundaries(str(path), path.stat().st_mtime_ns, folder, signature)
            except (ValueError, KeyError, json.JSONDecodeError) as err:
                st.warning(f"Province outlines from {path} could not be read ({err}); showing bubbles instead.")
                return None
    return None
