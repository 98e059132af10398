"""The topic page: posts, pagination, redirects, the guest gate and the query budget."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forum.posts.models import Post
from forum.threads.counters import flush_views
from forum.threads.models import Topic
from tests.factories import ForumFactory, UserFactory, make_post, make_topic

pytestmark = pytest.mark.django_db

# topic with forum and category; the page of posts (each with its recommendation,
# joined: the "Recommended" badge); the reaction counts of those posts (one
# aggregate, forum.reactions.bars); the topic's recommended posts with their
# authors (forum.posts.recommended). Reaction types come from the cache;
# "Recently Browsing" from the cache only (forum.presence).
GUEST_TOPIC_PAGE_QUERIES = 4
# Pages that quote posts add one: the quoted posts with their authors (forum.posts.quoting).
QUOTED_POSTS_QUERIES = 1
# A member adds their session and their account, and their TopicUser row (read
# position and follow state, forum.notifications); their own reactions come in
# the guest's aggregate, through a conditional count; the bell is a counter on
# their account.
MEMBER_TOPIC_PAGE_QUERIES = 7
# ...and one write when the page moves their read position forward (their first
# view of a page, or of posts added since): an INSERT or a conditional UPDATE.
READ_MARKER_WRITE = 1
GUEST_QUERY_BUDGET = 6


def test_topic_page_shows_posts_with_author_panel(guest_client):
    author = UserFactory(username="spidermike007", title="Community Regular")
    topic = make_topic(author=author, title="Fog over the river", body="What do you *think*?")
    response = guest_client.get(topic.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Fog over the river" in html
    assert "<em>think</em>" in html
    assert f'id="post-{topic.first_post_id}"' in html
    assert "spidermike007" in html and "Community Regular" in html
    assert "Posted <time" in html
    # the author panel: generated initials, post count and joined date
    assert 'class="avatar avatar--96 avatar-c' in html and ">SP</span>" in html
    assert "Posts</dt><dd>1</dd>" in html
    assert author.date_joined.strftime("%b %Y") in html


def test_posted_time_is_relative_with_exact_title(guest_client):
    topic = make_topic(created_at=timezone.now() - timedelta(minutes=8))
    html = guest_client.get(topic.get_absolute_url()).content.decode()
    pattern = r'Posted <time datetime="([^"]+)" title="([^"]+)" data-relative>([^<]+)</time>'
    match = re.search(pattern, html)
    assert match, html
    assert match.group(3) == "8 minutes ago"
    assert match.group(2)  # the exact time as a tooltip


def test_skip_link_is_the_first_focusable_element(guest_client):
    topic = make_topic()
    html = guest_client.get(topic.get_absolute_url()).content.decode()
    body = html.split("<body", 1)[1]
    first_focusable = re.search(r"<(a|button|input|select|textarea|summary)\b[^>]*>", body)
    assert first_focusable.group(0) == '<a class="skip-link" href="#content">'
    assert "Jump to content" in body
    assert 'id="content"' in body


def test_guest_sees_the_gate_instead_of_the_form(guest_client):
    topic = make_topic()
    html = guest_client.get(topic.get_absolute_url()).content.decode()
    for text in [
        "Create an account or sign in to comment",
        "You need to be a member in order to leave a comment",
        "Create an account",
        "Sign up for a new account in our community. It's easy!",
        "Register a new account",
        "Already have an account? Sign in here.",
        "Sign In Now",
    ]:
        assert text in html, text
    assert "<textarea" not in html


def test_member_gets_a_reply_form(member_client):
    topic = make_topic()
    html = member_client.get(topic.get_absolute_url()).content.decode()
    assert "Create an account or sign in to comment" not in html
    assert f'action="/topic/{topic.pk}-{topic.slug}/reply/"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "<textarea" in html


def test_twenty_posts_a_page_with_pagination_top_and_bottom(guest_client):
    topic = make_topic(replies=44)  # 45 posts: three pages
    html = guest_client.get(topic.get_absolute_url()).content.decode()
    assert html.count('class="post"') + html.count('class="post ') == 20
    assert html.count('class="pagination"') == 2
    assert "Page 1 of 3" in html
    last = guest_client.get(f"/topic/{topic.pk}-{topic.slug}/page/3/").content.decode()
    assert "Reply number 44." in last
    assert len(re.findall(r'id="post-\d+"', last)) == 5


def test_breadcrumbs_lead_back_to_the_forum(guest_client):
    forum = ForumFactory(name="Gear Talk", slug="gear-talk")
    topic = make_topic(forum)
    html = guest_client.get(topic.get_absolute_url()).content.decode()
    crumbs = html.split('class="breadcrumbs"', 1)[1].split("</nav>", 1)[0]
    assert 'href="/"' in crumbs
    assert f'href="/forum/{forum.pk}-gear-talk/"' in crumbs


def test_wrong_slug_redirects_permanently(guest_client):
    topic = make_topic(title="The right title", replies=25)
    response = guest_client.get(f"/topic/{topic.pk}-wrong-words/")
    assert response.status_code == 301
    assert response["Location"] == f"/topic/{topic.pk}-the-right-title/"
    response = guest_client.get(f"/topic/{topic.pk}-wrong/page/2/")
    assert response.status_code == 301
    assert response["Location"] == f"/topic/{topic.pk}-the-right-title/page/2/"


def test_page_one_has_one_url(guest_client):
    topic = make_topic()
    response = guest_client.get(f"/topic/{topic.pk}-{topic.slug}/page/1/")
    assert response.status_code == 301
    assert response["Location"] == topic.get_absolute_url()


def test_page_beyond_the_last_is_not_found(guest_client):
    topic = make_topic(replies=3)
    assert guest_client.get(f"/topic/{topic.pk}-{topic.slug}/page/2/").status_code == 404
    assert guest_client.get("/topic/999999-nothing/").status_code == 404


def test_hidden_post_is_missing_for_guests(guest_client):
    topic = make_topic(replies=2)
    post = Post.objects.get(topic=topic, position=2)
    Post.objects.filter(pk=post.pk).update(hidden=True)
    html = guest_client.get(topic.get_absolute_url()).content.decode()
    assert f'id="post-{post.pk}"' not in html
    assert "Reply number 2." in html


def test_hidden_topic_is_not_found(guest_client, member_client):
    topic = make_topic()
    Topic.objects.filter(pk=topic.pk).update(hidden=True)
    assert guest_client.get(topic.get_absolute_url()).status_code == 404
    assert member_client.get(topic.get_absolute_url()).status_code == 404


def test_members_only_forum_is_hidden_from_guests(guest_client, member_client):
    topic = make_topic(ForumFactory(read_access="members"))
    assert guest_client.get(topic.get_absolute_url()).status_code == 404
    assert member_client.get(topic.get_absolute_url()).status_code == 200


def test_edited_post_says_so(guest_client):
    topic = make_topic()
    Post.objects.filter(pk=topic.first_post_id).update(
        edited_at=timezone.now() - timedelta(minutes=5)
    )
    html = guest_client.get(topic.get_absolute_url()).content.decode()
    assert re.search(r"Edited <time[^>]*>5 minutes ago</time>", html)


def _count_queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


def test_guest_topic_page_costs_the_same_for_one_post_as_for_twenty(
    guest_client, django_assert_num_queries
):
    author = UserFactory()
    short = make_topic(author=author)
    long = make_topic(author=author)
    for _ in range(19):
        make_post(long, author=UserFactory())  # twenty different authors
    with django_assert_num_queries(GUEST_TOPIC_PAGE_QUERIES):
        guest_client.get(short.get_absolute_url())
    with django_assert_num_queries(GUEST_TOPIC_PAGE_QUERIES):
        guest_client.get(long.get_absolute_url())
    assert GUEST_TOPIC_PAGE_QUERIES <= GUEST_QUERY_BUDGET


def test_member_topic_page_query_count_is_constant(member_client, member):
    short = make_topic()
    long = make_topic(replies=19)
    member_client.get(make_topic().get_absolute_url())  # warm up: last-seen write, permissions
    # A first view writes the member's read position, once, whatever the posts.
    one = _count_queries(member_client, short.get_absolute_url())
    twenty = _count_queries(member_client, long.get_absolute_url())
    assert len(one) == len(twenty) == MEMBER_TOPIC_PAGE_QUERIES + READ_MARKER_WRITE <= 10
    # Seen again with nothing new: reads only.
    one = _count_queries(member_client, short.get_absolute_url())
    twenty = _count_queries(member_client, long.get_absolute_url())
    assert len(one) == len(twenty) == MEMBER_TOPIC_PAGE_QUERIES <= 10


def test_last_page_of_a_long_topic_costs_what_the_first_does(guest_client):
    topic = make_topic(replies=99)
    first = _count_queries(guest_client, topic.get_absolute_url())
    last = _count_queries(guest_client, topic.get_page_url(5))
    assert len(first) == len(last)
    # Pages are ranges of positions, never OFFSET scans; the LIMIT tells the
    # planner how few rows a range holds (on PostgreSQL it picks the
    # (topic, position) index and nested loops, whatever the topic's length).
    assert not any("OFFSET" in sql.upper() for sql in last)
    page_query = [sql for sql in last if 'FROM "posts_post"' in sql and '"position" >=' in sql]
    assert len(page_query) == 1 and "LIMIT 20" in page_query[0]


def test_a_guest_page_view_writes_nothing(guest_client):
    topic = make_topic()
    views_before = Topic.objects.get(pk=topic.pk).views
    queries = _count_queries(guest_client, topic.get_absolute_url())
    writes = [q for q in queries if not q.lstrip().upper().startswith("SELECT")]
    assert writes == []
    assert Session.objects.count() == 0
    assert "sessionid" not in guest_client.cookies
    assert Topic.objects.get(pk=topic.pk).views == views_before


def test_views_are_counted_out_of_the_request_and_shown_at_once(guest_client):
    topic = make_topic()
    guest_client.get(topic.get_absolute_url())
    html = guest_client.get(topic.get_absolute_url()).content.decode()
    assert "2 views" in html
    assert Topic.objects.get(pk=topic.pk).views == 0
    assert flush_views() >= 2
    assert Topic.objects.get(pk=topic.pk).views == 2
    html = guest_client.get(topic.get_absolute_url()).content.decode()
    assert "3 views" in html


def test_reply_form_carries_its_own_csrf_token(member_client):
    topic = make_topic()
    html = member_client.get(topic.get_absolute_url()).content.decode()
    form = html.split('id="reply"', 1)[1].split("</form>", 1)[0]
    assert 'name="csrfmiddlewaretoken"' in form
