"""Every kind of notification end to end: the event, the notification, the bell, the
list, opening it (read, and on the post), and its e-mail with a working unsubscribe link."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlparse

import pytest

from forum.notifications import services
from forum.notifications.models import Channel, Kind, Notification, NotificationSettings
from forum.posts.models import Post
from tests.factories import ForumFactory, UserFactory, default_reaction_types, make_topic
from tests.notifications.conftest import bell_count, client_for

pytestmark = pytest.mark.django_db


def _bell(client: Any) -> str:
    return bell_count(client.get("/").content.decode())


def _reply(client: Any, topic: Any, body: str) -> Post:
    response = client.post(f"/topic/{topic.pk}-{topic.slug}/reply/", {"body": body})
    assert response.status_code == 302, response.content.decode()[:500]
    return Post.objects.filter(topic=topic).order_by("-position").first()


def _end_to_end(
    recipient: Any, kind: str, text: str, lands_on: Post | None, mailoutbox: list, subject: str
) -> None:
    """What every kind must do once its event happened."""
    notification = Notification.objects.get(recipient=recipient, kind=kind)
    recipient.refresh_from_db()
    assert recipient.unread_notifications == 1
    client = client_for(recipient)
    assert _bell(client) == "1"

    listing = client.get("/notifications/").content.decode()
    assert text in re.sub(r"</?strong>", "", listing), listing
    assert f'href="/notifications/{notification.pk}/"' in listing

    opened = client.get(f"/notifications/{notification.pk}/")
    assert opened.status_code == 302
    if lands_on is not None:
        assert opened["Location"] == f"/post/{lands_on.pk}/"
        landed = client.get(opened["Location"], follow=True)
        assert landed.status_code == 200
        assert f'id="post-{lands_on.pk}"' in landed.content.decode()
    notification.refresh_from_db()
    recipient.refresh_from_db()
    assert notification.read_at is not None and recipient.unread_notifications == 0
    assert _bell(client) == ""

    mails = [mail for mail in mailoutbox if recipient.email in mail.to]
    assert len(mails) == 1, [m.subject for m in mails]
    mail = mails[0]
    assert subject in mail.subject
    if lands_on is not None:
        assert f"/post/{lands_on.pk}/" in mail.body
    unsubscribe = re.search(r"(http\S+/notifications/unsubscribe/\S+/)", mail.body).group(1)
    assert mail.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # The link works without signing in: a page to confirm, then a POST.
    guest = client_for(UserFactory())
    guest.logout()
    path = urlparse(unsubscribe).path
    confirm = guest.get(path)
    assert confirm.status_code == 200 and "Unsubscribe" in confirm.content.decode()
    assert NotificationSettings.objects.get(user=recipient).channel(kind) == Channel.BOTH
    done = guest.post(path)
    assert done.status_code == 200 and "Done" in done.content.decode()
    assert NotificationSettings.objects.get(user=recipient).channel(kind) == Channel.APP


def test_reply_in_a_followed_topic(recipient, mailoutbox):
    topic = make_topic(author=recipient, title="Fog over the river")
    replier = UserFactory(username="lena")
    post = _reply(client_for(replier), topic, "Lovely light in that one.")
    _end_to_end(
        recipient, Kind.REPLY, "lena replied to Fog over the river", post, mailoutbox,
        "lena replied to “Fog over the river”",
    )  # fmt: skip


def test_new_topic_in_a_followed_forum(recipient, mailoutbox):
    forum = ForumFactory(name="Gear Talk")
    member = client_for(recipient)
    assert (
        member.post(f"/forum/{forum.pk}-{forum.slug}/follow/", {"follow": "1"}).status_code == 302
    )
    starter = client_for(UserFactory(username="kwame"))
    response = starter.post(
        f"/forum/{forum.pk}-{forum.slug}/new/", {"title": "Budget tripods", "body": "Which one?"}
    )
    assert response.status_code == 302
    first = Post.objects.get(topic__title="Budget tripods", position=1)
    _end_to_end(
        recipient, Kind.TOPIC, "kwame started a new topic Budget tripods in Gear Talk", first,
        mailoutbox, "New topic: “Budget tripods” by kwame",
    )  # fmt: skip


def test_quoted(recipient, mailoutbox):
    topic = make_topic(author=UserFactory(), title="Tripods")
    services.follow_topic(recipient, topic, following=False)  # only the quote tells them
    quoted = services_reply(topic, recipient, "Carbon is worth it.")
    post = _reply(
        client_for(UserFactory(username="lena")),
        topic,
        f'[quote="spidermike007, post:{quoted.pk}"]\nCarbon is worth it.\n[/quote]\nAgreed!',
    )
    _end_to_end(
        recipient, Kind.QUOTE, "lena quoted your post in Tripods", post, mailoutbox,
        "lena quoted you in “Tripods”",
    )  # fmt: skip


def test_mentioned(recipient, mailoutbox):
    topic = make_topic(title="Compost")
    post = _reply(
        client_for(UserFactory(username="lena")), topic, "What do you think, @spidermike007?"
    )
    assert 'class="mention" href="/profile/' in Post.objects.get(pk=post.pk).body_html
    _end_to_end(
        recipient, Kind.MENTION, "lena mentioned you in Compost", post, mailoutbox,
        "lena mentioned you in “Compost”",
    )  # fmt: skip


def test_reactions_received_are_grouped(recipient, mailoutbox):
    topic = make_topic(author=recipient, title="Sunsets")
    post = Post.objects.get(pk=topic.first_post_id)
    like = default_reaction_types()["Like"]
    for name in ["lena", "kwame", "chen"]:
        reactor = client_for(UserFactory(username=name))
        assert reactor.post(f"/post/{post.pk}/react/", {"type": like.pk}).status_code == 302
    assert Notification.objects.filter(recipient=recipient).count() == 1
    _end_to_end(
        recipient, Kind.REACTION, "chen and 2 others reacted to your post in Sunsets", post,
        mailoutbox, "reacted to your post in “Sunsets”",
    )  # fmt: skip


def test_post_recommended(recipient, recommender, mailoutbox):
    topic = make_topic(title="Workbenches")
    post = services_reply(topic, recipient, "Beech, oiled twice a year.")
    response = client_for(recommender).post(f"/post/{post.pk}/recommend/", {"note": "Great tip"})
    assert response.status_code == 302
    _end_to_end(
        recipient, Kind.RECOMMENDED, "mod_marta recommended your post in Workbenches", post,
        mailoutbox, "Your post in “Workbenches” was recommended",
    )  # fmt: skip


def test_moderation_outcome(recipient, mailoutbox):
    topic = make_topic(title="Bargains")
    post = services_reply(topic, recipient, "Approved at last")
    moderator = UserFactory(username="mod_marta")
    services.notify_moderation_outcome(
        Notification.Outcome.POST_APPROVED, recipient=recipient, actor=moderator, post=post
    )
    _end_to_end(
        recipient, Kind.MODERATION, "Your post was approved in Bargains", post, mailoutbox,
        "Your post was approved",
    )  # fmt: skip


def services_reply(topic: Any, author: Any, body: str) -> Post:
    from forum.posts.services import reply_to_topic

    return reply_to_topic(topic, author=author, body=body)
