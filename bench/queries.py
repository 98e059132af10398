"""Count SQL queries per request for the benchmark pages, and mint a member session.

Run by bench/run.py with the benchmark's environment; prints one JSON object.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from bench.seed import FOLLOWED_TOPIC  # noqa: E402
from forum.threads.models import Topic  # noqa: E402


def count(client: Client, url: str, method: str = "get", data: dict | None = None) -> int | None:
    with CaptureQueriesContext(connection) as ctx:
        response = getattr(client, method)(url, data or {})
    if response.status_code not in (200, 302):
        return None
    return len(ctx.captured_queries)


def main() -> None:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    urls = json.loads(sys.argv[1])
    member = get_user_model().objects.get(username="bench0001")
    guest = Client()
    logged_in = Client()
    logged_in.force_login(member)
    result: dict[str, object] = {"queries": {}}
    for name, spec in urls.items():
        client = logged_in if spec.get("member") else guest
        if spec.get("method") == "post":
            continue
        client.get(spec["path"])  # warm caches the way a running server has them
        result["queries"][name] = count(client, spec["path"])
    # A session and a CSRF token the load generator can use for member pages and posts.
    reply_topic = Topic.objects.get(title=FOLLOWED_TOPIC)
    page = logged_in.get(reply_topic.get_absolute_url())
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    result["cookie"] = "; ".join(f"{k}={v.value}" for k, v in logged_in.cookies.items())
    result["csrf"] = token.group(1) if token else ""
    result["reply_queries"] = count(
        logged_in,
        reverse("posts:topic_reply", args=[reply_topic.pk, reply_topic.slug]),
        "post",
        {"body": "A benchmark reply.", "csrfmiddlewaretoken": result["csrf"]},
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
