"""Reaction types: installed by a data migration, managed in the admin, read from the cache."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.test import Client

from forum.posts.models import Post
from forum.reactions import services
from forum.reactions.catalog import reaction_types
from forum.reactions.models import ReactionType
from tests.factories import UserFactory, make_topic

pytestmark = pytest.mark.django_db

migration = importlib.import_module("forum.reactions.migrations.0002_default_reaction_types")


def test_the_data_migration_installs_the_default_set_and_reverses():
    ReactionType.objects.all().delete()
    migration.install_default_types(apps, None)
    names = list(ReactionType.objects.filter(enabled=True).values_list("name", flat=True))
    assert names == ["Like", "Thanks", "Haha", "Confused", "Sad", "Thumbs Up"]
    weights = dict(ReactionType.objects.values_list("name", "weight"))
    assert weights["Like"] == 1 and weights["Confused"] == 0 and weights["Thumbs Down"] == -1
    migration.install_default_types(apps, None)  # running it again adds nothing
    assert ReactionType.objects.count() == len(migration.DEFAULT_TYPES)
    migration.remove_default_types(apps, None)
    assert not ReactionType.objects.exists()


def test_page_views_read_the_types_from_the_cache(types, django_assert_num_queries):
    reaction_types()
    with django_assert_num_queries(0):
        assert [t.name for t in reaction_types()][:2] == ["Like", "Thanks"]


def test_an_admin_change_reaches_the_page_at_once(types):
    topic = make_topic()
    post = Post.objects.get(pk=topic.first_post_id)
    services.react_to_post(post, user=UserFactory(), reaction_type=types["Like"])
    assert 'reaction-count__name">Like<' in Client().get(topic.get_absolute_url()).content.decode()
    admin = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    like = types["Like"]
    response = client.post(
        f"/admin/reactions/reactiontype/{like.pk}/change/",
        {"name": "Love", "emoji": "💖", "position": 1, "enabled": "on", "weight": 1},
    )
    assert response.status_code == 302
    html = Client().get(topic.get_absolute_url()).content.decode()
    assert 'reaction-count__name">Love<' in html and "💖" in html


def test_the_admin_lists_types_with_their_use(types):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    post = Post.objects.get(pk=make_topic().first_post_id)
    services.react_to_post(post, user=UserFactory(), reaction_type=types["Haha"])
    html = client.get("/admin/reactions/reactiontype/").content.decode()
    assert "Thumbs Up" in html and "Times used" in html
    assert client.get("/admin/reactions/reaction/").status_code == 200
    assert client.get("/admin/reactions/reaction/add/").status_code == 403


def test_deleting_reactions_in_the_admin_recounts_reputation(
    types, django_capture_on_commit_callbacks
):
    author = UserFactory()
    post = Post.objects.get(pk=make_topic(author=author).first_post_id)
    reaction = services.react_to_post(post, user=UserFactory(), reaction_type=types["Like"])
    admin = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/reactions/reaction/",
            {"action": "delete_selected", "_selected_action": [reaction.pk], "post": "yes"},
        )
    assert response.status_code == 302
    author.refresh_from_db()
    assert author.reputation == 0
