"""Write an imported dataset folder atomically: build it in a temporary sibling, then swap it into place."""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from trends.contract import vocab
from trends.dataset.loading import DEFAULT_DATA_DIR
from trends.dataset.parquet_out import write_attacks_parquet

PARQUET_ABOVE = 100_000  # rows; large imports write attacks.parquet (docs/data.md)
DATE_COLUMNS = ("date", "end_date")
COUNT_COLUMNS = ("killed", "wounded", "killed_low", "killed_high")
COORDINATE_COLUMNS = ("latitude", "longitude")
DATASET_FILES = ("attacks.csv", "attacks.parquet", "datapackage.json")


class OutputError(Exception):
    """The output folder cannot be written or replaced."""


def _coordinates_text(s: pd.Series) -> pd.Series:
    # Fixed notation, because the validator reads decimals as digits and a point (no 1e-05).
    text = pd.Series(np.char.mod("%.6f", s.fillna(0).to_numpy()), index=s.index, dtype="str")
    return text.str.rstrip("0").str.rstrip(".").where(s.notna())


def write_attacks_csv(attacks: pd.DataFrame, path: Path) -> None:
    blank = [c for c in vocab.CURATION_COLUMNS if c in attacks and attacks[c].isna().all()]
    out = attacks.drop(columns=blank)
    for col in DATE_COLUMNS:
        if col in out:
            out[col] = pd.to_datetime(out[col]).dt.strftime("%Y-%m-%d")
    for col in COORDINATE_COLUMNS:
        out[col] = _coordinates_text(out[col])
    out.to_csv(path, index=False, lineterminator="\n")


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    return False


def _swap_in(new: Path, out: Path) -> None:
    if not out.exists():
        os.rename(new, out)
        return
    if _exchange(new, out):
        shutil.rmtree(new)  # `new` now holds the old folder
        return
    # Two renames leave a moment with no folder at `out`; _recover puts the old one back after a crash there.
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    os.rename(out, old)
    try:
        os.rename(new, out)
    except OSError:
        os.rename(old, out)
        raise
    shutil.rmtree(old)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _recover(out: Path) -> None:
    """Tidy what a killed import left beside `out`: its temporary folder, or the old folder mid-swap."""
    prefix = f".{out.name}."
    for left in [p for p in out.parent.iterdir() if p.name.startswith(prefix)]:
        kind, _, rest = left.name[len(prefix):].partition("-")
        pid = rest.split("-", 1)[0]
        if kind not in ("tmp", "old") or not pid.isdigit() or _alive(int(pid)):
            continue
        if kind == "old" and not out.exists():
            os.rename(left, out)
        else:
            shutil.rmtree(left, ignore_errors=True)


def check_target(out: Path) -> None:
    """Refuse to replace the curated data/ or a folder that is not a dataset folder."""
    if out.resolve() == DEFAULT_DATA_DIR.resolve():
        raise OutputError(f"{out}: the bundled data/ is curated by hand; import into another folder")
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not any((out / n).exists() for n in DATASET_FILES):
        raise OutputError(f"{out}: exists and is not a dataset folder; refusing to replace it")


def write_dataset(out: Path, attacks: pd.DataFrame, provinces: pd.DataFrame | None, package: dict,
                  parquet_above: int = PARQUET_ABOVE, data: Path = DEFAULT_DATA_DIR) -> Path:
    """Write every file of the folder; `provinces` None means the bundled Afghan files are copied."""
    out = Path(os.path.abspath(out))
    check_target(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    _recover(out)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-{os.getpid()}-", dir=out.parent))
    try:
        attacks = attacks.reset_index(drop=True).reindex(columns=list(vocab.ATTACK_COLUMNS))
        if len(attacks) > parquet_above:
            write_attacks_parquet(attacks, tmp / "attacks.parquet")
        else:
            write_attacks_csv(attacks, tmp / "attacks.csv")
        for key in ("provinces", "meetings", "casualties", "attack_counts"):
            name, columns = vocab.FILES[key]
            if provinces is None:
                if (data / name).is_file():
                    shutil.copyfile(data / name, tmp / name)
            elif key in vocab.OPTIONAL_FILES:
                continue
            elif key == "provinces":
                provinces.to_csv(tmp / name, index=False, lineterminator="\n")
            else:
                (tmp / name).write_text(",".join(columns) + "\n", encoding="utf-8")
        if provinces is None and (data / "boundaries.geojson").is_file():  # the same country's outlines
            shutil.copyfile(data / "boundaries.geojson", tmp / "boundaries.geojson")
        (tmp / "datapackage.json").write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n",
                                              encoding="utf-8")
        os.chmod(tmp, 0o755)  # mkdtemp makes it private; a dataset folder is not
        _swap_in(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out
