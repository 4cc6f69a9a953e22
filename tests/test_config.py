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
