"""Delivery: channels, once-only, visibility, verified addresses, digests and the bulk fan-out."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks import default_task_backend

from forum.mail import requeue_due_emails
from forum.models import OutgoingEmail
from forum.notifications import emails, services, tasks
from forum.notifications.models import (
    Channel,
    Kind,
    Notification,
    NotificationSettings,
    TopicUser,
)
from forum.posts.models import Post
from forum.threads.models import Topic
from tests.factories import ForumFactory, UserFactory, make_post, make_topic, react
from tests.notifications.conftest import client_for, grant, wants_everything

pytestmark = pytest.mark.django_db

User = get_user_model()


def _choose(user: Any, kind: str, channel: str) -> None:
    prefs, _ = NotificationSettings.objects.get_or_create(user=user)
    prefs.channels = {**prefs.channels, kind: channel}
    prefs.save()


def _follower_of(topic: Topic, **kwargs: Any) -> Any:
    member = UserFactory(**kwargs)
    services.follow_topic(member, topic, following=True)
    return member


# --- Channels ----------------------------------------------------------------------------


def test_each_channel_does_what_it_says(mailoutbox):
    topic = make_topic(author=UserFactory(auto_follow=False))
    both, app, email, none = (_follower_of(topic) for _ in range(4))
    _choose(both, Kind.REPLY, Channel.BOTH)
    _choose(app, Kind.REPLY, Channel.APP)
    _choose(email, Kind.REPLY, Channel.EMAIL)
    _choose(none, Kind.REPLY, Channel.NONE)
    make_post(topic)
    shown = dict(Notification.objects.values_list("recipient_id", "shown"))
    assert shown == {both.pk: True, app.pk: True, email.pk: False}
    bells = dict(User.objects.filter(pk__in=shown).values_list("pk", "unread_notifications"))
    assert bells == {both.pk: 1, app.pk: 1, email.pk: 0}
    assert sorted(m.to[0] for m in mailoutbox) == sorted([both.email, email.email])
    # E-mail only: not on their notifications page.
    html = client_for(email).get("/notifications/").content.decode()
    assert "No notifications yet" in html


def test_defaults_quote_and_mention_by_email_replies_in_the_app_only(mailoutbox):
    author = UserFactory(username="quoted_one")
    topic = make_topic(author=author)
    first = Post.objects.get(pk=topic.first_post_id)
    mentioned = UserFactory(username="mentioned_one")
    make_post(topic, body=f'[quote="x, post:{first.pk}"]\nhi\n[/quote]\n@mentioned_one look')
    kinds = dict(Notification.objects.values_list("recipient__username", "kind"))
    assert kinds == {"quoted_one": Kind.QUOTE, "mentioned_one": Kind.MENTION}
    assert sorted(m.to[0] for m in mailoutbox) == sorted([author.email, mentioned.email])
    mailoutbox.clear()
    make_post(topic)  # the author follows their topic: a reply, in the app only
    assert Notification.objects.filter(recipient=author, kind=Kind.REPLY).exists()
    assert mailoutbox == []


def test_a_quoted_follower_hears_of_the_quote_not_also_of_the_reply():
    author = UserFactory()
    topic = make_topic(author=author)  # the author follows it
    first = Post.objects.get(pk=topic.first_post_id)
    make_post(topic, body=f'[quote="x, post:{first.pk}"]\nhi\n[/quote]\nyes @{author.username}')
    assert list(Notification.objects.values_list("kind", flat=True)) == [Kind.QUOTE]


# --- Once only -----------------------------------------------------------------------------


def test_a_task_run_twice_notifies_and_mails_once(mailoutbox):
    topic = make_topic()
    follower = wants_everything(_follower_of(topic))
    post = make_post(topic)
    assert len(mailoutbox) == 1
    tasks.notify_new_post.call(post.pk, False, [], [])
    ids = list(Notification.objects.values_list("pk", flat=True))
    tasks.send_notification_emails.call(ids)
    assert Notification.objects.filter(recipient=follower).count() == 1
    follower.refresh_from_db()
    assert follower.unread_notifications == 1
    assert len(mailoutbox) == 1


def test_an_edit_keeping_a_mention_does_not_notify_again():
    from forum.posts.services import edit_post

    mentioned = UserFactory(username="bobby")
    topic = make_topic()
    post = make_post(topic, body="hi @bobby")
    edit_post(post, editor=post.author, body="hi again @bobby, and @bobby")
    assert Notification.objects.filter(recipient=mentioned).count() == 1


def test_an_edit_adding_a_mention_notifies_the_new_member_only():
    from forum.posts.services import edit_post

    first, second = UserFactory(username="first_one"), UserFactory(username="second_one")
    post = make_post(make_topic(), body="hi @first_one")
    edit_post(post, editor=post.author, body="hi @first_one and @second_one")
    assert Notification.objects.filter(recipient=first).count() == 1
    assert Notification.objects.filter(recipient=second, kind=Kind.MENTION).count() == 1


def test_mentions_are_one_lookup_and_skip_the_author_and_strangers(django_assert_num_queries):
    from forum.posts.services import _mention_refs

    UserFactory(username="alpha"), UserFactory(username="beta")
    with django_assert_num_queries(1):
        refs = _mention_refs("@alpha @beta @gamma @Alpha and again @alpha")
    assert sorted(refs) == ["alpha", "beta"]
    with django_assert_num_queries(0):
        assert _mention_refs("no one here") == {}
    author = UserFactory(username="gamma")
    make_post(make_topic(author=UserFactory(auto_follow=False)), author=author,
              body="@gamma talks to @alpha")  # fmt: skip
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["alpha"]


def test_a_member_who_cannot_see_the_post_is_not_told():
    secret = ForumFactory(read_access="moderators")
    moderator = grant(UserFactory(username="mod_one"), "boards.read_any_forum")
    UserFactory(username="plain_one")
    topic = make_topic(secret, author=moderator)
    make_post(topic, author=moderator, body="@plain_one @mod_one see this")
    assert not Notification.objects.exists()  # the author is not told of their own mention
    other = grant(UserFactory(username="mod_two"), "boards.read_any_forum")
    make_post(topic, author=moderator, body=f"@plain_one @{other.username}")
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["mod_two"]


def test_a_hidden_post_notifies_nobody_who_cannot_see_it():
    topic = make_topic()
    follower = _follower_of(topic)
    post = make_post(topic)
    Notification.objects.all().delete()
    Post.objects.filter(pk=post.pk).update(hidden=True)
    tasks.notify_new_post.call(post.pk, False, [], [])
    assert not Notification.objects.filter(recipient=follower).exists()


def test_an_unfollowed_topic_stays_unfollowed_after_replying():
    member = UserFactory()
    topic = make_topic()
    services.follow_topic(member, topic, following=False)
    make_post(topic, author=member)
    assert TopicUser.objects.get(user=member, topic=topic).following is False
    make_post(topic)
    assert not Notification.objects.filter(recipient=member).exists()


def test_starting_and_replying_follow_unless_the_member_turned_it_off():
    keen = UserFactory()
    quiet = UserFactory(auto_follow=False)
    topic = make_topic(author=keen)
    make_post(topic, author=quiet)
    rows = {row.user_id: row for row in TopicUser.objects.filter(topic=topic)}
    assert rows[keen.pk].following is True and rows[keen.pk].last_read_position == 1
    assert rows[quiet.pk].following is None and rows[quiet.pk].last_read_position == 2


# --- Reactions, grouped ------------------------------------------------------------------------


def test_reactions_to_one_post_are_one_notification_brought_back_when_read():
    author = UserFactory()
    post = Post.objects.get(pk=make_topic(author=author).first_post_id)
    react(post, UserFactory(username="r1"))
    react(post, UserFactory(username="r2"), "Thanks")
    notification = Notification.objects.get(recipient=author)
    assert (notification.actor.username, notification.actor_count) == ("r2", 2)
    services.mark_notification_read(notification)
    react(post, UserFactory(username="r3"))
    notification.refresh_from_db()
    author.refresh_from_db()
    assert (notification.actor.username, notification.actor_count) == ("r3", 3)
    assert notification.read_at is None and author.unread_notifications == 1
    assert Notification.objects.filter(recipient=author).count() == 1


def test_a_changed_or_own_reaction_notifies_nobody():
    author = UserFactory()
    post = Post.objects.get(pk=make_topic(author=author).first_post_id)
    reactor = UserFactory()
    react(post, reactor)
    Notification.objects.all().delete()
    react(post, reactor, "Thanks")  # changed, not new
    assert not Notification.objects.exists()


# --- E-mail ---------------------------------------------------------------------------------


def test_no_email_to_an_unverified_address(mailoutbox):
    topic = make_topic()
    follower = wants_everything(_follower_of(topic, verified=False))
    make_post(topic)
    assert mailoutbox == []
    notification = Notification.objects.get(recipient=follower)
    assert not notification.email_pending  # settled: no address to send to
    EmailAddress.objects.filter(user=follower).update(verified=True)
    assert emails.send_notification_emails([notification.pk]) == 0


def test_a_failed_send_is_kept_in_the_outbox_and_sent_again(mailoutbox, monkeypatch, settings):
    topic = make_topic()
    follower = wants_everything(_follower_of(topic))

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise OSError("SMTP down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    make_post(topic)
    notification = Notification.objects.get(recipient=follower)
    # The notification's e-mail is settled: it is in the site's outbox, which
    # owns the retries from here (forum.mail).
    assert not notification.email_pending
    email = OutgoingEmail.objects.get(to=[follower.email])
    assert email.status == OutgoingEmail.Status.PENDING and email.attempts == 1
    assert mailoutbox == []
    monkeypatch.undo()
    OutgoingEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
    assert requeue_due_emails() == 1
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [follower.email]
    assert OutgoingEmail.objects.get(pk=email.pk).status == OutgoingEmail.Status.SENT
    assert tasks.send_overdue_emails() == 0  # nothing left owing


def test_an_email_left_pending_by_a_lost_task_is_sent_by_the_sweeper(mailoutbox):
    topic = make_topic()
    follower = wants_everything(_follower_of(topic))
    make_post(topic)
    notification = Notification.objects.get(recipient=follower)
    mailoutbox.clear()
    # As if the task that should have sent it never ran (a queue lost it).
    Notification.objects.filter(pk=notification.pk).update(
        email_pending=True, emailed_at=None, updated_at=timezone.now() - emails.OVERDUE_AFTER * 2
    )
    assert emails.overdue_email_ids() == [notification.pk]
    assert tasks.send_overdue_emails() == 1
    assert len(mailoutbox) == 1
    assert tasks.send_overdue_emails() == 0


def test_a_digest_member_gets_one_email_for_many_notifications(mailoutbox, settings):
    topic = make_topic(title="Long talk")
    follower = wants_everything(_follower_of(topic, username="digester"))
    NotificationSettings.objects.filter(user=follower).update(email_digest=True)
    for _ in range(3):
        make_post(topic)
    assert mailoutbox == []
    assert Notification.objects.filter(recipient=follower, email_pending=True).count() == 3
    assert tasks.send_digests() == 1
    assert len(mailoutbox) == 1
    digest = mailoutbox[0]
    assert "3 notifications" in digest.subject
    assert digest.body.count("replied to “Long talk”") == 3
    assert "/notifications/unsubscribe/" in digest.body
    assert tasks.send_digests() == 0  # nothing pending, and not due again yet
    make_post(topic)
    assert tasks.send_digests() == 0
    NotificationSettings.objects.filter(user=follower).update(
        last_digest_at=timezone.now() - timedelta(hours=settings.AGORA_DIGEST_HOURS + 1)
    )
    assert tasks.send_digests() == 1 and len(mailoutbox) == 2


def test_an_unsubscribe_token_is_signed_and_names_one_kind(guest_client):
    member = wants_everything(UserFactory())
    token = emails.unsubscribe_token(member.pk, Kind.QUOTE)
    assert emails.read_unsubscribe_token(token) == (member.pk, Kind.QUOTE)
    other = emails.unsubscribe_token(member.pk + 1, Kind.QUOTE)
    forged = other.split(":")[0] + token[len(token.split(":")[0]) :]
    for bad in [token[:-2] + "xx", forged, "nothing", token + "x"]:
        assert guest_client.get(f"/notifications/unsubscribe/{bad}/").status_code == 400
    assert guest_client.post(f"/notifications/unsubscribe/{token}/").status_code == 200
    prefs = NotificationSettings.objects.get(user=member)
    assert prefs.channel(Kind.QUOTE) == Channel.APP
    assert prefs.channel(Kind.MENTION) == Channel.BOTH


# --- The fan-out: in bulk, in a task, never in the request -----------------------------------


@pytest.fixture
def queued(settings):
    """Tasks are queued (not run): what a worker would run later."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    yield default_task_backend
    default_task_backend.clear()


def _followers(topic: Topic, count: int) -> list[int]:
    prefix = f"t{topic.pk}follower"
    User.objects.bulk_create(
        User(username=f"{prefix}{n}", email=f"{prefix}{n}@example.com") for n in range(count)
    )
    ids = list(User.objects.filter(username__startswith=prefix).values_list("pk", flat=True))
    TopicUser.objects.bulk_create(
        TopicUser(user_id=uid, topic=topic, following=True) for uid in ids
    )
    return ids


def test_ten_thousand_followers_do_not_slow_the_reply(queued, django_capture_on_commit_callbacks):
    starter = UserFactory(auto_follow=False)
    few = make_topic(author=starter)
    many = make_topic(author=starter)
    _followers(few, 10)
    _followers(many, 10_000)
    replier = UserFactory()
    client = client_for(replier)
    for topic in (few, many):  # warm up: last seen, verified address, read markers
        client.get(topic.get_absolute_url())
    timings = []
    for topic in (few, many):
        with (
            django_capture_on_commit_callbacks(execute=True),
            CaptureQueriesContext(connection) as ctx,
        ):
            response = client.post(f"/topic/{topic.pk}-{topic.slug}/reply/", {"body": "Hello!"})
        assert response.status_code == 302
        timings.append(len(ctx.captured_queries))
    assert timings[0] == timings[1]  # the request does not depend on the followers
    assert not Notification.objects.exists()  # nobody told yet: the worker will
    queued_tasks = [r for r in queued.results if r.task.name == "notify_new_post"]
    assert len(queued_tasks) == 2

    # The worker's run: a handful of queries per thousand followers.
    job = queued_tasks[1]
    with CaptureQueriesContext(connection) as ctx:
        job.task.call(*job.args, **job.kwargs)
    assert Notification.objects.filter(post__topic=many).count() == 10_000
    # Per batch of a thousand: followers, who is active, preferences, who has it
    # already, the insert, the bells; the insert split as the database needs.
    sql = [q["sql"] for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]
    inserts = [q for q in sql if q.startswith("INSERT")]
    fields = [f for f in Notification._meta.concrete_fields if not f.primary_key]
    per_insert = connection.ops.bulk_batch_size(fields, [None] * 1000)
    assert len(inserts) <= 10 * math.ceil(1000 / per_insert)
    assert len(sql) - len(inserts) <= 6 * (10_000 // 1000) + 3
    bells = set(
        User.objects.filter(notifications__post__topic=many).values_list(
            "unread_notifications", flat=True
        )
    )
    assert bells == {1}
    # Run again (a retry): nothing doubles.
    job.task.call(*job.args, **job.kwargs)
    assert Notification.objects.filter(post__topic=many).count() == 10_000


def test_an_approved_post_notifies_as_a_new_one_once():
    topic = make_topic()
    follower = _follower_of(topic)
    quoted_author = Post.objects.get(pk=topic.first_post_id).author
    mentioned = UserFactory(username="named_one")
    from forum.posts.services import reply_to_topic

    held = reply_to_topic(
        topic,
        author=UserFactory(),
        body=f'[quote="x, post:{topic.first_post_id}"]\nhi\n[/quote]\n@named_one',
        notify=False,  # as moderation holds it
    )
    assert not Notification.objects.exists()
    services.post_approved(held, new_topic=False)
    services.post_approved(held, new_topic=False)
    kinds = dict(Notification.objects.values_list("recipient_id", "kind"))
    assert kinds == {
        follower.pk: Kind.REPLY,
        quoted_author.pk: Kind.QUOTE,
        mentioned.pk: Kind.MENTION,
    }


def test_moderation_outcomes_reach_members_who_can_no_longer_see_the_post(mailoutbox):
    author = UserFactory()
    post = make_post(make_topic(), author=author)
    Post.objects.filter(pk=post.pk).update(hidden=True)
    moderator = UserFactory()
    services.notify_moderation_outcome(
        Notification.Outcome.POST_HIDDEN,
        recipient=author,
        actor=moderator,
        post=post,
        reason="Off topic",
        key="action:7",
    )
    services.notify_moderation_outcome(
        Notification.Outcome.POST_HIDDEN, recipient=author, actor=moderator, post=post,
        key="action:7",
    )  # fmt: skip
    services.notify_moderation_outcome(  # a deleted author: nobody to tell
        Notification.Outcome.POST_HIDDEN, recipient=None, actor=moderator, post=post
    )
    notification = Notification.objects.get(recipient=author, kind=Kind.MODERATION)
    assert notification.message == "Off topic"
    assert emails.notification_link(notification, author) == post.topic.get_absolute_url()
    assert len(mailoutbox) == 1 and "Your post was hidden" in mailoutbox[0].subject
    assert "The moderator wrote: Off topic" in mailoutbox[0].body
    with pytest.raises(ValueError):
        services.notify_moderation_outcome("post_exploded", recipient=author)
