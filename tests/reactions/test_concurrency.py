"""Reactions under concurrent requests (PostgreSQL, real threads): nothing counts twice."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client

from forum.posts.models import Post
from forum.reactions import services
from forum.reactions.models import Reaction
from tests.factories import UserFactory, default_reaction_types, make_topic

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8


def _run_together(work: list[Callable[[], None]]) -> list[BaseException]:
    barrier = threading.Barrier(len(work))
    errors: list[BaseException] = []

    def run(job: Callable[[], None]) -> None:
        try:
            barrier.wait()
            job()
        except BaseException as exc:  # noqa: BLE001 (reported by the caller)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def _reputation(user) -> int:
    return get_user_model().objects.get(pk=user.pk).reputation


def test_the_same_reaction_at_once_counts_once(postgres):
    types = default_reaction_types()
    author, fan = UserFactory(), UserFactory()
    post = Post.objects.get(pk=make_topic(author=author).first_post_id)
    errors = _run_together(
        [
            lambda: services.react_to_post(post, user=fan, reaction_type=types["Like"])
            for _ in range(THREADS)
        ]
    )
    assert errors == []
    assert Reaction.objects.filter(post=post).count() == 1
    assert _reputation(author) == 1


def test_two_tabs_choosing_different_types_leave_one_reaction(postgres):
    types = default_reaction_types()
    author, fan = UserFactory(), UserFactory()
    post = Post.objects.get(pk=make_topic(author=author).first_post_id)
    names = ["Like", "Confused", "Thanks", "Sad"] * (THREADS // 4)
    errors = _run_together(
        [
            (lambda name=name: services.react_to_post(post, user=fan, reaction_type=types[name]))
            for name in names
        ]
    )
    assert errors == []
    reaction = Reaction.objects.select_related("type").get(post=post)
    assert _reputation(author) == reaction.type.weight == services.reputation_of(author.pk)


def test_many_members_at_once_each_count(postgres):
    types = default_reaction_types()
    author = UserFactory()
    fans = [UserFactory() for _ in range(THREADS)]
    post = Post.objects.get(pk=make_topic(author=author).first_post_id)
    errors = _run_together(
        [
            (lambda fan=fan: services.react_to_post(post, user=fan, reaction_type=types["Like"]))
            for fan in fans
        ]
    )
    assert errors == []
    assert Reaction.objects.filter(post=post).count() == THREADS
    assert _reputation(author) == THREADS


def test_double_clicks_through_the_view_count_once(postgres):
    types = default_reaction_types()
    author, fan = UserFactory(), UserFactory()
    post = Post.objects.get(pk=make_topic(author=author).first_post_id)
    statuses: list[int] = []

    def click() -> None:
        client = Client()
        client.force_login(fan)
        statuses.append(
            client.post(f"/post/{post.pk}/react/", {"type": types["Like"].pk}).status_code
        )

    errors = _run_together([click for _ in range(THREADS)])
    assert errors == [] and statuses == [302] * THREADS
    assert Reaction.objects.filter(post=post, user=fan).count() == 1
    assert _reputation(author) == 1


def test_give_and_take_back_racing_keep_reputation_right(postgres):
    types = default_reaction_types()
    author = UserFactory()
    fans = [UserFactory() for _ in range(THREADS)]
    post = Post.objects.get(pk=make_topic(author=author).first_post_id)
    for fan in fans[::2]:
        services.react_to_post(post, user=fan, reaction_type=types["Thanks"])

    def toggle(fan) -> None:
        for _ in range(3):
            services.react_to_post(post, user=fan, reaction_type=types["Like"])
            services.remove_reaction(post, user=fan)
            services.react_to_post(post, user=fan, reaction_type=types["Haha"])

    errors = _run_together([(lambda fan=fan: toggle(fan)) for fan in fans])
    assert errors == []
    assert Reaction.objects.filter(post=post).count() == THREADS
    assert _reputation(author) == services.reputation_of(author.pk) == THREADS


def test_hiding_while_members_react_leaves_reputation_right(postgres):
    types = default_reaction_types()
    author = UserFactory()
    fans = [UserFactory() for _ in range(THREADS)]
    post = Post.objects.get(pk=make_topic(author=author).first_post_id)

    def hide() -> None:
        Post.objects.filter(pk=post.pk).update(hidden=True)
        services.on_post_visibility_changed(post)

    jobs = [
        (lambda fan=fan: services.react_to_post(post, user=fan, reaction_type=types["Like"]))
        for fan in fans
    ]
    errors = _run_together([*jobs, hide])
    assert errors == []
    assert Reaction.objects.filter(post=post).count() == THREADS
    assert _reputation(author) == services.reputation_of(author.pk) == 0
