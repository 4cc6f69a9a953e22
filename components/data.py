"""Cached access to the dataset and to query results, keyed on plain values only."""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import streamlit as st

from trends.analysis.alerts import AlertSpec, alerts
from trends.analysis.brief import brief
from trends.analysis.compare import comparison_rows
from trends.engines.base import Summary
from trends.filters import Domain, FilterSpec
from trends.analysis.headline import Headline, headline
from trends.dataset.loading import Dataset, data_dir, load_dataset
from trends.engines.map_cells import MapLayer, layer_rows
from trends.engines.queries import Totals
from trends.analysis.reported import catalogue, in_range
from trends.dataset.boundaries import boundary_files, find_boundaries
from trends.analysis.sources import sources_table
from trends.engines.open import engine_of

from .common import escape_md


# A page asks for the dataset's key a dozen times a run, and many readers run at once: the folder is looked at
# again after this many seconds, so an edited file still reaches the next rerun.
SIGNATURE_SECONDS = 1.0
_signatures: dict[str, tuple[float, str]] = {}


def folder_signature(folder: Path) -> str:
    """A digest of the folder's file names, sizes and modification times: a changed file gives a new cache key."""
    now = time.monotonic()
    seen = _signatures.get(str(folder))
    if seen and now - seen[0] < SIGNATURE_SECONDS:
        return seen[1]
    listing = sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir() if p.is_file()) \
        if folder.is_dir() else []
    digest = hashlib.sha1(repr(listing).encode()).hexdigest()
    _signatures[str(folder)] = (now, digest)
    return digest


# One read-only Dataset per folder version, shared by every session as it is (no copy per call): nothing
# changes a loaded dataset's frames.
@st.cache_resource(max_entries=4, show_spinner="Loading the dataset...")
def dataset_of(folder: str, signature: str) -> Dataset:
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
    return str(st.session_state.get("dataset_folder") or _default_folder(os.environ.get("TRENDS_DATA_DIR")))


@functools.lru_cache(maxsize=8)
def _default_folder(configured: str | None) -> str:
    # Resolving the path touches the disk; a page asks for it a dozen times a run.
    return str(data_dir(configured))


def dataset() -> Dataset:
    folder = current_folder()
    return dataset_of(folder, folder_signature(Path(folder)))


@st.cache_resource(max_entries=2, show_spinner="Preparing the query engine...")
def _engine(folder: str, signature: str):
    return engine_of(dataset_of(folder, signature))


def engine():
    """The dataset's query engine, shared by all sessions (DuckDB for Parquet imports, pandas otherwise)."""
    return _engine(*key())


@st.cache_data(max_entries=4)
def domain_of(folder: str, signature: str) -> Domain:
    loaded = dataset_of(folder, signature)
    return loaded.view_domain(_engine(folder, signature))


def domain() -> Domain:
    return domain_of(*key())


def key() -> tuple[str, str]:
    folder = current_folder()
    return folder, folder_signature(Path(folder))


# Cached query results for the current dataset, one typed function each. Each takes the dataset's key (folder and
# file signature) and only the values its result depends on; results are small (aggregates, or a bounded
# listing), so caching many of them is cheap.
@st.cache_data(max_entries=512, show_spinner=False)
def summary_of(folder: str, signature: str, spec: FilterSpec, by: str | None) -> Summary:
    return _engine(folder, signature).summary(spec, by)


@st.cache_data(max_entries=512, show_spinner=False)
def totals_of(folder: str, signature: str, spec: FilterSpec) -> Totals:
    return _engine(folder, signature).totals(spec)


@st.cache_data(max_entries=256, show_spinner=False)
def events_of(folder: str, signature: str, spec: FilterSpec, limit: int, deadliest: bool) -> pd.DataFrame:
    return _engine(folder, signature).events(spec, limit=limit, deadliest=deadliest)


@st.cache_data(max_entries=256, show_spinner=False)
def count_of(folder: str, signature: str, spec: FilterSpec) -> int:
    return _engine(folder, signature).count(spec)


@st.cache_data(max_entries=64, show_spinner=False)
def daily_of(folder: str, signature: str, spec: FilterSpec) -> pd.DataFrame:
    return _engine(folder, signature).daily(spec)


@st.cache_data(max_entries=256, show_spinner=False)
def map_rows_of(folder: str, signature: str, spec: FilterSpec, layer: MapLayer) -> pd.DataFrame | None:
    return layer_rows(_engine(folder, signature), spec, layer)


@st.cache_data(max_entries=128, show_spinner=False)
def brief_of(folder: str, signature: str, spec: FilterSpec, dataset_title: str, base_url: str | None) -> dict:
    loaded = dataset_of(folder, signature)
    figures = reported_rows_of(folder, signature, spec.start, spec.end)
    return brief(_engine(folder, signature), loaded.meetings, spec, dataset_title=dataset_title, base_url=base_url,
                 first=domain_of(folder, signature).first, reported_figures=figures, selection=loaded.selection)


@st.cache_data(max_entries=64, show_spinner=False)
def alerts_of(folder: str, signature: str, spec: FilterSpec, at: AlertSpec) -> pd.DataFrame:
    return alerts(_engine(folder, signature), list(dataset_of(folder, signature).provinces["province"]), spec, at)


@st.cache_data(max_entries=64, show_spinner=False)
def sources_of(folder: str, signature: str, spec: FilterSpec) -> pd.DataFrame:
    return sources_table(dataset_of(folder, signature), _engine(folder, signature), spec)


@st.cache_data(max_entries=128, show_spinner=False)
def comparison_rows_of(folder: str, signature: str, spec: FilterSpec) -> pd.DataFrame:
    """The view against the previous period and the same period a year earlier (compare.comparison_rows)."""
    return comparison_rows(spec, totals_of(folder, signature, spec), totals_of(folder, signature, spec.previous()),
                           totals_of(folder, signature, spec.year_earlier()), domain_of(folder, signature).first)


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


def boundary_key(folder: str) -> tuple:
    """The outline files that apply and their modification times: an edited file gives a new cache key."""
    return tuple((str(p), p.stat().st_mtime_ns) for p in boundary_files(Path(folder)))


# Read-only and shared by every session as it is: a copy per reader would cost more than drawing it.
@st.cache_resource(max_entries=4, show_spinner=False)
def boundaries_of(folder: str, signature: str, files: tuple):
    """(outlines or None, the reason they could not be read or None)."""
    loaded = dataset_of(folder, signature)
    return find_boundaries(loaded.folder, loaded.gazetteer)


def boundaries():
    """Province outlines from TRENDS_BOUNDARIES or the dataset folder's boundaries.geojson, if any; a file that
    cannot be read is named in a notice and the map falls back to bubbles."""
    folder, signature = key()
    outlines, problem = boundaries_of(folder, signature, boundary_key(folder))
    if problem:
        st.warning(escape_md(problem))
    return outlines


@st.cache_resource(max_entries=4, show_spinner=False)
def catalogue_of(folder: str, signature: str) -> list:
    """The reported series of the dataset (reported.catalogue), shared read-only."""
    loaded = dataset_of(folder, signature)
    return catalogue(loaded.attack_counts, loaded.casualties)


@st.cache_data(max_entries=256, show_spinner=False)
def headline_of(folder: str, signature: str, start, end, series_key: str, filtered: bool = False) -> Headline:
    series = next(s for s in catalogue_of(folder, signature) if s.key == series_key)
    return headline(series, reported_rows_of(folder, signature, start, end), start, end, filtered)


@st.cache_data(max_entries=256, show_spinner=False)
def reported_rows_of(folder: str, signature: str, start, end) -> pd.DataFrame:
    """Every reported total whose period meets [start, end] (reported.in_range)."""
    loaded = dataset_of(folder, signature)
    return in_range(loaded.attack_counts, loaded.casualties, start, end)
