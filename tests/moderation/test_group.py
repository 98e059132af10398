"""The "Moderators" group from the data migration: exactly what moderation needs."""

from __future__ import annotations

import pytest

from forum import permissions
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_group_has_exactly_the_moderation_permissions(moderators_group):
    perms = {f"{p.content_type.app_label}.{p.codename}" for p in moderators_group.permissions.all()}
    assert perms == {
        "boards.read_any_forum",
        "threads.view_topic", "threads.lock_topic", "threads.pin_topic", "threads.hide_topic",
        "threads.move_topic",
        "posts.view_post", "posts.hide_post", "posts.edit_any_post", "posts.view_postrevision",
        "posts.recommend_post", "posts.view_recommendedpost",
        "accounts.view_user", "accounts.change_own_title",
        "moderation.ban_member", "moderation.approve_post", "moderation.view_report",
        "moderation.change_report", "moderation.view_moderationaction",
    }  # fmt: skip


def test_joining_the_group_makes_a_moderator_at_once(moderators_group):
    user = UserFactory()
    assert not permissions.is_moderator(user)
    user.groups.add(moderators_group)
    user = type(user).objects.get(pk=user.pk)  # a new request: a fresh user object
    assert permissions.is_moderator(user) and permissions.can_open_admin(user)
    assert permissions.can_ban(user) and permissions.can_handle_reports(user)
    assert not permissions.can_delete_permanently(user)
    assert permissions.may_recommend_posts(user)


def test_a_banned_moderator_moderates_nothing(moderator):
    from django.utils import timezone

    moderator.banned_at = timezone.now()
    assert not permissions.is_moderator(moderator)
    assert not permissions.can_open_admin(moderator)
    assert not permissions.can_lock_topic(moderator)
