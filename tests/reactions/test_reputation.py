"""Reputation: the sum of the weights of reactions a member's shown posts received."""

from __future__ import annotations

import contextlib
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction

from forum.posts.models import Post
from forum.reactions import services
from forum.reactions.models import Reaction
from forum.threads.models import Topic
from tests.factories import UserFactory, make_post, make_topic

pytestmark = pytest.mark.django_db


def _reputation(user) -> int:
    return get_user_model().objects.get(pk=user.pk).reputation


def _react(post, name, types, user=None):
    return services.react_to_post(post, user=user or UserFactory(), reaction_type=types[name])


def test_weights_add_up(types):
    author = UserFactory()
    topic = make_topic(author=author)
    first = Post.objects.get(pk=topic.first_post_id)
    second = make_post(topic, author=author)
    _react(first, "Like", types)
    _react(first, "Thanks", types)
    _react(second, "Sad", types)  # 0
    types["Thumbs Down"].enabled = True
    types["Thumbs Down"].save()
    _react(second, "Thumbs Down", types)  # -1
    assert _reputation(author) == 1 == services.reputation_of(author.pk)


def test_hiding_a_post_takes_its_reactions_out_and_showing_it_puts_them_back(types):
    author = UserFactory()
    post = Post.objects.get(pk=make_topic(author=author).first_post_id)
    _react(post, "Like", types)
    _react(post, "Haha", types)
    Post.objects.filter(pk=post.pk).update(hidden=True)  # as moderation does
    services.on_post_visibility_changed(post)
    assert _reputation(author) == 0
    Post.objects.filter(pk=post.pk).update(hidden=False)
    services.on_post_visibility_changed(post)
    assert _reputation(author) == 2


def test_reactions_to_hidden_posts_do_not_move_reputation(types):
    author = UserFactory()
    topic = make_topic(author=author)
    post = Post.objects.get(pk=topic.first_post_id)
    Post.objects.filter(pk=post.pk).update(hidden=True)
    # A reaction given before the hiding is taken back after it: nothing to take.
    services.react_to_post(post, user=UserFactory(), reaction_type=types["Like"])
    assert _reputation(author) == 0


def test_hiding_a_topic_recounts_everyone_in_it(types):
    alice, bob = UserFactory(), UserFactory()
    topic = make_topic(author=alice)
    _react(Post.objects.get(pk=topic.first_post_id), "Like", types)
    _react(make_post(topic, author=bob), "Thanks", types)
    Topic.objects.filter(pk=topic.pk).update(hidden=True)
    services.on_topic_visibility_changed(topic)
    assert (_reputation(alice), _reputation(bob)) == (0, 0)
    Topic.objects.filter(pk=topic.pk).update(hidden=False)
    services.on_topic_visibility_changed(topic)
    assert (_reputation(alice), _reputation(bob)) == (1, 1)


def test_recount_repairs_drift_and_the_command_finds_it(types):
    author = UserFactory()
    post = Post.objects.get(pk=make_topic(author=author).first_post_id)
    _react(post, "Like", types)
    get_user_model().objects.filter(pk=author.pk).update(reputation=42)
    assert services.recount_reputation(author) == 1 and _reputation(author) == 1
    get_user_model().objects.filter(pk=author.pk).update(reputation=-7)
    out = io.StringIO()
    call_command("recount_reputation", stdout=out)
    assert "1 members fixed" in out.getvalue()
    assert _reputation(author) == 1


def test_changing_a_types_weight_recounts_who_received_it(
    types, django_capture_on_commit_callbacks
):
    author = UserFactory()
    post = Post.objects.get(pk=make_topic(author=author).first_post_id)
    _react(post, "Sad", types)
    assert _reputation(author) == 0
    with django_capture_on_commit_callbacks(execute=True):
        types["Sad"].weight = -1
        types["Sad"].save()
    assert _reputation(author) == -1


def test_deleting_a_type_recounts_who_received_it(types, django_capture_on_commit_callbacks):
    author = UserFactory()
    post = Post.objects.get(pk=make_topic(author=author).first_post_id)
    _react(post, "Haha", types)
    _react(post, "Like", types)
    with django_capture_on_commit_callbacks(execute=True):
        types["Haha"].delete()
    assert _reputation(author) == 1 and Reaction.objects.count() == 1


def test_deleting_a_post_recounts_its_author(types, django_capture_on_commit_callbacks):
    author = UserFactory()
    topic = make_topic(author=author)
    reply = make_post(topic, author=author)
    _react(reply, "Like", types)
    _react(Post.objects.get(pk=topic.first_post_id), "Like", types)
    with django_capture_on_commit_callbacks(execute=True):
        reply.delete()
    assert _reputation(author) == 1


def test_deleting_a_member_takes_their_reactions_out(types, django_capture_on_commit_callbacks):
    author = UserFactory()
    fan = UserFactory()
    post = Post.objects.get(pk=make_topic(author=author).first_post_id)
    _react(post, "Like", types, user=fan)
    _react(post, "Thanks", types)
    with django_capture_on_commit_callbacks(execute=True):
        fan.delete()
    assert _reputation(author) == 1


def test_many_deletions_in_one_transaction_recount_each_member_once(
    types, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    author = UserFactory()
    topic = make_topic(author=author)
    replies = [make_post(topic, author=author) for _ in range(10)]
    for reply in replies:
        _react(reply, "Like", types)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        Post.objects.filter(pk__in=[r.pk for r in replies]).delete()
    with django_assert_max_num_queries(5):  # one recount: savepoint, lock, sum, update, release
        for callback in callbacks:
            callback()
    assert _reputation(author) == 0


def test_recount_of_a_member_without_reactions_is_zero():
    member = UserFactory()
    assert services.recount_reputation(member) == 0
    assert services.recount_reputation(999999) == 0


def test_a_rolled_back_transaction_leaves_no_pending_recount_behind(
    types, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    strangers = [UserFactory() for _ in range(6)]
    author = UserFactory()
    with contextlib.suppress(RuntimeError), transaction.atomic():
        services.recount_after_commit([s.pk for s in strangers])
        raise RuntimeError("rolled back")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.recount_after_commit([author.pk])
    assert len(callbacks) == 1
    with django_assert_max_num_queries(5):  # the author's recount only
        callbacks[0]()
