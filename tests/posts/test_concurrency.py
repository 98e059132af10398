"""Counters stay right under concurrent replies (PostgreSQL, real threads)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from forum.posts import services
from forum.posts.models import Post
from forum.threads.models import Topic
from tests.factories import UserFactory, make_topic

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8
REPLIES_EACH = 5


def test_concurrent_replies_lose_no_count(postgres):
    topic = make_topic()
    authors = [UserFactory() for _ in range(THREADS)]
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def work(author) -> None:
        try:
            barrier.wait()
            for n in range(REPLIES_EACH):
                services.reply_to_topic(topic, author=author, body=f"reply {n}")
        except BaseException as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(a,)) for a in authors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []

    total = THREADS * REPLIES_EACH
    topic.refresh_from_db()
    forum = topic.forum
    forum.refresh_from_db()
    assert topic.reply_count == total
    assert topic.last_position == total + 1
    positions = sorted(Post.objects.filter(topic=topic).values_list("position", flat=True))
    assert positions == list(range(1, total + 2))
    assert forum.post_count == total + 1
    last = Post.objects.filter(topic=topic).order_by("-position").first()
    assert Topic.objects.get(pk=topic.pk).last_post_id == last.pk
    for author in authors:
        author.refresh_from_db()
        assert author.post_count == REPLIES_EACH


def test_concurrent_new_topics_count_in_the_forum(postgres):
    forum = make_topic().forum
    authors = [UserFactory() for _ in range(THREADS)]
    barrier = threading.Barrier(THREADS)

    def work(author) -> None:
        try:
            barrier.wait()
            for n in range(3):
                services.start_topic(forum, author=author, title=f"Topic {n}", body="x")
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(a,)) for a in authors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    forum.refresh_from_db()
    assert forum.topic_count == 1 + THREADS * 3
    assert forum.post_count == 1 + THREADS * 3
