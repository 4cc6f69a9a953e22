"""Server settings that protect readers: XSRF and CORS on, no usage statistics, bounded messages and uploads."""

from __future__ import annotations

import tomllib

from tests.conftest import ROOT

CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())


def test_server_protections_are_on():
    server = CONFIG["server"]
    assert server["enableXsrfProtection"] is True and server["enableCORS"] is True
    assert server["maxMessageSize"] <= 50 < 200  # Streamlit's default is 200 MB
    assert server["maxUploadSize"] <= 5


def test_no_usage_statistics_and_no_error_details():
    assert CONFIG["browser"]["gatherUsageStats"] is False
    assert CONFIG["client"]["showErrorDetails"] == "none"


def test_a_crowd_does_not_wait_for_per_run_housekeeping():
    """A full garbage collection after every run and a walk over the loaded modules for the file watcher cost
    more than the Overview's own script; with 25 readers at once they made each wait about 4 s (BENCHMARKS.md)."""
    assert CONFIG["runner"]["postScriptGC"] is False
    assert CONFIG["server"]["fileWatcherType"] == "none"


def test_the_server_reads_these_settings():
    from streamlit import config

    config.get_config_options(force_reparse=True)
    try:
        assert config.get_option("runner.postScriptGC") is False
        assert config.get_option("server.fileWatcherType") == "none"
    finally:
        config.get_config_options(force_reparse=True)
