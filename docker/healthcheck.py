"""Container health check: GET /healthz from the local gunicorn (the slim image has no curl).

The request names one of ALLOWED_HOSTS as its Host: Django answers any other
host with 400, and production settings rarely list 127.0.0.1.
"""

from __future__ import annotations

import os
import sys
import urllib.request

URL = "http://127.0.0.1:8000/healthz"


def allowed_host() -> str:
    """The first usable entry of ALLOWED_HOSTS ("localhost" for "*" or none)."""
    for entry in os.environ.get("ALLOWED_HOSTS", "").split(","):
        # ".example.com" allows example.com and its subdomains.
        host = entry.strip().lstrip(".")
        if host and host != "*":
            return host
    return "localhost"


def main() -> int:
    request = urllib.request.Request(URL, headers={"Host": allowed_host()})
    try:
        with urllib.request.urlopen(request, timeout=4) as response:  # noqa: S310 (fixed http URL)
            return 0 if response.status == 200 else 1
    except OSError as exc:  # URLError, HTTPError, timeouts and refused connections
        sys.stderr.write(f"healthcheck: {URL}: {exc}\n")
        return 1


if __name__ == "__main__":
    sys.exit(main())
