"""Cached access to the dataset and to query results, keyed on plain values only."""

from __future__ import annotations

import json
import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import streamlit as st

import pandas as pd

from trends.alerts import AlertSpec, alerts
from trends.boundaries import load_boundaries
from trends.brief import brief
from trends.engine import Summary
from trends.filters import Domain, FilterSpec
from trends.loading import Dataset, data_dir, load_dataset
from trends.map_cells import MapLayer, layer_rows
from trends.queries import Totals
from trends.reported import in_range
from trends.sources import sources_table

from .common import escape_md


def folder_signature(folder: Path) -> tuple:
    """Names, sizes and modification times: a changed file gives a new cache key."""
    if not folder.is_dir():
        return ()
    return tuple(sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir() if p.is_file()))


# One read-only Dataset per folder version, shared by every session as it is (no copy per call): nothing
# changes a loaded dataset's frames.
@st.cache_resource(max_entries=4, show_spinner="Loading the dataset...")
def dataset_of(folder: str, signature: tuple) -> Dataset:
    return load_dataset(folder)


def datasets_root() -> Path:
    """Where imported dataset folders stand: TRENDS_DATASETS_DIR, else datasets/ beside app.py."""
    return Path(os.environ.get("TRENDS_DATASETS_DIR") or Path(__file__).resolve().parent.parent / "datasets")


def available() -> dict[str, str]:
    """Label -> folder for the default dataset and every dataset folder under datasets/."""
    found = {f"Default ({data_dir().name}/)": str(data_dir())}
    root = datasets_root()
    if root.is_dir():
        for folder in sorted(p for p in root.iterdir() if (p / "provinces.csv").is_file()):
            found[folder.name] = str(folder.resolve())
    return found


def current_folder() -> str:
    return str(st.session_state.get("dataset_folder") or data_dir())


def dataset() -> Dataset:
    folder = current_folder()
    return dataset_of(folder, folder_signature(Path(folder)))


@st.cache_resource(max_entries=2, show_spinner="Preparing the query engine...")
def _engine(folder: str, signature: tuple):
    return dataset_of(folder, signature).engine()


def engine():
    """The dataset's query engine, shared by all sessions (DuckDB for Parquet imports, pandas otherwise)."""
    return _engine(*key())


@st.cache_data(max_entries=4)
def _domain(folder: str, signature: tuple) -> Domain:
    return _engine(folder, signature).domain(dataset_of(folder, signature).provinces)


def domain() -> Domain:
    return _domain(*key())


def key() -> tuple[str, tuple]:
    folder = current_folder()
    return folder, folder_signature(Path(folder))


# Cached query results for the current dataset, one typed function each. Each takes the dataset's key (folder and
# file signature) and only the values its result depends on; results are small (aggregates, or a bounded
# listing), so caching many of them is cheap.
@st.cache_data(max_entries=512, show_spinner=False)
def summary_of(folder: str, signature: tuple, spec: FilterSpec, by: str | None) -> Summary:
    return _engine(folder, signature).summary(spec, by)


@st.cache_data(max_entries=512, show_spinner=False)
def totals_of(folder: str, signature: tuple, spec: FilterSpec) -> Totals:
    return _engine(folder, signature).totals(spec)


@st.cache_data(max_entries=256, show_spinner=False)
def events_of(folder: str, signature: tuple, spec: FilterSpec, limit: int, deadliest: bool) -> pd.DataFrame:
    return _engine(folder, signature).events(spec, limit=limit, deadliest=deadliest)


@st.cache_data(max_entries=256, show_spinner=False)
def count_of(folder: str, signature: tuple, spec: FilterSpec) -> int:
    return _engine(folder, signature).count(spec)


@st.cache_data(max_entries=64, show_spinner=False)
def daily_of(folder: str, signature: tuple, spec: FilterSpec) -> pd.DataFrame:
    return _engine(folder, signature).daily(spec)


@st.cache_data(max_entries=256, show_spinner=False)
def map_rows_of(folder: str, signature: tuple, spec: FilterSpec, layer: MapLayer) -> pd.DataFrame | None:
    return layer_rows(_engine(folder, signature), spec, layer)


@st.cache_data(max_entries=128, show_spinner=False)
def brief_of(folder: str, signature: tuple, spec: FilterSpec, dataset_title: str, base_url: str | None) -> dict:
    loaded = dataset_of(folder, signature)
    figures = in_range(loaded.attack_counts, loaded.casualties, spec.start, spec.end)
    return brief(_engine(folder, signature), loaded.meetings, spec, dataset_title=dataset_title, base_url=base_url,
                 first=_domain(folder, signature).first, reported_figures=figures, selection=loaded.selection)


@st.cache_data(max_entries=64, show_spinner=False)
def alerts_of(folder: str, signature: tuple, spec: FilterSpec, at: AlertSpec) -> pd.DataFrame:
    return alerts(_engine(folder, signature), list(dataset_of(folder, signature).provinces["province"]), spec, at)


@st.cache_data(max_entries=64, show_spinner=False)
def sources_of(folder: str, signature: tuple, spec: FilterSpec) -> pd.DataFrame:
    return sources_table(dataset_of(folder, signature), _engine(folder, signature), spec)


def summary(spec: FilterSpec, by: str | None = None) -> Summary:
    return summary_of(*key(), spec, by)


def totals(spec: FilterSpec) -> Totals:
    return totals_of(*key(), spec)


def events(spec: FilterSpec, limit: int, deadliest: bool = False) -> pd.DataFrame:
    return events_of(*key(), spec, limit, deadliest)


def count(spec: FilterSpec) -> int:
    return count_of(*key(), spec)


def daily(spec: FilterSpec) -> pd.DataFrame:
    return daily_of(*key(), spec)


def map_rows(spec: FilterSpec, layer: MapLayer) -> pd.DataFrame | None:
    return map_rows_of(*key(), spec, layer)


def brief_result(spec: FilterSpec, dataset_title: str, base_url: str | None) -> dict:
    return brief_of(*key(), spec, dataset_title, base_url)


def alerts_table(spec: FilterSpec, at: AlertSpec) -> pd.DataFrame:
    return alerts_of(*key(), spec, at)


def sources(spec: FilterSpec) -> pd.DataFrame:
    return sources_of(*key(), spec)


# At most this many prefetches wait or run at once, whatever the number of readers: beyond it a page simply runs
# its own query in turn, so a crowd cannot queue work without bound.
PREFETCH_SLOTS = 4
_slots = threading.BoundedSemaphore(PREFETCH_SLOTS)
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()
log = logging.getLogger(__name__)


def _background() -> ThreadPoolExecutor:
    """The prefetch threads, made on first use rather than when the module is imported."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="trends-prefetch")
        return _pool


def prefetch(cached, *args) -> bool:
    """Start a query on another thread while the page draws (DuckDB works outside Python's lock, on the other
    core): `cached` is one of the *_of functions above, given the arguments after the dataset's key. The page's
    own call later waits for the same cache entry, which Streamlit computes once.
    Returns False when every slot is taken (nothing is queued then)."""
    if not _slots.acquire(blocking=False):
        return False
    args = (*key(), *args)  # read here: the pool thread has no session to read the dataset's key from

    def run() -> None:
        # No session's script context is attached: the cached query needs none, and a pool thread that serves
        # every session must not carry one session's context into the next job.
        try:
            cached(*args)
        except Exception:  # the page's own call meets the same error and reports it to the reader
            log.warning("prefetch of %s failed", cached.__name__, exc_info=True)
        finally:
            _slots.release()

    _background().submit(run)
    return True


@st.cache_data(max_entries=4)
def _boundaries(path: str, mtime: int, folder: str, signature: tuple):
    data = dataset_of(folder, signature)
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
                st.warning(escape_md(f"Province outlines from {path.name} could not be read ({err}); showing "
                                     "bubbles instead."))
                return None
    return None
