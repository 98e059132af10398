"""Moderation tells the people concerned: the reporter the outcome, the author
what happened to their post, and followers of a post approved after waiting."""

from __future__ import annotations

import pytest

from forum.moderation import services
from forum.notifications.models import Kind, Notification
from forum.notifications.services import follow_topic
from forum.posts.models import Post
from tests.factories import UserFactory, make_topic
from tests.notifications.conftest import wants_everything

pytestmark = pytest.mark.django_db


def _outcomes(member) -> list[str]:
    return list(
        Notification.objects.filter(recipient=member, kind=Kind.MODERATION)
        .order_by("pk")
        .values_list("outcome", flat=True)
    )


def test_a_report_handled_by_hiding_tells_the_reporter_and_the_author(moderator, mailoutbox):
    author = wants_everything(UserFactory())
    reporter = wants_everything(UserFactory())
    topic = make_topic()
    post = services.post_services.reply_to_topic(topic, author=author, body="Buy cheap watches")
    report = services.file_report(post, reporter=reporter, reason="spam")
    services.resolve_report(report, moderator=moderator, note="Spam, removed.", hide=True)
    assert _outcomes(reporter) == ["report_resolved"]
    assert _outcomes(author) == ["post_hidden"]
    told = Notification.objects.get(recipient=reporter)
    assert told.message == "Spam, removed." and told.actor == moderator
    assert sorted(m.to[0] for m in mailoutbox) == sorted([author.email, reporter.email])
    reporter.refresh_from_db()
    assert reporter.unread_notifications == 1
    # Showing the post again tells its author too.
    services.unhide_post(Post.objects.get(pk=post.pk), moderator=moderator)
    assert _outcomes(author) == ["post_hidden", "post_unhidden"]


def test_a_dismissed_report_says_so(moderator):
    reporter = UserFactory()
    topic = make_topic(replies=1)
    report = services.file_report(
        Post.objects.get(topic=topic, position=2), reporter=reporter, reason="rude"
    )
    services.dismiss_report(report, moderator=moderator, note="Not against the rules.")
    assert _outcomes(reporter) == ["report_dismissed"]


def test_an_approved_post_is_announced_to_followers_once(moderator, settings):
    settings.AGORA_APPROVE_FIRST_POSTS = 1
    topic = make_topic()
    follower = UserFactory()
    follow_topic(follower, topic, following=True)
    newcomer = UserFactory()
    held = services.post_services.reply_to_topic(
        topic, author=newcomer, body="My first post", pending=True
    )
    assert not Notification.objects.filter(recipient=follower).exists()  # nobody told yet
    services.approve_post(held, moderator=moderator)
    assert _outcomes(newcomer) == ["post_approved"]
    replies = Notification.objects.filter(recipient=follower, kind=Kind.REPLY, post=held)
    assert replies.count() == 1
    services.approve_post(held, moderator=moderator)  # already approved: nothing more
    assert replies.count() == 1 and _outcomes(newcomer) == ["post_approved"]


def test_a_rejected_post_tells_its_author_why(moderator):
    topic = make_topic()
    newcomer = UserFactory()
    held = services.post_services.reply_to_topic(
        topic, author=newcomer, body="http://spam.example", pending=True
    )
    services.reject_post(held, moderator=moderator, reason="Links to spam.")
    assert _outcomes(newcomer) == ["post_rejected"]
    assert Notification.objects.get(recipient=newcomer).message == "Links to spam."
