"""Cached access to the dataset and to query results, keyed on plain values only."""

from __future__ import annotations

import json
import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import streamlit as st

from trends.boundaries import load_boundaries
from trends.brief import brief
from trends.engine import points
from trends.filters import Domain, FilterSpec
from trends.loading import Dataset, data_dir, load_dataset
from trends.alerts import alerts
from trends.reported import in_range
from trends.sources import sources_table

from .common import escape_md


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
    return _load(folder, folder_signature(Path(folder)))


@st.cache_resource(max_entries=2, show_spinner="Preparing the query engine...")
def _engine(folder: str, signature: tuple):
    return _load(folder, signature).engine()


def engine():
    """The dataset's query engine, shared by all sessions (DuckDB for Parquet imports, pandas otherwise)."""
    return _engine(*key())


@st.cache_data(max_entries=4)
def _domain(folder: str, signature: tuple) -> Domain:
    return _engine(folder, signature).domain(_load(folder, signature).provinces)


def domain() -> Domain:
    return _domain(*key())


def key() -> tuple[str, tuple]:
    folder = current_folder()
    return folder, folder_signature(Path(folder))


# Each query's result is small (aggregates, or a bounded listing), so caching many of them is cheap.
@st.cache_data(max_entries=512, show_spinner=False)
def _query(folder: str, signature: tuple, name: str, spec: FilterSpec, extra: tuple = ()):
    events = _engine(folder, signature)
    if name == "points":
        return points(events, spec, *extra)
    if name == "brief":
        loaded = _load(folder, signature)
        figures = in_range(loaded.attack_counts, loaded.casualties, spec.start, spec.end)
        return brief(events, loaded.meetings, spec, dataset_title=extra[0], base_url=extra[1],
                     first=_domain(folder, signature).first, reported_figures=figures, selection=loaded.selection)
    if name == "alerts":
        return alerts(events, list(_load(folder, signature).provinces["province"]), spec, extra[0])
    if name == "sources":
        return sources_table(_load(folder, signature), events, spec)
    if name in ("summary", "totals", "events", "count", "daily", "grid"):
        return getattr(events, name)(spec, *extra)
    raise ValueError(name)


def query(name: str, spec: FilterSpec, *extra):
    """A cached query result for the current dataset; the key is the folder, its files and the spec."""
    return _query(*key(), name, spec, tuple(extra))


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


def prefetch(name: str, spec: FilterSpec, *extra) -> bool:
    """Start a query on another thread while the page draws (DuckDB works outside Python's lock, on the other
    core). The page's own query() for it later waits for the same cache entry, which Streamlit computes once.
    Returns False when every slot is taken (nothing is queued then)."""
    if not _slots.acquire(blocking=False):
        return False
    args = (*key(), name, spec, tuple(extra))

    def run() -> None:
        # No session's script context is attached: the cached query needs none, and a pool thread that serves
        # every session must not carry one session's context into the next job.
        try:
            _query(*args)
        except Exception:  # the page's own query() meets the same error and reports it to the reader
            log.warning("prefetch of %s failed", name, exc_info=True)
        finally:
            _slots.release()

    _background().submit(run)
    return True


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
                st.warning(escape_md(f"Province outlines from {path.name} could not be read ({err}); showing "
                                     "bubbles instead."))
                return None
    return None
