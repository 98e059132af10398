"""Following and unread: follow buttons, read positions across pages and new replies,
"Go to first unread post", unread markers in topic lists, mark read, the unread page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forum.notifications.models import ForumFollow, TopicUser
from forum.posts.models import Post
from forum.threads.models import Topic
from tests.factories import ForumFactory, UserFactory, make_post, make_topic

pytestmark = pytest.mark.django_db

PER_PAGE = settings.AGORA_POSTS_PER_PAGE


def _row(member, topic) -> TopicUser | None:
    return TopicUser.objects.filter(user=member, topic=topic).first()


def _unread_url(topic) -> str:
    return f"/topic/{topic.pk}-{topic.slug}/unread/"


# --- Following -----------------------------------------------------------------------------


def test_follow_and_unfollow_a_topic(member_client, member):
    topic = make_topic()
    html = member_client.get(topic.get_absolute_url()).content.decode()
    assert f'action="/topic/{topic.pk}-{topic.slug}/follow/"' in html
    assert 'aria-pressed="false"' in html
    response = member_client.post(f"/topic/{topic.pk}-{topic.slug}/follow/", {"follow": "1"})
    assert response.status_code == 302 and response["Location"] == topic.get_absolute_url()
    assert _row(member, topic).following is True
    html = member_client.get(topic.get_absolute_url()).content.decode()
    assert 'aria-pressed="true"' in html and "Following" in html
    member_client.post(f"/topic/{topic.pk}-{topic.slug}/follow/", {"follow": "0"})
    assert _row(member, topic).following is False


def test_follow_and_unfollow_a_forum(member_client, member):
    forum = ForumFactory()
    url = f"/forum/{forum.pk}-{forum.slug}/follow/"
    assert "Follow this forum" in member_client.get(forum.get_absolute_url()).content.decode()
    member_client.post(url, {"follow": "1"})
    member_client.post(url, {"follow": "1"})  # twice: one row
    assert ForumFollow.objects.filter(user=member, forum=forum).count() == 1
    assert "Following this forum" in member_client.get(forum.get_absolute_url()).content.decode()
    member_client.post(url, {"follow": "0"})
    assert not ForumFollow.objects.filter(user=member, forum=forum).exists()


def test_guests_and_forbidden_members_cannot_follow(guest_client, member_client):
    topic = make_topic()
    html = guest_client.get(topic.get_absolute_url()).content.decode()
    assert "/follow/" not in html and "Go to first unread post" not in html
    response = guest_client.post(f"/topic/{topic.pk}-{topic.slug}/follow/", {"follow": "1"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert list(TopicUser.objects.values_list("user_id", flat=True)) == [topic.author_id]
    secret = ForumFactory(read_access="moderators")
    hidden = make_topic(secret)
    assert member_client.post(f"/topic/{hidden.pk}-{hidden.slug}/follow/").status_code == 404
    assert member_client.post(f"/forum/{secret.pk}-{secret.slug}/follow/").status_code == 404
    assert member_client.post(f"/forum/{secret.pk}-{secret.slug}/mark-read/").status_code == 404
    assert member_client.get(f"/topic/{hidden.pk}-{hidden.slug}/unread/").status_code == 404
    assert member_client.get(f"/topic/{topic.pk}-{topic.slug}/follow/").status_code == 405


# --- Read positions --------------------------------------------------------------------------


def test_reading_moves_the_position_page_by_page_and_never_back(member_client, member):
    topic = make_topic(replies=PER_PAGE * 2 + 4)  # three pages
    member_client.get(topic.get_page_url(2))
    assert _row(member, topic).last_read_position == PER_PAGE * 2
    member_client.get(topic.get_absolute_url())
    assert _row(member, topic).last_read_position == PER_PAGE * 2
    member_client.get(topic.get_page_url(3))
    assert _row(member, topic).last_read_position == topic.last_position


def test_a_read_page_writes_nothing_until_new_replies(member_client, member):
    topic = make_topic(replies=3)
    member_client.get(topic.get_absolute_url())
    with CaptureQueriesContext(connection) as ctx:
        member_client.get(topic.get_absolute_url())
    assert not [q for q in ctx.captured_queries if "notifications_topicuser" in q["sql"]
                and not q["sql"].startswith("SELECT")]  # fmt: skip
    make_post(topic)
    with CaptureQueriesContext(connection) as ctx:
        member_client.get(topic.get_absolute_url())
    writes = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("UPDATE")
              and "notifications_topicuser" in q["sql"]]  # fmt: skip
    assert len(writes) == 1
    assert _row(member, topic).last_read_position == 5


def test_go_to_first_unread_post_after_new_replies(member_client, member):
    topic = make_topic(replies=PER_PAGE + 2)  # posts 1..22: two pages
    member_client.get(topic.get_absolute_url())  # read 1..20
    html = member_client.get(topic.get_absolute_url()).content.decode()
    assert f'href="{_unread_url(topic)}"' in html
    first_unread = Post.objects.get(topic=topic, position=PER_PAGE + 1)
    response = member_client.get(_unread_url(topic))
    assert response["Location"] == f"{topic.get_page_url(2)}#post-{first_unread.pk}"
    member_client.get(topic.get_page_url(2))  # read them all
    html = member_client.get(topic.get_page_url(2)).content.decode()
    assert "Go to first unread post" not in html
    reply = make_post(topic)
    assert member_client.get(_unread_url(topic))["Location"].endswith(f"#post-{reply.pk}")


def test_first_unread_of_a_topic_never_opened_is_after_the_cut_off(member_client, member):
    topic = make_topic(replies=3)
    Topic.objects.filter(pk=topic.pk).update(last_post_at=timezone.now())
    old = timezone.now() - timedelta(days=1)
    Post.objects.filter(topic=topic, position__lte=2).update(created_at=old - timedelta(days=1))
    member_client.post(f"/forum/{topic.forum.pk}-{topic.forum.slug}/mark-read/")
    from forum.notifications.models import ForumReadMarker

    ForumReadMarker.objects.filter(user=member).update(read_at=old)
    third = Post.objects.get(topic=topic, position=3)
    assert member_client.get(_unread_url(topic))["Location"].endswith(f"#post-{third.pk}")


def test_a_hidden_post_is_skipped_by_first_unread(member_client, member):
    topic = make_topic(replies=3)
    member_client.get(topic.get_absolute_url())
    hidden, shown = make_post(topic), make_post(topic)
    Post.objects.filter(pk=hidden.pk).update(hidden=True)
    assert member_client.get(_unread_url(topic))["Location"].endswith(f"#post-{shown.pk}")


def test_another_members_pending_post_is_skipped_by_first_unread(member_client, member):
    topic = make_topic(replies=3)
    member_client.get(topic.get_absolute_url())
    pending, shown = make_post(topic), make_post(topic)
    Post.objects.filter(pk=pending.pk).update(pending=True)
    assert member_client.get(_unread_url(topic))["Location"].endswith(f"#post-{shown.pk}")


def test_unread_content_leaves_out_other_members_pending_topics(member_client, member):
    forum = ForumFactory()
    held = make_topic(forum, title="Awaiting approval")
    Topic.objects.filter(pk=held.pk).update(pending=True)
    html = member_client.get("/unread/").content.decode()
    assert "Awaiting approval" not in html


# --- Unread markers in topic lists ----------------------------------------------------------------


def _unread_titles(html: str) -> int:
    return html.count('class="unread-dot"')


def test_topic_list_marks_unread_topics_until_read(member_client, member, forum):
    read, unread_one = make_topic(forum, title="Read me"), make_topic(forum, title="Not yet")
    member_client.get(read.get_absolute_url())
    html = member_client.get(forum.get_absolute_url()).content.decode()
    assert _unread_titles(html) == 1 and f'href="{_unread_url(unread_one)}"' in html
    make_post(read)  # a new reply: unread again
    html = member_client.get(forum.get_absolute_url()).content.decode()
    assert _unread_titles(html) == 2


def test_the_guest_list_has_no_markers(guest_client, forum):
    make_topic(forum)
    assert _unread_titles(guest_client.get(forum.get_absolute_url()).content.decode()) == 0


def test_own_topics_and_replies_are_read(member_client, member, forum):
    topic = make_topic(forum, author=member)
    other = make_topic(forum)
    make_post(other, author=member)
    assert _unread_titles(member_client.get(forum.get_absolute_url()).content.decode()) == 0
    make_post(topic)
    assert _unread_titles(member_client.get(forum.get_absolute_url()).content.decode()) == 1


def test_old_topics_and_topics_before_joining_are_read(member_client, member, forum, settings):
    old = make_topic(forum)
    Topic.objects.filter(pk=old.pk).update(
        last_post_at=timezone.now() - timedelta(days=settings.AGORA_UNREAD_DAYS + 1)
    )
    before = make_topic(forum)
    Topic.objects.filter(pk=before.pk).update(last_post_at=member.date_joined - timedelta(hours=1))
    assert _unread_titles(member_client.get(forum.get_absolute_url()).content.decode()) == 0


def test_mark_forum_read_and_mark_all_read(member_client, member):
    one, two = ForumFactory(), ForumFactory()
    make_topic(one), make_topic(two)
    member_client.post(f"/forum/{one.pk}-{one.slug}/mark-read/")
    assert _unread_titles(member_client.get(one.get_absolute_url()).content.decode()) == 0
    assert _unread_titles(member_client.get(two.get_absolute_url()).content.decode()) == 1
    response = member_client.post("/unread/mark-all-read/", {"next": "/"})
    assert response["Location"] == "/"
    assert _unread_titles(member_client.get(two.get_absolute_url()).content.decode()) == 0
    make_topic(two)  # news after marking: unread
    assert _unread_titles(member_client.get(two.get_absolute_url()).content.decode()) == 1


def test_markers_cost_one_query_however_many_topics(member_client, member):
    few, many = ForumFactory(), ForumFactory()
    make_topic(few)
    for n in range(settings.AGORA_TOPICS_PER_PAGE):
        topic = make_topic(many)
        if n % 2:
            member_client.get(topic.get_absolute_url())
    member_client.get(few.get_absolute_url())  # warm up
    with CaptureQueriesContext(connection) as one:
        member_client.get(few.get_absolute_url())
    with CaptureQueriesContext(connection) as all_of_them:
        html = member_client.get(many.get_absolute_url()).content.decode()
    assert len(one) == len(all_of_them)
    assert _unread_titles(html) == settings.AGORA_TOPICS_PER_PAGE - 12
    # session, member, forum, the topics (with read positions), read markers, follow state
    assert len(all_of_them) == 6


# --- The unread content page ------------------------------------------------------------------


def test_unread_content_lists_unread_topics_latest_first(member_client, member):
    forum = ForumFactory()
    first, second, read = make_topic(forum), make_topic(forum), make_topic(forum)
    hidden_forum = ForumFactory(read_access="moderators")
    make_topic(hidden_forum, title="Secret plans")
    member_client.get(read.get_absolute_url())
    make_post(first)
    html = member_client.get("/unread/").content.decode()
    assert html.index(f"/topic/{first.pk}-") < html.index(f"/topic/{second.pk}-")
    assert f"/topic/{read.pk}-" not in html and "Secret plans" not in html
    member_client.post("/unread/mark-all-read/")
    html = member_client.get("/unread/").content.decode()
    assert "You are all caught up" in html


def test_unread_content_costs_the_same_for_one_topic_as_for_many(member_client, member):
    make_topic()
    member_client.get("/unread/")
    with CaptureQueriesContext(connection) as one:
        member_client.get("/unread/")
    for _ in range(20):
        make_topic()
    with CaptureQueriesContext(connection) as many:
        html = member_client.get("/unread/").content.decode()
    assert len(one) == len(many) and _unread_titles(html) == 21


def test_starting_a_topic_from_a_new_member_account_counts_from_joining(client):
    member = UserFactory()
    topic = make_topic()
    Topic.objects.filter(pk=topic.pk).update(last_post_at=member.date_joined + timedelta(seconds=1))
    client.force_login(member)
    assert _unread_titles(client.get(topic.forum.get_absolute_url()).content.decode()) == 1


def test_forms_only_go_back_to_pages_of_this_site(member_client):
    topic = make_topic()
    url = f"/topic/{topic.pk}-{topic.slug}/follow/"
    for target in ["https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:x"]:
        response = member_client.post(url, {"follow": "1", "next": target})
        assert response["Location"] == topic.get_absolute_url(), target
    response = member_client.post(url, {"follow": "1", "next": topic.get_page_url(1) + "?x=1"})
    assert response["Location"] == topic.get_absolute_url() + "?x=1"
