"""The member list: every active member, sortable, paginated."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def names(client, query: str = "") -> list[str]:
    response = client.get(f"/members/{query}")
    assert response.status_code == 200
    return re.findall(
        r'class="member-row__name" href="[^"]+">([^<]+)</a>', response.content.decode()
    )


@pytest.fixture
def people(db):
    def days_ago(n: int):
        return timezone.now() - timedelta(days=n)

    return [
        UserFactory(username="bea", post_count=5, reputation=40, date_joined=days_ago(3)),
        UserFactory(username="amos", post_count=50, reputation=-2, date_joined=days_ago(9)),
        UserFactory(username="cleo", post_count=1, reputation=90, date_joined=days_ago(1)),
        UserFactory(username="gone", is_active=False),
    ]


def test_members_sort_by_name_joined_posts_and_reputation(guest_client, people):
    assert names(guest_client) == ["amos", "bea", "cleo"]
    assert names(guest_client, "?sort=joined") == ["cleo", "bea", "amos"]
    assert names(guest_client, "?sort=posts") == ["amos", "bea", "cleo"]
    assert names(guest_client, "?sort=reputation") == ["cleo", "bea", "amos"]
    assert names(guest_client, "?sort=nonsense") == ["amos", "bea", "cleo"]


def test_member_list_links_profiles_and_marks_the_sort(member_client, people):
    html = member_client.get("/members/?sort=posts").content.decode()
    assert f'href="/profile/{people[0].pk}-bea/"' in html
    assert '<a class="tabs__tab" href="/members/?sort=posts" aria-current="page">Posts</a>' in html
    assert "gone" not in html


def test_member_list_is_paginated_keeping_the_sort(guest_client):
    for n in range(31):
        UserFactory(username=f"m{n:02d}", post_count=n)
    html = guest_client.get("/members/?sort=posts").content.decode()
    assert "Page 1 of 2" in html and 'href="/members/?sort=posts&amp;page=2"' in html
    assert names(guest_client, "?sort=posts&page=2") == ["m00"]


def test_board_index_links_to_the_members(guest_client):
    assert 'href="/members/"' in guest_client.get("/").content.decode()


def test_member_list_query_count_is_constant(guest_client, django_assert_num_queries):
    UserFactory()
    with django_assert_num_queries(2):  # count, one page of members
        guest_client.get("/members/")
    for _ in range(20):
        UserFactory()
    with django_assert_num_queries(2):
        guest_client.get("/members/?sort=reputation")
