"""`make run`: the Streamlit server for app.py, started with the dashboard's code already imported."""

from __future__ import annotations

import sys
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app.py"


def warm() -> None:
    """Import what every page needs and read the dataset once, before the server accepts readers.

    Streamlit runs app.py only when a reader connects, so without this the first reader also waits for
    pandas, plotly, DuckDB and the validation library to load (about a second here). Nothing is cached for
    the app by this read; a dataset that fails to load is reported on the page as usual, not here."""
    from components import about, events, overview, talks  # noqa: F401
    from trends.dataset.loading import data_dir, load_dataset

    try:
        load_dataset(data_dir())
    except Exception:  # the page reports the same problem to the reader, with its file and line
        pass


def main(argv: list[str]) -> int:
    from streamlit.web import cli

    warm()
    sys.argv = ["streamlit", "run", str(APP), *argv]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
