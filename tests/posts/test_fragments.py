"""Topic page posts rendered once and shared through the cache, never served stale."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from forum.posts import fragments
from forum.posts.models import Post
from tests.factories import UserFactory, make_post, make_topic, react

pytestmark = pytest.mark.django_db


def _client(member) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    return client


@pytest.fixture
def renders(monkeypatch):
    """Count the posts the template engine renders."""
    calls: list[int] = []
    template = fragments.get_template(fragments.TEMPLATE)
    real = type(template).render

    def counting(self, context=None, request=None):
        if self.template.name == fragments.TEMPLATE:
            calls.append(context["post"].pk)
        return real(self, context, request)

    monkeypatch.setattr(type(template), "render", counting)
    return calls


def test_members_who_may_do_the_same_share_the_rendering(renders):
    topic = make_topic(replies=4)
    first, second = UserFactory(), UserFactory()
    _client(first).get(topic.get_absolute_url())
    assert len(renders) == 5
    _client(second).get(topic.get_absolute_url())
    assert len(renders) == 5  # nothing rendered again


def test_each_member_gets_their_own_csrf_token_in_shared_posts():
    topic = make_topic(replies=2)
    pages = []
    for member in (UserFactory(), UserFactory()):
        client = _client(member)
        html = client.get(topic.get_absolute_url()).content.decode()
        assert fragments.CSRF_PLACEHOLDER not in html
        tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
        assert tokens
        pages.append(client)
    # The token in a shared post works for its member: a reaction goes through.
    post = Post.objects.get(topic=topic, position=2)
    client = pages[1]
    html = client.get(topic.get_absolute_url()).content.decode()
    form = html.split(f'id="reactions-{post.pk}"', 1)[1]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    like = re.search(r'name="type" value="(\d+)"', form).group(1)
    response = client.post(f"/post/{post.pk}/react/", {"type": like, "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_what_changes_renders_again(renders):
    author = UserFactory()
    topic = make_topic(author=author, replies=1)
    reader = UserFactory()
    client = _client(reader)
    client.get(topic.get_absolute_url())
    assert len(renders) == 2
    make_post(make_topic(), author=author)  # the author's post count changes
    html = client.get(topic.get_absolute_url()).content.decode()
    assert len(renders) == 4  # both posts: the author wrote them, and their panel changed
    assert "<dd>3</dd>" in html.split(f'id="post-{topic.first_post_id}"', 1)[1]
    react(Post.objects.get(pk=topic.first_post_id), reader, "Thumbs Up")
    html = client.get(topic.get_absolute_url()).content.decode()
    # Both again: the reaction raised the author's reputation, shown in both panels.
    assert len(renders) == 6
    bar = html.split(f'id="reactions-{topic.first_post_id}"', 1)[1].split("</div>", 1)[0]
    assert "Thumbs Up" in bar and "is-mine" in bar


def test_a_moderator_and_a_member_do_not_share_tools(moderator_client):
    topic = make_topic(replies=1)
    member = _client(UserFactory())
    member_html = member.get(topic.get_absolute_url()).content.decode()
    moderator_html = moderator_client.get(topic.get_absolute_url()).content.decode()
    assert "Hide…" in moderator_html and "Hide…" not in member_html
