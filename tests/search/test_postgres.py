"""What only PostgreSQL does: stemming, the stored vector and its GIN index."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.search import SearchQuery
from django.db import connection

from forum.search.models import SearchDocument
from forum.search.query import parse_query
from forum.search.results import Criteria, matching_posts
from tests.factories import make_post, make_topic
from tests.search.test_search import found, search

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_words_match_their_other_forms(postgres, guest_client):
    topic = make_topic(title="Greenhouse", body="My tomatoes are curling.")
    html = search(guest_client, "tomato curled").content.decode()
    assert f'href="/post/{topic.first_post_id}/"' in html
    assert "My <mark>tomatoes</mark> are <mark>curling</mark>." in html


def test_title_words_rank_above_body_words(postgres, guest_client):
    body_hit = make_topic(title="Misc", body="Something about a kiln.")
    title_hit = make_topic(title="Kiln", body="Something else.")
    newer = make_post(body_hit, body="Another kiln kiln mention.")
    html = search(guest_client, "kiln").content.decode()
    positions = [html.index(f'href="/post/{pk}/"') for pk in
                 (title_hit.first_post_id, newer.pk, body_hit.first_post_id)]  # fmt: skip
    assert positions[0] == min(positions)


def test_only_stop_words_find_nothing_without_error(postgres, guest_client):
    make_topic(body="The and of a.")
    assert found(guest_client, "the and") == set()


def test_documents_store_a_weighted_vector(postgres):
    topic = make_topic(title="Kiln", body="Firing cone six.")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT vector::text FROM search_searchdocument WHERE post_id = %s",
            [topic.first_post_id],
        )
        (vector,) = cursor.fetchone()
    assert "'kiln':1A" in vector and "'fire':2B" in vector and "'cone':3B" in vector


def test_search_uses_the_gin_index(postgres, member):
    topic = make_topic(body="Firing cone six.")
    for _ in range(3):
        make_post(topic, body="Other words.")
    # The full query's plan depends on the tables' sizes (on four rows the
    # planner may start from the posts); what must hold is that the match
    # itself can use the index, which the query's vector condition is.
    criteria = Criteria(query=parse_query("firing"))
    sql, _ = matching_posts(member, criteria).query.sql_with_params()
    assert '"search_searchdocument"."vector" @@' in sql
    query = SearchQuery("firing", search_type="websearch", config=settings.AGORA_SEARCH_CONFIG)
    sql, params = SearchDocument.objects.filter(vector=query).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "search_document_vector_gin" in plan
    assert SearchDocument.objects.filter(vector__isnull=True).count() == 0


def test_new_posts_go_straight_into_the_gin_index(postgres):
    """Nothing waits in the index's pending list, which every search would read."""
    topic = make_topic(body="Firing cone six.")
    for _ in range(3):
        make_post(topic, body="Glaze crawling after a bisque at cone 04.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT gin_clean_pending_list('search_document_vector_gin'::regclass)")
        (pages_merged,) = cursor.fetchone()
    assert pages_merged == 0
    found = matching_posts(AnonymousUser(), Criteria(query=parse_query("glaze")))
    replies = topic.posts.filter(position__gt=1)
    assert set(found.values_list("pk", flat=True)) == set(replies.values_list("pk", flat=True))
