"""JSON over HTTP with bounded retries: exponential backoff on 429, 5xx and dropped connections."""

from __future__ import annotations

import http.client
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Callable

RETRY_STATUS = {429, 500, 502, 503, 504}
MAX_WAIT = 300.0  # seconds; a Retry-After longer than this is not worth waiting for in one run


class FetchError(Exception):
    """A request failed for good (after the retries, or with a status that retrying cannot fix)."""


@dataclass
class Http:
    sleep: Callable[[float], None] = time.sleep
    tries: int = 5
    first_wait: float = 1.0
    timeout: float = 60.0
    log: Callable[[str], None] = lambda message: None

    def json(self, url: str, headers: dict[str, str] | None = None, form: dict[str, str] | None = None):
        """GET (or POST `form`) and decode the JSON body; what is retried and how long it waits is logged."""
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        shown = url.split("?", 1)[0]
        last = ""
        for attempt in range(self.tries):
            wait = self.first_wait * 2 ** attempt
            try:
                request = urllib.request.Request(url, data=data, headers=headers or {})
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    return json.loads(response.read().decode("utf-8"))
            except urllib.error.HTTPError as err:
                if err.code not in RETRY_STATUS:
                    raise FetchError(f"{shown}: HTTP {err.code} {err.reason}{_hint(err.code)}") from None
                last = f"HTTP {err.code}"
                after = err.headers.get("Retry-After", "") if err.headers else ""
                if after.isdigit():
                    wait = max(wait, min(float(after), MAX_WAIT))
            except (urllib.error.URLError, http.client.HTTPException, ConnectionError, TimeoutError) as err:
                last = f"{type(err).__name__}: {getattr(err, 'reason', err)}"
            except ValueError as err:  # a body cut short decodes badly; the next try may get all of it
                last = f"not JSON ({err})"
            if attempt + 1 < self.tries:
                self.log(f"{shown}: {last}; retrying in {wait:g} s (try {attempt + 2} of {self.tries})")
                self.sleep(wait)
        raise FetchError(f"{shown}: gave up after {self.tries} tries ({last})")


def _hint(code: int) -> str:
    return {401: " (check the credentials)", 403: " (the account may lack access to this data)"}.get(code, "")
