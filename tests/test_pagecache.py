"""Guests' whole-page cache: served without a query, renewed when the page changes,
never given to members, and still counting views and presence."""

from __future__ import annotations

import pytest
from django.test import Client
from django.test.utils import CaptureQueriesContext

from forum.moderation.services import hide_post, lock_topic
from forum.posts import services
from forum.posts.models import Post
from forum.presence import tracking
from forum.threads.counters import pending_views
from tests.factories import ForumFactory, UserFactory, make_topic, react

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.AGORA_PAGE_CACHE_SECONDS = 60
    tracking.clear_local()
    yield
    tracking.clear_local()


def _get(client: Client, url: str):
    from django.db import connection

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(ctx.captured_queries)


def test_a_guests_second_view_costs_no_query_and_still_counts():
    topic = make_topic(title="Fog over the river", replies=3)
    guest = Client()
    first, queries = _get(guest, topic.get_absolute_url())
    assert queries > 0 and "X-Agora-Cache" not in first
    second, queries = _get(Client(), topic.get_absolute_url())
    assert queries == 0 and second["X-Agora-Cache"] == "hit"
    assert second.content.count(b'id="post-') == first.content.count(b'id="post-')
    assert pending_views([topic.pk])[topic.pk] == 2  # both views counted
    assert b"Create an account or sign in to comment" in second.content
    assert b"csrfmiddlewaretoken" not in second.content and not second.cookies


def test_recently_browsing_is_fresh_on_a_cached_page():
    topic = make_topic()
    member = UserFactory(username="ruth_ellis")
    Client(REMOTE_ADDR="10.0.0.1").get(topic.get_absolute_url())  # a guest fills the cache
    signed_in = Client()
    signed_in.force_login(member)
    signed_in.get(topic.get_absolute_url())
    cached, queries = _get(Client(REMOTE_ADDR="10.0.0.2"), topic.get_absolute_url())
    assert queries == 0
    html = cached.content.decode()
    block = html.split('class="presence', 1)[1]
    assert "ruth_ellis" in block and "2 guests" in block
    assert "<!--agora:recently-browsing-->" not in html


def test_a_reply_renews_the_topic_page_its_forum_and_the_index():
    forum = ForumFactory()
    topic = make_topic(forum)
    for url in (topic.get_absolute_url(), forum.get_absolute_url(), "/"):
        Client().get(url)
        assert _get(Client(), url)[1] == 0
    services.reply_to_topic(topic, author=UserFactory(), body="A brand new reply")
    page, queries = _get(Client(), topic.get_absolute_url())
    assert queries > 0 and b"A brand new reply" in page.content
    assert _get(Client(), forum.get_absolute_url())[1] > 0
    assert _get(Client(), "/")[1] > 0


def test_edits_reactions_and_moderation_renew_the_page(moderator):
    topic = make_topic(replies=2)
    url = topic.get_absolute_url()
    reply = Post.objects.get(topic=topic, position=2)

    def fresh(text: str) -> bool:
        Client().get(url)
        page, queries = _get(Client(), url)
        return queries == 0 and text in page.content.decode()

    Client().get(url)
    services.edit_post(reply, editor=reply.author, body="Edited words")
    assert fresh("Edited words")
    react(reply, UserFactory(), "Thumbs Up")
    assert fresh("Thumbs Up")
    hide_post(Post.objects.get(pk=reply.pk), moderator=moderator, reason="rude")
    page, queries = _get(Client(), url)
    assert queries > 0 and "Edited words" not in page.content.decode()
    lock_topic(topic, moderator=moderator)
    assert fresh("This topic is now closed to further replies.")


def test_removing_recommendations_in_bulk_from_the_admin_renews_the_page():
    topic = make_topic(replies=1)
    reply = Post.objects.get(topic=topic, position=2)
    moderator = UserFactory(is_staff=True, is_superuser=True)
    services.recommend_post(reply, by=moderator)
    guest = Client()
    assert "Recommended Posts" in _get(guest, topic.get_absolute_url())[0].content.decode()
    admin = Client()
    admin.force_login(moderator)
    response = admin.post(
        "/admin/posts/recommendedpost/",
        {"action": "delete_selected", "_selected_action": [reply.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert "Recommended Posts" not in _get(guest, topic.get_absolute_url())[0].content.decode()


def test_scopes_changed_many_times_in_one_transaction_move_on_once():
    from django.core.cache import cache
    from django.db import transaction

    from forum import pagecache

    keys = ["pv:site", "pv:topic:1", "pv:index"]
    before = cache.get_many(keys)
    with transaction.atomic():
        for _ in range(3):
            pagecache.changed("site")
        pagecache.changed("topic:1", "index")
        assert cache.get_many(keys) == before  # nothing before the commit
    versions = cache.get_many(keys)
    assert len(versions) == 3 and len(set(versions.values())) == 1  # one write


def test_members_never_get_the_guests_page():
    topic = make_topic()
    Client().get(topic.get_absolute_url())
    member = Client()
    member.force_login(UserFactory())
    page, queries = _get(member, topic.get_absolute_url())
    assert queries > 0 and "X-Agora-Cache" not in page
    assert b"Create an account or sign in to comment" not in page.content
    assert b'name="csrfmiddlewaretoken"' in page.content


def test_a_guest_with_a_message_gets_their_own_page():
    topic = make_topic()
    Client().get(topic.get_absolute_url())
    guest = Client()
    guest.cookies["messages"] = "anything"
    page, _ = _get(guest, topic.get_absolute_url())
    assert "X-Agora-Cache" not in page


def test_a_forum_closed_to_guests_is_never_cached():
    forum = ForumFactory(read_access="members")
    topic = make_topic(forum)
    assert Client().get(topic.get_absolute_url()).status_code == 404
    assert Client().get(topic.get_absolute_url()).status_code == 404


def test_changing_a_forum_in_the_admin_renews_every_page():
    forum = ForumFactory(name="Old name")
    topic = make_topic(forum)
    Client().get(topic.get_absolute_url())
    forum.name = "New name"
    forum.save()
    page, queries = _get(Client(), topic.get_absolute_url())
    assert queries > 0 and b"New name" in page.content
    forum.read_access = "members"
    forum.save()
    assert Client().get(topic.get_absolute_url()).status_code == 404


def test_the_cache_can_be_turned_off(settings):
    settings.AGORA_PAGE_CACHE_SECONDS = 0
    topic = make_topic()
    Client().get(topic.get_absolute_url())
    assert _get(Client(), topic.get_absolute_url())[1] > 0


def test_a_kept_page_keeps_its_security_headers():
    topic = make_topic()
    first = Client().get(topic.get_absolute_url())
    hit = Client().get(topic.get_absolute_url())
    assert hit["X-Agora-Cache"] == "hit"
    for header in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options",
                   "Referrer-Policy", "Content-Type"):  # fmt: skip
        assert hit[header] == first[header], header
    assert "Set-Cookie" not in hit


def test_a_guest_with_a_session_cookie_gets_a_rendered_page():
    topic = make_topic()
    Client().get(topic.get_absolute_url())
    guest = Client()
    guest.cookies["sessionid"] = "stale-or-unknown"
    page, _ = _get(guest, topic.get_absolute_url())
    assert "X-Agora-Cache" not in page
    assert b"Create an account or sign in to comment" in page.content


def test_a_change_while_the_page_renders_is_not_hidden(monkeypatch):
    topic = make_topic()
    url = topic.get_absolute_url()
    from forum.threads import views

    real = views.topic_page_context

    def render_during_a_reply(*args, **kwargs):
        context = real(*args, **kwargs)
        # Someone replies after the view read the posts, before the page is kept.
        services.reply_to_topic(topic, author=UserFactory(), body="Written meanwhile")
        return context

    monkeypatch.setattr(views, "topic_page_context", render_during_a_reply)
    Client().get(url)
    monkeypatch.setattr(views, "topic_page_context", real)
    page, queries = _get(Client(), url)
    assert queries > 0 and b"Written meanwhile" in page.content


# --- Members: the topic's rows from the cache, their own from the database ---------


def _member_client(member=None) -> Client:
    client = Client()
    client.force_login(member or UserFactory())
    return client


def test_a_members_page_reads_only_their_own_rows_once_the_topic_is_kept():
    topic = make_topic(replies=19)
    first, second = _member_client(), _member_client()
    first.get(topic.get_absolute_url())  # keeps the topic's rows
    second.get(topic.get_absolute_url())  # warm up: read position, permissions
    _, queries = _get(second, topic.get_absolute_url())
    # session, member, their reactions, their read position: nothing of the topic
    assert queries == 4


def test_a_members_page_shows_what_changed_at_once():
    topic = make_topic(replies=2)
    reader = UserFactory()
    client = _member_client(reader)
    client.get(topic.get_absolute_url())
    services.reply_to_topic(topic, author=UserFactory(), body="Fresh news for members")
    assert b"Fresh news for members" in client.get(topic.get_absolute_url()).content
    reply = Post.objects.get(topic=topic, position=2)
    react(reply, reader, "Sad")
    html = client.get(topic.get_absolute_url()).content.decode()
    bar = html.split(f'id="reactions-{reply.pk}"', 1)[1].split("</div>", 1)[0]
    assert "Sad" in bar and "is-mine" in bar  # the shared counts, and their own choice
    other_html = _member_client().get(topic.get_absolute_url()).content.decode()
    other_bar = other_html.split(f'id="reactions-{reply.pk}"', 1)[1].split("</div>", 1)[0]
    assert "Sad" in other_bar and "is-mine" not in other_bar


def test_hidden_posts_stay_hidden_from_members_with_the_rows_kept(moderator):
    topic = make_topic(replies=2)
    member = _member_client()
    member.get(topic.get_absolute_url())
    reply = Post.objects.get(topic=topic, position=2)
    hide_post(reply, moderator=moderator, reason="rude")
    assert f'id="post-{reply.pk}"'.encode() not in member.get(topic.get_absolute_url()).content
    moderator_client = _member_client(moderator)
    assert (
        f'id="post-{reply.pk}"'.encode() in moderator_client.get(topic.get_absolute_url()).content
    )
