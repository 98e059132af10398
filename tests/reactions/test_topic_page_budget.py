"""The topic page keeps its fixed query count whatever the number of reactions."""

from __future__ import annotations

import pytest

from forum.posts.models import Post
from forum.reactions import services
from forum.reactions.models import Reaction
from tests.factories import UserFactory, make_post, make_topic
from tests.threads.test_topic_page import (
    GUEST_QUERY_BUDGET,
    GUEST_TOPIC_PAGE_QUERIES,
    MEMBER_TOPIC_PAGE_QUERIES,
    QUOTED_POSTS_QUERIES,
    _count_queries,
)

pytestmark = pytest.mark.django_db

MEMBER_QUERY_BUDGET = 10


@pytest.fixture
def pages(types):
    """A topic of one post with one reaction, and one of 20 posts with 50 reactions each.

    The busy one also quotes: every other reply quotes the post before it.
    """
    quiet = make_topic()
    services.react_to_post(
        Post.objects.get(pk=quiet.first_post_id), user=UserFactory(), reaction_type=types["Like"]
    )
    busy = make_topic()
    previous = Post.objects.select_related("author").get(pk=busy.first_post_id)
    for n in range(19):
        body = f'[quote="x, post:{previous.pk}"]\nquoted\n[/quote]\nreply' if n % 2 else "reply"
        previous = make_post(busy, author=UserFactory(), body=body)
    reactors = [UserFactory() for _ in range(50)]
    kinds = [types[name] for name in ["Like", "Thanks", "Haha", "Sad", "Thumbs Up"]]
    Reaction.objects.bulk_create(
        Reaction(post=post, user=user, type=kinds[(i + post.pk) % len(kinds)])
        for post in Post.objects.filter(topic=busy)
        for i, user in enumerate(reactors)
    )
    assert Reaction.objects.filter(post__topic=busy).count() == 20 * 50
    return quiet, busy


def test_guest_page_with_a_thousand_reactions_costs_what_one_reaction_does(guest_client, pages):
    quiet, busy = pages
    guest_client.get(quiet.get_absolute_url())  # warm up: the reaction types cache
    one = _count_queries(guest_client, quiet.get_absolute_url())
    many = _count_queries(guest_client, busy.get_absolute_url())
    assert len(one) == GUEST_TOPIC_PAGE_QUERIES
    assert len(many) == GUEST_TOPIC_PAGE_QUERIES + QUOTED_POSTS_QUERIES <= GUEST_QUERY_BUDGET
    html = guest_client.get(busy.get_absolute_url()).content.decode()
    assert html.count('<a class="reaction-count') == 20 * 5
    assert html.count('<span class="reaction-count__n">10</span>') == 20 * 5


def test_member_page_with_a_thousand_reactions_costs_what_one_reaction_does(
    member_client, member, pages, types
):
    quiet, busy = pages
    for post in Post.objects.filter(topic=busy):
        services.react_to_post(post, user=member, reaction_type=types["Confused"])
    for topic in (quiet, busy):  # warm up: types cache, last seen, read positions
        member_client.get(topic.get_absolute_url())
    one = _count_queries(member_client, quiet.get_absolute_url())
    many = _count_queries(member_client, busy.get_absolute_url())
    assert len(one) == MEMBER_TOPIC_PAGE_QUERIES
    assert len(many) == MEMBER_TOPIC_PAGE_QUERIES + QUOTED_POSTS_QUERIES <= MEMBER_QUERY_BUDGET
    html = member_client.get(busy.get_absolute_url()).content.decode()
    # The member's own reaction, known without a query per post.
    assert html.count('aria-pressed="true"') == 20
    assert html.count('class="reaction-count is-mine"') == 20
