"""Management commands and periodic jobs that keep stored data right."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from forum.boards.models import Forum
from forum.jobs import Job, run_due
from forum.posts.models import Post, QuoteEdge
from forum.threads.counters import count_view
from forum.threads.models import Topic
from tests.factories import make_topic

pytestmark = pytest.mark.django_db


def _call(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_rerender_posts_updates_stale_html():
    topic = make_topic(body="**fresh**")
    Post.objects.filter(pk=topic.first_post_id).update(body_html="<p>stale</p>", render_version=0)
    assert "Re-rendered 1 posts" in _call("rerender_posts")
    post = Post.objects.get(pk=topic.first_post_id)
    assert post.body_html == "<p><strong>fresh</strong></p>" and post.render_version >= 1
    assert "Re-rendered 0 posts" in _call("rerender_posts")


def test_rerender_posts_records_quotes_typed_before_quoting_existed():
    topic = make_topic(body="The source.")
    quoting = Post.objects.create(
        topic=topic,
        author=topic.author,
        position=2,
        body=f'[quote="x, post:{topic.first_post_id}"]\nThe source.\n[/quote]',
        body_html="<p>old</p>",
    )
    _call("rerender_posts")
    quoting.refresh_from_db()
    assert f'data-quote="{topic.first_post_id}"' in quoting.body_html
    assert QuoteEdge.objects.filter(post=quoting, quoted_post_id=topic.first_post_id).exists()


def test_recount_repairs_every_counter():
    topic = make_topic(replies=3)
    Topic.objects.filter(pk=topic.pk).update(reply_count=99, last_post_id=None)
    Forum.objects.filter(pk=topic.forum_id).update(topic_count=0, post_count=0, last_post_id=None)
    get_user_model().objects.filter(pk=topic.author_id).update(post_count=0)
    Post.objects.filter(topic=topic, position=4).update(hidden=True)
    _call("recount")
    topic.refresh_from_db()
    forum = Forum.objects.get(pk=topic.forum_id)
    third = Post.objects.get(topic=topic, position=3)
    assert topic.reply_count == 2 and topic.last_post_id == third.pk
    assert (forum.topic_count, forum.post_count, forum.last_post_id) == (1, 3, third.pk)
    assert get_user_model().objects.get(pk=topic.author_id).post_count == 3


def test_run_jobs_once_flushes_view_counts():
    topic = make_topic()
    count_view(topic.pk)
    count_view(topic.pk)
    assert "flush topic view counts" in _call("run_jobs", "--once")
    assert Topic.objects.get(pk=topic.pk).views == 2


def test_jobs_run_only_when_due_and_survive_failures():
    calls: list[str] = []

    def boom() -> None:
        calls.append("boom")
        raise RuntimeError("job failed")

    jobs = [Job("boom", 60, boom), Job("ok", 60, lambda: calls.append("ok"))]
    assert run_due(jobs, now=100.0) == ["boom", "ok"]  # a failure does not stop the next job
    assert run_due(jobs, now=130.0) == []
    assert run_due(jobs, now=161.0) == ["boom", "ok"]
    assert calls == ["boom", "ok", "boom", "ok"]
