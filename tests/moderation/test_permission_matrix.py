"""Who may do what: every actor against every action, each outcome asserted.

Outcomes: ``OK`` (done, and the change is in the database), ``403``, ``404``
(the object stays hidden) and ``SIGN_IN`` (a guest is sent to sign in). When
an action is refused, the test also checks that nothing changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from forum.moderation.models import ModerationAction, Report
from forum.moderation.services import hide_topic
from forum.posts.models import Post
from forum.reactions.models import Reaction
from forum.threads.models import Topic
from tests.factories import (
    ForumFactory,
    UserFactory,
    default_reaction_types,
    make_post,
    make_topic,
)

pytestmark = pytest.mark.django_db

OK, SIGN_IN = "allowed", "sign in"
ACTORS = ["guest", "unverified", "member", "author", "another", "moderator", "banned",
          "superuser"]  # fmt: skip

# action: outcome per actor, in the order of ACTORS
MATRIX: dict[str, tuple[Any, ...]] = {
    #              guest    unverif. member author another  mod  banned super
    "read":        (OK,      OK,      OK,    OK,    OK,     OK,  OK,    OK),
    "reply":       (SIGN_IN, 403,     OK,    OK,    OK,     OK,  403,   OK),
    "edit_own":    (SIGN_IN, 403,     OK,    OK,    OK,     OK,  403,   OK),
    "edit_others": (SIGN_IN, 403,     403,   403,   403,    OK,  403,   OK),
    "hide":        (SIGN_IN, 403,     403,   403,   403,    OK,  403,   OK),
    "react":       (SIGN_IN, 403,     OK,    403,   OK,     OK,  403,   OK),
    "report":      (SIGN_IN, 403,     OK,    403,   OK,     OK,  403,   OK),
    "lock":        (SIGN_IN, 403,     403,   403,   403,    OK,  403,   OK),
    "move":        (SIGN_IN, 403,     403,   403,   403,    OK,  403,   OK),
    "ban":         (SIGN_IN, 403,     403,   403,   403,    OK,  403,   OK),
    "see_hidden":  (404,     404,     404,   404,   404,    OK,  404,   OK),
    "admin":       (SIGN_IN, 403,     403,   403,   403,    OK,  403,   OK),
}  # fmt: skip


@dataclass
class World:
    actors: dict[str, Any]
    author: Any
    topic: Topic
    reply: Post  # the author's reply (not the first post)
    another_reply: Post  # a reply by "another"
    hidden_topic: Topic
    elsewhere: Any  # a second forum, to move to


@pytest.fixture
def world(moderators_group: Any) -> World:
    author = UserFactory()
    another = UserFactory()
    moderator = UserFactory()
    moderator.groups.add(moderators_group)
    superuser = UserFactory(is_superuser=True, is_staff=True)
    banned = UserFactory(banned_at=timezone.now(), ban_reason="Spam")
    actors = {
        "guest": None,
        "unverified": UserFactory(verified=False),
        "member": UserFactory(),
        "author": author,
        "another": another,
        "moderator": moderator,
        "banned": banned,
        "superuser": superuser,
    }
    forum = ForumFactory()
    topic = make_topic(forum, author=author, title="The topic under test")
    reply = make_post(topic, author=author, body="The reply of the author.")
    another_reply = make_post(topic, author=another, body="The reply of another member.")
    hidden = make_topic(forum, author=author, title="A hidden topic")
    hide_topic(hidden, moderator=moderator, reason="Off-topic")
    return World(actors, author, topic, reply, another_reply, hidden, ForumFactory())


def client_for(world: World, actor: str) -> Client:
    client = Client()
    user = world.actors[actor]
    if user is not None:
        client.force_login(user)
    return client


def own_post(world: World, actor: str) -> Post:
    """A post written by ``actor`` (for a guest, the author's: guests own nothing)."""
    user = world.actors[actor]
    if actor == "author" or user is None:
        return world.reply
    if actor == "another":
        return world.another_reply
    return make_post(world.topic, author=user, body=f"A reply by {actor}.")


def outcome(client: Client, response: Any) -> Any:
    if response.status_code in (403, 404):
        return response.status_code
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith("/admin/login/"):
            location = client.get(location)["Location"]
        if location.startswith("/accounts/login/"):
            return SIGN_IN
    assert response.status_code in (200, 302), response.status_code
    return OK


# --- One function per action: do it, and say whether it took effect -------------


def do_read(client: Client, world: World, actor: str) -> tuple[Any, bool]:
    response = client.get(world.topic.get_absolute_url())
    return response, response.status_code == 200 and b"The reply of the author." in (
        response.content
    )


def do_reply(client: Client, world: World, actor: str) -> tuple[Any, bool]:
    url = f"/topic/{world.topic.pk}-{world.topic.slug}/reply/"
    response = client.post(url, {"body": f"A reply from the matrix ({actor})."})
    return response, Post.objects.filter(body=f"A reply from the matrix ({actor}).").exists()


def do_edit_own(client: Client, world: World, actor: str) -> tuple[Any, bool]:
    post = own_post(world, actor)
    response = client.post(f"/post/{post.pk}/edit/", {"body": "Edited by its author."})
    return response, Post.objects.get(pk=post.pk).body == "Edited by its author."


def do_edit_others(client: Client, world: World, actor: str) -> tuple[Any, bool]:
    post = world.another_reply if actor == "author" else world.reply
    response = client.post(f"/post/{post.pk}/edit/", {"body": "Edited by someone else."})
    return response, Post.objects.get(pk=post.pk).body == "Edited by someone else."


def do_hide(client: Client, world: World, actor: str) -> tuple[Any, bool]:
    response = client.post(f"/post/{world.reply.pk}/hide/", {"reason": "Rude"})
    return response, Post.objects.get(pk=world.reply.pk).hidden


def do_react(client: Client, world: World, actor: str) -> tuple[Any, bool]:
    like = default_reaction_types()["Like"]
    response = client.post(f"/post/{world.reply.pk}/react/", {"type": like.pk})
    return response, Reaction.objects.filter(post=world.reply).exists()


def do_report(client: Client, world: World, actor: str) -> tuple[Any, bool]:
    response = client.post(f"/post/{world.reply.pk}/report/", {"reason": "spam"})
    return response, Report.objects.filter(post=world.reply).exists()


def do_lock(client: Client, world: World, actor: str) -> tuple[Any, bool]:
    response = client.post(f"/topic/{world.topic.pk}-{world.topic.slug}/lock/")
    return response, Topic.objects.get(pk=world.topic.pk).locked


def do_move(client: Client, world: World, actor: str) -> tuple[Any, bool]:
    url = f"/topic/{world.topic.pk}-{world.topic.slug}/move/"
    response = client.post(url, {"forum": world.elsewhere.pk})
    return response, Topic.objects.get(pk=world.topic.pk).forum_id == world.elsewhere.pk


def do_ban(client: Client, world: World, actor: str) -> tuple[Any, bool]:
    data = {"action": "ban_members", "_selected_action": [world.author.pk], "index": 0,
            "apply": "Ban", "permanent": "on", "reason": "Trolling"}  # fmt: skip
    response = client.post("/admin/accounts/user/", data)
    world.author.refresh_from_db()
    return response, world.author.is_banned


def do_see_hidden(client: Client, world: World, actor: str) -> tuple[Any, bool]:
    response = client.get(world.hidden_topic.get_absolute_url())
    return response, response.status_code == 200 and b"A hidden topic" in response.content


def do_admin(client: Client, world: World, actor: str) -> tuple[Any, bool]:
    response = client.get("/admin/")
    return response, response.status_code == 200 and b"Moderation console" in response.content


def _anonymous() -> Any:
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


ACTIONS = {name: globals()[f"do_{name}"] for name in MATRIX}


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("action", list(MATRIX))
def test_permission_matrix(world: World, action: str, actor: str) -> None:
    expected = MATRIX[action][ACTORS.index(actor)]
    client = client_for(world, actor)
    log_before = ModerationAction.objects.count()
    response, took_effect = ACTIONS[action](client, world, actor)
    assert outcome(client, response) == expected
    assert took_effect == (expected == OK)
    if action in {"hide", "lock", "move", "ban", "edit_others"}:
        # A moderator's action always leaves a line in the log; a refusal never does.
        assert (ModerationAction.objects.count() > log_before) == (expected == OK)


def test_the_matrix_covers_every_actor_and_action() -> None:
    assert all(len(row) == len(ACTORS) for row in MATRIX.values())
    assert set(MATRIX) == {"read", "reply", "edit_own", "edit_others", "hide", "react", "report",
                           "lock", "move", "ban", "see_hidden", "admin"}  # fmt: skip
