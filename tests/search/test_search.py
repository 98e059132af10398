"""The search page: matching, visibility, filters, sorting, highlighting, budgets.

These run on whichever database the suite uses (SQLite by default, PostgreSQL
with DATABASE_URL), so both search paths meet the same expectations.
"""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from forum.posts import services
from forum.posts.models import Post
from forum.search.models import SearchDocument
from forum.threads.models import Topic
from tests.factories import ForumFactory, UserFactory, make_post, make_topic

pytestmark = pytest.mark.django_db


def search(client: Client, q: str = "", **params: str):
    response = client.get("/search/?" + urlencode({"q": q, **params}))
    assert response.status_code == 200
    return response


def found(client: Client, q: str, **params: str) -> set[int]:
    """The ids of the posts a search lists (from their /post/<id>/ links)."""
    html = search(client, q, **params).content.decode()
    results = html.split('class="search-results"', 1)[1] if "search-results" in html else ""
    return {int(pk) for pk in re.findall(r'href="/post/(\d+)/"', results)}


def moderator_client() -> Client:
    moderator = UserFactory()
    moderator.user_permissions.add(Permission.objects.get(codename="hide_post"))
    client = Client()
    client.force_login(moderator)
    return client


# --- Matching ------------------------------------------------------------------


def test_every_word_must_match(guest_client):
    topic = make_topic(title="Tripods", body="A heavy aluminium tripod for windy nights.")
    other = make_post(topic, body="A carbon tripod, light and stiff.")
    assert found(guest_client, "tripod aluminium") == {topic.first_post_id}
    assert found(guest_client, "tripod") == {topic.first_post_id, other.pk}
    assert found(guest_client, "tripod marmalade") == set()


def test_quoted_phrase_matches_the_words_in_order(guest_client):
    topic = make_topic(title="Cameras", body="An Olympus with a working light meter.")
    make_post(topic, body="The meter of my old light was broken.")
    assert found(guest_client, '"light meter"') == {topic.first_post_id}


def test_phrase_spans_markup(guest_client):
    topic = make_topic(title="Watering", body="Try watering in the **morning** instead.")
    assert found(guest_client, '"watering in the morning"') == {topic.first_post_id}


def test_minus_excludes_words_and_phrases(guest_client):
    topic = make_topic(title="Compost", body="Compost in a bin by the shed.")
    heap = make_post(topic, body="Compost on an open heap.")
    flies = make_post(topic, body="Compost attracts fruit flies.")
    assert found(guest_client, "compost -bin") == {heap.pk, flies.pk}
    assert found(guest_client, 'compost -"fruit flies"') == {topic.first_post_id, heap.pk}


def test_or_matches_either_side(guest_client):
    topic = make_topic(title="Vegetables", body="Tomato seedlings.")
    pepper = make_post(topic, body="Pepper seedlings.")
    make_post(topic, body="Cucumber seedlings.")
    assert found(guest_client, "tomato or pepper") == {topic.first_post_id, pepper.pk}


def test_topic_title_finds_the_first_post_only(guest_client):
    topic = make_topic(title="Sourdough starter rescue", body="It smells odd.", replies=2)
    assert found(guest_client, "sourdough") == {topic.first_post_id}


def test_markup_is_not_searchable_text(guest_client):
    make_topic(title="Links", body="See [the guide](https://example.com/strong-tea).")
    assert found(guest_client, "href") == set()
    assert found(guest_client, "strong") == set()


def test_editing_a_post_updates_the_index(member_client, member):
    topic = make_topic(author=member, title="Gear", body="I use a zeppelin case.")
    post = Post.objects.get(pk=topic.first_post_id)
    services.edit_post(post, editor=member, body="I use a hardshell case.")
    assert found(member_client, "zeppelin") == set()
    assert found(member_client, "hardshell") == {post.pk}


def test_renaming_a_topic_updates_the_index(member_client, member):
    topic = make_topic(author=member, title="Untitled", body="Body text.")
    post = Post.objects.select_related("topic").get(pk=topic.first_post_id)
    services.edit_post(post, editor=member, body=post.body, title="Kombucha brewing")
    assert found(member_client, "kombucha") == {post.pk}
    assert found(member_client, "untitled") == set()


# --- Visibility ------------------------------------------------------------------


def test_hidden_post_is_found_only_by_moderators(guest_client, member_client):
    topic = make_topic(body="Visible words.")
    hidden = make_post(topic, body="Secret marmoset words.")
    Post.objects.filter(pk=hidden.pk).update(hidden=True)
    assert found(guest_client, "marmoset") == set()
    assert found(member_client, "marmoset") == set()
    html = search(moderator_client(), "marmoset").content.decode()
    assert f'href="/post/{hidden.pk}/"' in html
    assert "badge--hidden" in html


def test_hidden_topic_is_found_only_by_moderators(member_client):
    topic = make_topic(title="Quarrel", body="Heated capybara argument.", replies=1)
    Topic.objects.filter(pk=topic.pk).update(hidden=True)
    assert found(member_client, "capybara") == set()
    assert found(member_client, "quarrel") == set()
    assert found(moderator_client(), "capybara") == {topic.first_post_id}


def test_forums_the_searcher_cannot_read_are_left_out(guest_client, member_client):
    back_room = make_topic(ForumFactory(read_access="members"), body="Members talk okapi.")
    staff = make_topic(ForumFactory(read_access="moderators"), body="Staff talk okapi.")
    assert found(guest_client, "okapi") == set()
    assert found(member_client, "okapi") == {back_room.first_post_id}
    assert staff.first_post_id not in found(moderator_client(), "okapi")


def test_a_forum_filter_cannot_reach_an_unreadable_forum(guest_client):
    forum = ForumFactory(read_access="members")
    make_topic(forum, body="Members talk okapi.")
    html = search(guest_client, "okapi", forum=str(forum.pk)).content.decode()
    assert "Select a valid choice" in html
    assert "search-results" not in html


# --- Filters and sorting ---------------------------------------------------------


def test_filter_by_forum_author_and_topics_only(guest_client):
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    garden, workshop = ForumFactory(), ForumFactory()
    in_garden = make_topic(garden, author=alice, body="Lichen on the bench.")
    in_workshop = make_topic(workshop, author=bob, body="Lichen on the saw.")
    reply = make_post(in_workshop, author=alice, body="Lichen everywhere.")
    assert found(guest_client, "lichen", forum=str(garden.pk)) == {in_garden.first_post_id}
    assert found(guest_client, "lichen", author="ALICE") == {in_garden.first_post_id, reply.pk}
    assert found(guest_client, "lichen", topics_only="on") == {
        in_garden.first_post_id,
        in_workshop.first_post_id,
    }


def test_filter_by_date_range(guest_client):
    now = timezone.now()
    old = make_topic(body="Walnut shelf.", created_at=now - timedelta(days=40))
    new = make_topic(body="Walnut table.", created_at=now - timedelta(days=2))
    day = (now - timedelta(days=10)).date().isoformat()
    assert found(guest_client, "walnut", after=day) == {new.first_post_id}
    assert found(guest_client, "walnut", before=day) == {old.first_post_id}
    html = search(guest_client, "walnut", after=day, before="2000-01-01").content.decode()
    assert "The end date is before the start date." in html


def test_sort_by_newest_and_by_relevance(guest_client):
    now = timezone.now()
    in_title = make_topic(
        title="Hedgehog house plans", body="Plans inside.", created_at=now - timedelta(days=9)
    )
    in_body = make_topic(title="Garden visitors", body="A hedgehog came by.")

    def order(sort: str) -> list[int]:
        html = search(guest_client, "hedgehog", sort=sort).content.decode()
        return [int(pk) for pk in re.findall(r'search-result__title">.*?href="/post/(\d+)/"',
                                             html, re.S)]  # fmt: skip

    assert order("newest") == [in_body.first_post_id, in_title.first_post_id]
    assert order("relevance") == [in_title.first_post_id, in_body.first_post_id]


# --- The page ------------------------------------------------------------------


def test_results_link_to_the_post_with_highlighted_excerpt(guest_client):
    topic = make_topic(title="Fog over the river", body='The fog was *lifting*, 3 < 4 & "so".')
    html = search(guest_client, "lifting").content.decode()
    assert f'<a href="/post/{topic.first_post_id}/">Fog over the river</a>' in html
    assert "The fog was <mark>lifting</mark>, 3 &lt; 4 &amp; &quot;so&quot;." in html
    assert '1 result for <span class="search-query">lifting</span>' in html


def test_title_is_highlighted(guest_client):
    topic = make_topic(title="Fog <over> the river", body="Grey morning.")
    html = search(guest_client, "river").content.decode()
    assert (
        f'href="/post/{topic.first_post_id}/">Fog &lt;over&gt; the <mark>river</mark></a>' in html
    )


def test_typed_tags_are_words_and_shown_as_text(guest_client):
    topic = make_topic(title="Centre a <div> please", body="Use `<section>` or a <b>grid</b>.")
    html = search(guest_client, "div").content.decode()
    assert "Centre a &lt;<mark>div</mark>&gt; please</a>" in html
    html = search(guest_client, "section").content.decode()
    assert f'href="/post/{topic.first_post_id}/"' in html
    assert "Use &lt;<mark>section</mark>&gt; or a &lt;b&gt;grid&lt;/b&gt;." in html


def test_empty_search_shows_the_form_and_tips(guest_client):
    for response in (guest_client.get("/search/"), search(guest_client, "   ")):
        html = response.content.decode()
        assert 'name="q"' in html and "How to search" in html
        assert "search-results" not in html


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ("-cats", "a minus sign only leaves words out"),
        (" ".join(f"w{n}" for n in range(25)), "at most 20 words"),
        ("x" * 201, "at most 200 characters"),
        ("!!!", "There are no words to look for"),
    ],
)
def test_malformed_search_explains_itself(guest_client, q, message):
    html = search(guest_client, q).content.decode()
    assert message in html
    assert "How to search" in html


def test_bad_filters_and_pages_do_not_break_the_page(guest_client):
    make_topic(body="Walnut shelf.")
    html = search(
        guest_client, "walnut", after="yesterday", forum="x", sort="best"
    ).content.decode()
    assert "Enter a valid date." in html and "How to search" in html
    assert found(guest_client, "walnut", page="999") != set()
    assert found(guest_client, "walnut", page="x") != set()


def test_no_results_says_so(guest_client):
    html = search(guest_client, "zyzzyva").content.decode()
    assert (
        '0 results for <span class="search-query">zyzzyva</span>' in html
        and "Nothing matched" in html
    )


def test_results_are_paginated_keeping_the_search(guest_client):
    topic = make_topic(title="Lathe", body="Lathe chuck one.")
    for n in range(24):
        make_post(topic, body=f"Lathe chuck {n}.")
    html = search(guest_client, "chuck", sort="newest").content.decode()
    assert "25 results" in html and "Page 1 of 2" in html
    assert 'href="?q=chuck&amp;sort=newest&amp;page=2"' in html
    assert len(found(guest_client, "chuck", sort="newest", page="2")) == 5


def test_a_page_past_the_last_shows_the_last_page(guest_client):
    topic = make_topic(title="Lathe", body="Lathe chuck one.")
    for n in range(24):
        make_post(topic, body=f"Lathe chuck {n}.")
    last = found(guest_client, "chuck", sort="newest", page="2")
    for page in ("3", "99", "1" + "0" * 40):
        html = search(guest_client, "chuck", sort="newest", page=page).content.decode()
        assert "25 results" in html and "Page 2 of 2" in html
        assert found(guest_client, "chuck", sort="newest", page=page) == last


def test_header_has_a_labelled_search_box_on_every_page(guest_client):
    topic = make_topic()
    for url in ["/", topic.get_absolute_url(), "/accounts/login/"]:
        html = guest_client.get(url).content.decode()
        header = html.split('class="site-header"', 1)[1].split("</header>", 1)[0]
        assert 'action="/search/"' in header and 'method="get"' in header
        assert '<label class="visually-hidden" for="site-search-q">' in header
        assert 'id="site-search-q" type="search" name="q"' in header


def test_search_page_query_count_is_constant(guest_client, django_assert_num_queries):
    author = UserFactory()
    topic = make_topic(author=author, title="Bench", body="Oak bench.")
    # the readable forums (filter menu); the count; one page of results with topic,
    # forum and author
    with django_assert_num_queries(3):
        search(guest_client, "oak")
    for _ in range(15):
        make_post(topic, author=UserFactory(), body="Oak again.")
    with django_assert_num_queries(3):
        search(guest_client, "oak")
    with django_assert_num_queries(3):
        search(guest_client, "oak", sort="newest", topics_only="on", author=author.username)


def test_member_search_query_count_is_constant(member_client, django_assert_num_queries):
    topic = make_topic(body="Oak bench.")
    search(member_client, "oak")  # warm the permission cache and last-seen stamp
    # session, member, then as for a guest
    with django_assert_num_queries(5):
        search(member_client, "oak")
    for _ in range(15):
        make_post(topic, body="Oak again.")
    with django_assert_num_queries(5):
        search(member_client, "oak")


# --- The index ---------------------------------------------------------------------


def test_every_new_post_gets_a_document():
    topic = make_topic(title="Kiln", body="Firing **cone** 6.", replies=2)
    docs = {d.post_id: d for d in SearchDocument.objects.filter(post__topic=topic)}
    assert len(docs) == 3
    assert docs[topic.first_post_id].title == "Kiln"
    assert docs[topic.first_post_id].text == "Firing cone 6."
    assert all(d.title == "" for pk, d in docs.items() if pk != topic.first_post_id)


def test_reindex_search_rebuilds_missing_and_stale_documents(guest_client):
    topic = make_topic(title="Kiln", body="Firing cone 6.", replies=1)
    SearchDocument.objects.filter(post_id=topic.first_post_id).delete()
    SearchDocument.objects.exclude(post_id=topic.first_post_id).update(text="stale")
    assert found(guest_client, "firing") == set()
    call_command("reindex_search", batch_size=1, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert SearchDocument.objects.count() == 2
    assert found(guest_client, "firing") == {topic.first_post_id}
    assert found(guest_client, "reply") != set()
    assert found(guest_client, "stale") == set()


def test_the_forum_filter_groups_each_category_once(guest_client):
    from tests.factories import CategoryFactory

    garden, photo = (
        CategoryFactory(name="Garden", position=1),
        CategoryFactory(name="Photo", position=1),
    )
    for position in (1, 2):
        ForumFactory(category=garden, name=f"Garden {position}", position=position)
        ForumFactory(category=photo, name=f"Photo {position}", position=position)
    html = search(guest_client).content.decode()
    assert (
        html.count('<optgroup label="Garden">') == 1 and html.count('<optgroup label="Photo">') == 1
    )
