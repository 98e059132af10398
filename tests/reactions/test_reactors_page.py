"""Who reacted: /post/<id>/reactions/, a page without JavaScript and a popover with it."""

from __future__ import annotations

import re

import pytest

from forum.posts.models import Post
from forum.reactions import services
from forum.threads.models import Topic
from tests.factories import ForumFactory, UserFactory, make_topic
from tests.threads.test_topic_page import _count_queries

pytestmark = pytest.mark.django_db


def _names(html: str) -> list[str]:
    return re.findall(r'<a class="reactors__name" href="[^"]+">([^<]+)</a>', html)


@pytest.fixture
def reacted(types):
    """A post with three reactions: two Likes and a Thanks, the Thanks last."""
    topic = make_topic()
    post = Post.objects.get(pk=topic.first_post_id)
    for username, name in [("ann", "Like"), ("ben", "Like"), ("cleo", "Thanks")]:
        services.react_to_post(post, user=UserFactory(username=username), reaction_type=types[name])
    return post


def test_guest_sees_who_reacted_newest_first(guest_client, reacted):
    response = guest_client.get(f"/post/{reacted.pk}/reactions/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<!DOCTYPE html>" in html and "3 reactions" in html
    assert _names(html) == ["cleo", "ben", "ann"]
    assert f'href="{reacted.get_absolute_url()}"' in html  # back to the post
    tabs = html.split('aria-label="Filter by reaction">', 1)[1].split("</nav>", 1)[0]
    assert re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", tabs)).strip() == "All 3 ❤️ Like 2 🙏 Thanks 1"


def test_filtered_by_type(member_client, reacted, types):
    html = member_client.get(
        f"/post/{reacted.pk}/reactions/?type={types['Like'].pk}"
    ).content.decode()
    assert _names(html) == ["ben", "ann"]
    assert f'?type={types["Like"].pk}" aria-current="true"' in html


def test_htmx_gets_the_popover_content_only(member_client, reacted):
    response = member_client.get(f"/post/{reacted.pk}/reactions/", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<!DOCTYPE html>" not in html
    assert html.lstrip().startswith('<div class="reactors"')
    assert "data-reactors-close" in html and _names(html) == ["cleo", "ben", "ann"]


def test_a_post_the_reader_may_not_see_is_not_found(guest_client, member_client, types):
    topic = make_topic(ForumFactory(read_access="members"))
    post = Post.objects.get(pk=topic.first_post_id)
    assert guest_client.get(f"/post/{post.pk}/reactions/").status_code == 404
    assert member_client.get(f"/post/{post.pk}/reactions/").status_code == 200
    Topic.objects.filter(pk=topic.pk).update(hidden=True)
    assert member_client.get(f"/post/{post.pk}/reactions/").status_code == 404


def test_no_reactions_yet(guest_client):
    post_id = make_topic().first_post_id
    html = guest_client.get(f"/post/{post_id}/reactions/").content.decode()
    assert "Nobody has reacted to this post yet." in html


def test_the_page_costs_the_same_for_one_reaction_as_for_fifty(guest_client, types):
    few = Post.objects.get(pk=make_topic().first_post_id)
    many = Post.objects.get(pk=make_topic().first_post_id)
    services.react_to_post(few, user=UserFactory(), reaction_type=types["Like"])
    for n in range(50):
        name = ["Like", "Thanks", "Haha"][n % 3]
        services.react_to_post(many, user=UserFactory(), reaction_type=types[name])
    guest_client.get(f"/post/{few.pk}/reactions/")  # warm up the types cache
    one = _count_queries(guest_client, f"/post/{few.pk}/reactions/")
    fifty = _count_queries(guest_client, f"/post/{many.pk}/reactions/")
    assert len(one) == len(fifty) <= 4
