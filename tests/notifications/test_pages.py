"""The notifications page, its settings, the header's bell and "Create New...", and the
editor's @mention suggestions: as guest, member and a forbidden member."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from forum.notifications import services
from forum.notifications.models import Channel, Kind, Notification, NotificationSettings
from forum.posts.models import Post
from tests.factories import ForumFactory, UserFactory, make_post, make_topic, react

pytestmark = pytest.mark.django_db


def _notify(member, n: int = 1) -> list[Notification]:
    """``n`` notifications for ``member``: replies in a topic they started."""
    topic = make_topic(author=member, title="Ask me anything")
    for _ in range(n):
        make_post(topic, author=UserFactory())
    return list(Notification.objects.filter(recipient=member).order_by("-updated_at", "-id"))


def test_guests_are_sent_to_sign_in(guest_client):
    for url in ["/notifications/", "/settings/notifications/", "/unread/", "/new-topic/"]:
        response = guest_client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    assert guest_client.get("/mentions/suggest/?q=a").status_code == 403


def test_the_list_shows_newest_first_with_links_and_marks(member_client, member):
    notes = _notify(member, 3)
    html = member_client.get("/notifications/").content.decode()
    positions = [html.index(f'id="notification-{n.pk}"') for n in notes]
    assert positions == sorted(positions)
    assert html.count('class="notification is-unread"') == 3
    assert "3 unread" in html


def test_a_member_cannot_open_or_read_another_members_notification(member_client, member):
    other = UserFactory()
    note = _notify(other)[0]
    assert member_client.get(f"/notifications/{note.pk}/").status_code == 404
    assert member_client.post(f"/notifications/{note.pk}/read/").status_code == 404
    note.refresh_from_db()
    assert note.read_at is None
    assert f"notification-{note.pk}" not in member_client.get("/notifications/").content.decode()


def test_mark_one_and_all_read(member_client, member):
    first, second, third = _notify(member, 3)
    response = member_client.post(f"/notifications/{first.pk}/read/")
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.unread_notifications == 2
    member_client.post(f"/notifications/{first.pk}/read/")  # twice: counted once
    member.refresh_from_db()
    assert member.unread_notifications == 2
    member_client.post("/notifications/read-all/")
    member.refresh_from_db()
    assert member.unread_notifications == 0
    assert not Notification.objects.filter(recipient=member, read_at__isnull=True).exists()


def test_opening_a_notification_of_a_hidden_post_leads_nowhere_it_cannot_go(member_client, member):
    note = _notify(member)[0]
    Post.objects.filter(pk=note.post_id).update(hidden=True)
    response = member_client.get(f"/notifications/{note.pk}/")
    assert response["Location"] == note.post.topic.get_absolute_url()
    html = member_client.get("/notifications/").content.decode()
    assert "(no longer available)" not in html  # the topic is still there


def test_the_page_puts_a_drifted_bell_right(member_client, member):
    _notify(member, 2)
    get_user_model().objects.filter(pk=member.pk).update(unread_notifications=40)
    member_client.get("/notifications/")
    member.refresh_from_db()
    assert member.unread_notifications == 2
    assert services.recount_all_unread() == 0


def test_the_list_costs_the_same_for_one_notification_as_for_thirty(member_client, member):
    _notify(member, 1)
    member_client.get("/notifications/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        member_client.get("/notifications/")
    _notify(member, 29)
    post = Post.objects.filter(author=member).first()
    for _ in range(3):
        react(post, UserFactory())
    with CaptureQueriesContext(connection) as thirty:
        html = member_client.get("/notifications/").content.decode()
    assert len(one) == len(thirty) <= 7
    assert "and 2 others reacted to your post" in re.sub("</?strong>", "", html)


def test_the_bell_shows_the_unread_count_without_a_query(member_client, member):
    _notify(member, 2)
    member.refresh_from_db()
    html = member_client.get("/").content.decode()
    assert '<span class="bell__count" aria-hidden="true">2</span>' in html
    assert "Notifications (2 unread)" in html
    get_user_model().objects.filter(pk=member.pk).update(unread_notifications=150)
    assert ">99+</span>" in member_client.get("/").content.decode()


def test_the_header_menus_for_members_and_guests(member_client, guest_client):
    member = member_client.get("/").content.decode()
    assert "Create New..." in member and 'href="/new-topic/"' in member
    assert 'class="bell' in member and "Sign Out" in member
    guest = guest_client.get("/").content.decode()
    assert "Create New..." not in guest and 'class="bell' not in guest
    assert "Sign In" in guest and "Sign Up" in guest


def test_create_new_topic_lists_the_forums_the_member_may_start_in(member_client):
    open_forum = ForumFactory(name="Open Forum")
    locked = ForumFactory(name="Locked Forum", locked=True)
    hidden = ForumFactory(name="Moderators Forum", read_access="moderators")
    html = member_client.get(f"/new-topic/?forum={open_forum.pk}").content.decode()
    assert f'href="/forum/{open_forum.pk}-{open_forum.slug}/new/" aria-current="true"' in html
    assert locked.name not in html and hidden.name not in html


def test_notification_settings_save_a_channel_per_kind(member_client, member):
    html = member_client.get("/settings/notifications/").content.decode()
    assert 'aria-current="page">Notifications<' in html
    for kind in Kind:
        assert str(kind.label) in html
    data = {f"kind_{kind.value}": Channel.APP for kind in Kind}
    data |= {"kind_quote": Channel.NONE, "kind_mention": Channel.EMAIL, "email_digest": "on"}
    response = member_client.post("/settings/notifications/", data)
    assert response.status_code == 302
    prefs = NotificationSettings.objects.get(user=member)
    assert prefs.channel(Kind.QUOTE) == Channel.NONE
    assert prefs.channel(Kind.MENTION) == Channel.EMAIL
    assert prefs.email_digest
    bad = member_client.post("/settings/notifications/", {**data, "kind_quote": "loud"})
    assert bad.status_code == 400


def test_mention_suggestions_are_members_by_prefix(member_client):
    for name in ["spidermike007", "spiderwoman", "Spinner", "other"]:
        UserFactory(username=name)
    UserFactory(username="spideroff", is_active=False)
    data = member_client.get("/mentions/suggest/?q=@spi").json()
    assert [m["username"] for m in data["members"]] == ["spidermike007", "spiderwoman", "Spinner"]
    assert member_client.get("/mentions/suggest/?q=").json() == {"members": []}


def test_create_new_offers_this_forum_and_a_reply_where_they_apply(member_client):
    forum = ForumFactory(name="Gear Talk")
    html = member_client.get(forum.get_absolute_url()).content.decode()
    menu = html.split('class="menu create-menu"', 1)[1].split("</details>", 1)[0]
    assert f'href="/forum/{forum.pk}-{forum.slug}/new/">Topic in Gear Talk' in menu
    topic = make_topic(forum)
    menu = member_client.get(topic.get_absolute_url()).content.decode()
    menu = menu.split('class="menu create-menu"', 1)[1].split("</details>", 1)[0]
    assert 'href="#reply">Reply' in menu and f"?forum={forum.pk}" in menu


def test_recount_notifications_command_fixes_every_bell(member):
    import io

    from django.core.management import call_command

    _notify(member, 2)
    get_user_model().objects.filter(pk=member.pk).update(unread_notifications=0)
    out = io.StringIO()
    call_command("recount_notifications", stdout=out)
    member.refresh_from_db()
    assert member.unread_notifications == 2 and "1 members fixed" in out.getvalue()
