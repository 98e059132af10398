"""manage.py seed_demo fills a realistic forum and is idempotent."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from forum.boards.models import Forum
from forum.posts.models import Post
from forum.threads.models import Topic

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent(guest_client):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    counts = (get_user_model().objects.count(), Forum.objects.count(), Topic.objects.count(),
              Post.objects.count())  # fmt: skip
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts == (get_user_model().objects.count(), Forum.objects.count(),
                      Topic.objects.count(), Post.objects.count())  # fmt: skip
    assert counts[0] >= 30 and counts[1] >= 5 and counts[2] >= 10
    longest = Topic.objects.order_by("-last_position").first()
    assert longest.page_count >= 3
    # Counters agree with the rows.
    for forum in Forum.objects.all():
        assert forum.post_count == Post.objects.filter(topic__forum=forum).count()
    # The pages render.
    assert guest_client.get("/").status_code == 200
    assert guest_client.get(longest.get_page_url(longest.page_count)).status_code == 200
