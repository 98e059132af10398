"""Recently Browsing: who viewed a page lately, from the cache only, right under
concurrency, expiring, and keeping invisible members out of sight."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import close_old_connections
from django.test import Client, RequestFactory

from forum import permissions
from forum.presence import tracking
from tests.factories import ForumFactory, UserFactory, make_topic
from tests.notifications.conftest import client_for, grant

pytestmark = pytest.mark.django_db


def _request(user: Any = None, address: str = "10.0.0.1", agent: str = "Firefox") -> Any:
    request = RequestFactory().get("/", REMOTE_ADDR=address, HTTP_USER_AGENT=agent)
    request.user = user or AnonymousUser()
    return request


def _names(browsing: tracking.Browsing) -> list[str]:
    return [viewer.username for viewer in browsing.members]


def _block(html: str) -> str:
    return html.split('class="box presence"', 1)[1].split("</section>", 1)[0]


# --- On the pages ------------------------------------------------------------------------------


def test_topic_forum_and_index_pages_end_with_recently_browsing(store):
    topic = make_topic()
    lena = client_for(UserFactory(username="lena"))
    for url in [topic.get_absolute_url(), topic.forum.get_absolute_url(), "/"]:
        html = lena.get(url).content.decode()
        block = _block(html)
        assert "Recently Browsing" in block and ">1 member</span>" in block
        assert ">lena</a>" in block and 'href="/profile/' in block


def test_two_members_on_one_topic_see_each_other_and_guests_are_counted(store):
    topic = make_topic(replies=25)
    url = topic.get_absolute_url()
    lena = client_for(UserFactory(username="lena"))
    kwame = client_for(UserFactory(username="kwame"))
    lena.get(url)
    kwame.get(topic.get_page_url(2))  # another page of the same topic
    for n in range(3):
        Client(REMOTE_ADDR=f"10.0.0.{n}", HTTP_USER_AGENT="Firefox").get(url)
    block = _block(lena.get(url).content.decode())
    assert ">2 members</span>" in block
    assert ">lena</a>" in block and ">kwame</a>" in block
    assert "and 3 guests" in block
    assert ">kwame</a>" in _block(kwame.get(url).content.decode())


def test_with_nobody_signed_in_it_says_so(guest_client, store):
    topic = make_topic()
    block = _block(guest_client.get(topic.get_absolute_url()).content.decode())
    assert ">0 members</span>" in block
    assert "No registered users viewing this page." in block and "(1 guest)" in block


def test_other_pages_keep_their_own_viewers(store):
    one, two = make_topic(), make_topic()
    client_for(UserFactory(username="lena")).get(one.get_absolute_url())
    html = client_for(UserFactory(username="kwame")).get(two.get_absolute_url()).content.decode()
    assert "lena" not in _block(html)


def test_presence_adds_no_query_to_a_page(store, django_assert_num_queries):
    member = UserFactory()
    permissions.is_moderator(member)  # the page has read the member's permissions already
    with django_assert_num_queries(0):
        tracking.browsing(_request(member), "topic:1")
    with django_assert_num_queries(0):
        tracking.browsing(_request(), "topic:1")


# --- Invisible members ----------------------------------------------------------------------------


def test_invisible_members_are_not_listed_or_counted(store):
    topic = make_topic()
    url = topic.get_absolute_url()
    ghost = UserFactory(username="ghost", browse_invisibly=True)
    client_for(ghost).get(url)
    lena = client_for(UserFactory(username="lena"))
    block = _block(lena.get(url).content.decode())
    assert "ghost" not in block and ">1 member</span>" in block
    # They see themselves, marked: they know they are there.
    own = _block(client_for(ghost).get(url).content.decode())
    assert ">ghost <span" in own and "(invisible)" in own


def test_moderators_see_invisible_members_marked(store):
    topic = make_topic()
    url = topic.get_absolute_url()
    client_for(UserFactory(username="ghost", browse_invisibly=True)).get(url)
    moderator = client_for(grant(UserFactory(username="mod"), "posts.hide_post"))
    block = _block(moderator.get(url).content.decode())
    assert ">2 members</span>" in block
    assert 'class="presence__member is-invisible"' in block and "(invisible)" in block


def test_turning_invisible_takes_a_member_off_the_list_at_once(store):
    member = UserFactory(username="shy")
    tracking.browsing(_request(member), "index")
    member.browse_invisibly = True
    tracking.browsing(_request(member), "index")
    assert "shy" not in _names(tracking.browsing(_request(UserFactory()), "index"))


# --- Expiry ---------------------------------------------------------------------------------


def test_viewers_drop_off_after_the_window(store, settings):
    settings.AGORA_PRESENCE_MINUTES = 15
    start = time.time()
    early, late = UserFactory(username="early"), UserFactory(username="late")
    tracking.browsing(_request(early), "forum:1", now=start)
    tracking.browsing(_request(), "forum:1", now=start)
    tracking.browsing(_request(late), "forum:1", now=start + 10 * 60)
    seen = tracking.browsing(_request(late), "forum:1", now=start + 14 * 60)
    assert sorted(_names(seen)) == ["early", "late"] and seen.guests == 1
    seen = tracking.browsing(_request(late), "forum:1", now=start + 16 * 60)
    assert _names(seen) == ["late"] and seen.guests == 0


def test_names_are_capped_and_the_rest_counted(store, settings):
    settings.AGORA_PRESENCE_MAX_NAMES = 3
    for n in range(5):
        tracking.browsing(_request(UserFactory(username=f"m{n}")), "index")
    seen = tracking.browsing(_request(UserFactory(username="me")), "index")
    assert len(seen.members) == 3 and seen.member_count == 6 and seen.more == 3
    assert seen.members[0].username == "me"  # most recent first


def test_redis_keys_expire(redis_url):
    tracking.browsing(_request(UserFactory()), "topic:9")
    client = tracking.get_redis()
    key = f"{tracking.REDIS_PREFIX}topic:9:m"
    assert 0 < client.ttl(key) <= tracking.window_seconds() + 60


# --- Concurrency -------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("backend", ["memory", "redis"])
def test_many_concurrent_viewers_are_all_counted(backend, request):
    if backend == "redis":
        request.getfixturevalue("redis_url")
    members = [UserFactory(username=f"viewer{n}") for n in range(40)]
    for member in members:
        permissions.is_moderator(member)  # permissions read before the race
    start = threading.Barrier(len(members) + 20)
    errors: list[BaseException] = []

    def view(user: Any, n: int) -> None:
        try:
            start.wait()
            for _ in range(5):
                tracking.browsing(_request(user, address=f"10.1.0.{n}"), "topic:77")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=view, args=(m, n)) for n, m in enumerate(members)]
    threads += [threading.Thread(target=view, args=(None, 100 + n)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    seen = tracking.browsing(_request(members[0], address="10.1.0.0"), "topic:77")
    assert seen.member_count == 40 and seen.guests == 20
    assert len({viewer.pk for viewer in seen.members}) == 40


def test_a_forum_page_and_its_topics_are_separate_pages(store):
    forum = ForumFactory()
    topic = make_topic(forum)
    lena = client_for(UserFactory(username="lena"))
    lena.get(forum.get_absolute_url())
    kwame = client_for(UserFactory(username="kwame"))
    assert "lena" not in _block(kwame.get(topic.get_absolute_url()).content.decode())
    assert "lena" in _block(kwame.get(forum.get_absolute_url()).content.decode())


def test_a_topic_view_is_counted_with_the_presence_round_trip(store, db):
    from forum.threads import counters

    counters.drain_views()
    try:
        html = tracking.recently_browsing(_request(), "topic:77", topic_view=77)
        assert "1 guest" in html
        assert counters.pending_views([77]) == {77: 1}
    finally:
        counters.drain_views()
