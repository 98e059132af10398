"""Atom feeds of a forum's newest topics and a topic's newest posts."""

from __future__ import annotations

import io
import re
from xml.etree import ElementTree

import pytest

from forum import images
from forum.humanize import exact_time
from forum.posts import services
from forum.posts.models import Post
from forum.threads.models import Topic
from tests import imagefiles
from tests.factories import ForumFactory, UserFactory, make_post, make_topic

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def feed(client, url: str) -> ElementTree.Element:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ElementTree.fromstring(response.content)  # noqa: S314 (our own response)


def entries(root: ElementTree.Element) -> list[dict]:
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "summary": entry.findtext(f"{ATOM}summary"),
            "author": entry.findtext(f"{ATOM}author/{ATOM}name"),
        }
        for entry in root.findall(f"{ATOM}entry")
    ]


def test_forum_feed_lists_newest_topics_with_their_first_post(guest_client):
    forum = ForumFactory(name="Gear Talk", slug="gear-talk")
    author = UserFactory(username="n0rthernlight")
    old = make_topic(forum, author=author, title="Old tripod", body="Old *words*.")
    new = make_topic(forum, author=author, title="New tripod", body="New **words**.", replies=2)
    root = feed(guest_client, f"/forum/{forum.pk}-gear-talk/feed/")
    assert root.findtext(f"{ATOM}title") == "Gear Talk - Agora"
    items = entries(root)
    assert [i["title"] for i in items] == ["New tripod", "Old tripod"]
    assert items[0]["link"] == f"http://testserver/topic/{new.pk}-new-tripod/"
    assert items[0]["summary"] == "<p>New <strong>words</strong>.</p>"
    assert items[0]["author"] == "n0rthernlight"
    assert old.pk != new.pk


def test_topic_feed_lists_newest_posts_linking_to_permalinks(guest_client):
    topic = make_topic(title="Fog", body="First & foremost <b>.", replies=2)
    root = feed(guest_client, f"/topic/{topic.pk}-{topic.slug}/feed/")
    items = entries(root)
    posts = list(Post.objects.filter(topic=topic).order_by("-position"))
    assert [i["link"] for i in items] == [f"http://testserver/post/{p.pk}/" for p in posts]
    assert items[-1]["summary"] == "<p>First &amp; foremost &lt;b&gt;.</p>"
    assert "started “Fog”" in items[-1]["title"] and "replied to “Fog”" in items[0]["title"]


def test_feeds_never_include_hidden_content(guest_client):
    forum = ForumFactory()
    shown = make_topic(forum, title="Shown topic", replies=2)
    hidden_topic = make_topic(forum, title="Hidden topic")
    Topic.objects.filter(pk=hidden_topic.pk).update(hidden=True)
    hidden_post = Post.objects.get(topic=shown, position=2)
    Post.objects.filter(pk=hidden_post.pk).update(hidden=True)
    Post.objects.filter(pk=shown.first_post_id).update(hidden=True)

    forum_items = entries(feed(guest_client, f"/forum/{forum.pk}-{forum.slug}/feed/"))
    assert [i["title"] for i in forum_items] == ["Shown topic"]
    assert not forum_items[0]["summary"]  # its opening post is hidden
    topic_items = entries(feed(guest_client, f"/topic/{shown.pk}-{shown.slug}/feed/"))
    assert len(topic_items) == 1 and "Reply number 2." in topic_items[0]["summary"]
    assert guest_client.get(f"/topic/{hidden_topic.pk}-x/feed/").status_code == 404


def test_feeds_publish_only_forums_guests_may_read(guest_client, member_client):
    forum = ForumFactory(read_access="members")
    topic = make_topic(forum)
    for client in (guest_client, member_client):
        assert client.get(f"/forum/{forum.pk}-{forum.slug}/feed/").status_code == 404
        assert client.get(f"/topic/{topic.pk}-{topic.slug}/feed/").status_code == 404
    assert guest_client.get("/forum/999999-x/feed/").status_code == 404


def test_pages_link_their_feeds_when_public(guest_client, member_client):
    public = make_topic(ForumFactory(slug="public"), title="Open")
    html = guest_client.get(public.forum.get_absolute_url()).content.decode()
    head = html.split("</head>", 1)[0]
    assert (
        f'<link rel="alternate" type="application/atom+xml" title="{public.forum.name} '
        f'(Atom feed)" href="/forum/{public.forum.pk}-public/feed/">'
    ) in head
    head = guest_client.get(public.get_absolute_url()).content.decode().split("</head>", 1)[0]
    assert f'href="/topic/{public.pk}-open/feed/"' in head

    private = make_topic(ForumFactory(read_access="members"))
    for url in (private.forum.get_absolute_url(), private.get_absolute_url()):
        head = member_client.get(url).content.decode().split("</head>", 1)[0]
        assert "application/atom+xml" not in head


def test_feed_query_count_is_constant(guest_client, django_assert_num_queries):
    forum = ForumFactory()
    topic = make_topic(forum)
    feed(guest_client, f"/forum/{forum.pk}-{forum.slug}/feed/")  # the site is cached after this
    with django_assert_num_queries(3):  # forum, topics with authors, their first posts
        feed(guest_client, f"/forum/{forum.pk}-{forum.slug}/feed/")
    with django_assert_num_queries(2):  # topic with forum, posts with authors
        feed(guest_client, f"/topic/{topic.pk}-{topic.slug}/feed/")
    for _ in range(5):
        make_topic(forum, author=UserFactory())
        make_post(topic, author=UserFactory())
    with django_assert_num_queries(3):
        feed(guest_client, f"/forum/{forum.pk}-{forum.slug}/feed/")
    with django_assert_num_queries(2):
        feed(guest_client, f"/topic/{topic.pk}-{topic.slug}/feed/")


def _urls(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="([^"]*)"', html)


@pytest.mark.usefixtures("media_root")
def test_links_and_images_inside_entries_are_absolute(guest_client):
    author = UserFactory(username="n0rthernlight")
    image = images.process_upload(io.BytesIO(imagefiles.photo((1600, 1000))))
    upload = services.store_upload(author, image=image, filename="ridge.jpg")
    forum = ForumFactory()
    earlier = make_topic(forum, title="Earlier")
    body = f"As [said](/post/{earlier.first_post_id}/): ![the ridge](attachment:{upload.pk})"
    topic = services.start_topic(
        forum, author=author, title="The ridge", body=body, attachment_ids=[upload.pk]
    )
    make_post(topic, body=f"Ask @{author.username} or [mail](mailto:a@example.com).")
    stored = Post.objects.get(pk=topic.first_post_id).body_html
    upload.refresh_from_db()
    assert f'href="/post/{earlier.first_post_id}/"' in stored  # stored HTML stays relative

    topic_feed = entries(feed(guest_client, f"/topic/{topic.pk}-{topic.slug}/feed/"))
    forum_feed = entries(feed(guest_client, f"/forum/{forum.pk}-{forum.slug}/feed/"))
    first = topic_feed[-1]["summary"]
    assert forum_feed[0]["summary"] == first
    assert f'href="http://testserver/post/{earlier.first_post_id}/"' in first
    assert f'href="http://testserver{upload.file.url}"' in first
    assert f'src="http://testserver{upload.display.url}"' in first
    assert first == stored.replace('="/', '="http://testserver/')
    reply = topic_feed[0]["summary"]
    assert f'href="http://testserver{author.get_absolute_url()}"' in reply
    assert 'href="mailto:a@example.com"' in reply
    for summary in (first, reply):
        assert all(re.match(r"(https?|mailto):", url) for url in _urls(summary)), summary


def test_quotes_in_feeds_carry_their_headers_as_guests_see_them(guest_client):
    author = UserFactory(username="spidermike007")
    topic = make_topic(author=author, title="Fog", body="Fog at dawn.")
    first = Post.objects.get(pk=topic.first_post_id)
    hidden = make_post(topic, body="Soon hidden.")
    quoting = make_post(
        topic,
        body=f'[quote="spidermike007, post:{first.pk}"]\nFog at dawn.\n[/quote]\n'
        f'[quote="x, post:{hidden.pk}"]\nSoon hidden.\n[/quote]\nAgreed.',
    )
    Post.objects.filter(pk=hidden.pk).update(hidden=True)
    items = entries(feed(guest_client, f"/topic/{topic.pk}-{topic.slug}/feed/"))
    summary = next(i["summary"] for i in items if i["link"].endswith(f"/post/{quoting.pk}/"))
    header = re.search(r'<div class="quote__header">(.*?)</div>', summary, re.S).group(1)
    when = exact_time(first.created_at)
    assert re.sub(r"<[^>]+>", "", header) == f"{when}, spidermike007 said:"  # a date, not "ago"
    assert f'<a class="quote__when" href="http://testserver/post/{first.pk}/"' in header
    assert f'href="http://testserver{author.get_absolute_url()}">spidermike007</a>' in header
    assert "&lt;" not in summary.replace("&lt;b&gt;", "")
    assert f"/post/{hidden.pk}/" not in summary and "Soon hidden." in summary  # no attribution
