"""Every "may this user ..." rule of the forum, in one place.

``can_*`` functions return a bool; ``check_*`` functions raise
``PermissionDenied``, or ``Http404`` where the object must stay hidden. List
filters (``visible_forums``) share their predicate with the ``can_*`` check
so that "may I see it" and "which can I see" always agree. Views, templates
(through the booleans views pass them) and the admin
all call these; nothing else tests ``is_staff`` or a permission inline.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from forum.boards.models import Forum

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from forum.posts.models import Post
    from forum.threads.models import Topic

    UserLike = Any  # accounts.models.User or AnonymousUser


def is_member(user: UserLike) -> bool:
    """A signed-in, active account."""
    return bool(user.is_authenticated and user.is_active)


def is_banned(user: UserLike) -> bool:
    return is_member(user) and user.is_banned


def is_moderator(user: UserLike) -> bool:
    """Moderators see hidden content and the moderation tools."""
    return is_member(user) and (
        user.is_superuser or user.has_perm("posts.hide_post") or user.has_perm("threads.hide_topic")
    )


# --- Forums -----------------------------------------------------------------


def readable_access_levels(user: UserLike) -> list[str]:
    """The ``Forum.read_access`` values ``user`` may read."""
    levels = [Forum.Access.EVERYONE]
    if is_member(user):
        levels.append(Forum.Access.MEMBERS)
        if user.is_superuser or user.has_perm("boards.read_any_forum"):
            levels.append(Forum.Access.MODERATORS)
    return levels


def visible_forums(user: UserLike) -> QuerySet[Forum]:
    return Forum.objects.filter(read_access__in=readable_access_levels(user))


def can_read_forum(user: UserLike, forum: Forum) -> bool:
    return forum.read_access in readable_access_levels(user)


def check_read_forum(user: UserLike, forum: Forum) -> None:
    if not can_read_forum(user, forum):
        raise Http404


def is_public_forum(forum: Forum) -> bool:
    """Guests may read it (feeds publish only such forums)."""
    return can_read_forum(AnonymousUser(), forum)


def can_start_topic(user: UserLike, forum: Forum) -> bool:
    if not is_member(user) or is_banned(user) or not can_read_forum(user, forum):
        return False
    return not forum.locked or is_moderator(user)


# --- Topics -----------------------------------------------------------------


def can_see_hidden(user: UserLike) -> bool:
    return is_moderator(user)


def can_see_topic(user: UserLike, topic: Topic) -> bool:
    if not can_read_forum(user, topic.forum):
        return False
    return not topic.hidden or can_see_hidden(user)


def check_see_topic(user: UserLike, topic: Topic) -> None:
    if not can_see_topic(user, topic):
        raise Http404


def visible_topics(user: UserLike, topics: QuerySet[Topic]) -> QuerySet[Topic]:
    """Narrow ``topics`` to those ``user`` may see: the list form of ``can_see_topic``."""
    topics = topics.filter(forum__in=visible_forums(user))
    return topics if can_see_hidden(user) else topics.filter(hidden=False)


def is_public_topic(topic: Topic) -> bool:
    """Guests may read it (feeds publish only such topics)."""
    return can_see_topic(AnonymousUser(), topic)


def can_reply(user: UserLike, topic: Topic) -> bool:
    """Whether ``user`` may post a reply; a guest may not (the view sends them to sign in)."""
    if not is_member(user) or is_banned(user) or not can_see_topic(user, topic):
        return False
    return not topic.locked or can_lock_topic(user)


def check_reply(user: UserLike, topic: Topic) -> None:
    check_see_topic(user, topic)
    if not can_reply(user, topic):
        raise PermissionDenied


def can_lock_topic(user: UserLike) -> bool:
    return is_member(user) and user.has_perm("threads.lock_topic")


# --- Posts ------------------------------------------------------------------


def can_see_post(user: UserLike, post: Post) -> bool:
    if not can_see_topic(user, post.topic):
        return False
    return not post.hidden or can_see_hidden(user)


def check_see_post(user: UserLike, post: Post) -> None:
    if not can_see_post(user, post):
        raise Http404


def visible_posts(user: UserLike, posts: QuerySet[Post]) -> QuerySet[Post]:
    """Narrow ``posts`` to those ``user`` may see: the list form of ``can_see_post``."""
    posts = posts.filter(topic__forum__in=visible_forums(user))
    return posts if can_see_hidden(user) else posts.filter(hidden=False, topic__hidden=False)


def can_edit_post(user: UserLike, post: Post) -> bool:
    if not is_member(user) or is_banned(user) or not can_see_post(user, post):
        return False
    if user.has_perm("posts.edit_any_post"):
        return True
    return post.author_id == user.pk and not post.topic.locked


def check_edit_post(user: UserLike, post: Post) -> None:
    check_see_post(user, post)
    if not can_edit_post(user, post):
        raise PermissionDenied


def can_upload_images(user: UserLike) -> bool:
    """Attach images to posts (and upload them for the editor)."""
    return is_member(user) and not is_banned(user)


# --- Quotes and reactions -----------------------------------------------------


def can_quote(user: UserLike, post: Post) -> bool:
    """Quoting a post means replying with it: a member who may reply and see the post."""
    return can_reply(user, post.topic) and can_see_post(user, post)


def can_react(user: UserLike, post: Post) -> bool:
    """Members react to posts they can see, except their own and hidden ones."""
    if not is_member(user) or is_banned(user) or not can_see_post(user, post):
        return False
    return not post.hidden and post.author_id != user.pk


def check_react(user: UserLike, post: Post) -> None:
    check_see_post(user, post)
    if not can_react(user, post):
        raise PermissionDenied


# --- Recommended posts, following ---------------------------------------------


def may_recommend_posts(user: UserLike) -> bool:
    """A moderator's permission (granted to a group), not staff status."""
    return is_member(user) and not is_banned(user) and user.has_perm("posts.recommend_post")


def can_recommend_post(user: UserLike, post: Post) -> bool:
    """Recommend a post, or take the recommendation off: a shown reply the moderator sees.

    The first post is the topic itself, so it is not recommended.
    """
    if not may_recommend_posts(user) or not can_see_post(user, post):
        return False
    return not post.hidden and post.position > 1


def check_recommend_post(user: UserLike, post: Post) -> None:
    check_see_post(user, post)
    if not can_recommend_post(user, post):
        raise PermissionDenied


def check_unrecommend_post(user: UserLike, post: Post) -> None:
    """Taking a recommendation off: any post the moderator sees, hidden ones too."""
    check_see_post(user, post)
    if not may_recommend_posts(user):
        raise PermissionDenied


def can_follow(user: UserLike) -> bool:
    """Follow topics and forums, and keep read markers: any signed-in member."""
    return is_member(user)


# --- Members ----------------------------------------------------------------


def can_set_own_title(user: UserLike) -> bool:
    """Members earn a custom title with posts; moderators may always set theirs."""
    if not is_member(user) or is_banned(user):
        return False
    if user.has_perm("accounts.change_own_title"):
        return True
    return user.post_count >= settings.AGORA_CUSTOM_TITLE_MIN_POSTS


def can_see_last_visit(user: UserLike, member: Any) -> bool:
    """A member browsing invisibly shows their last visit only to themselves and moderators."""
    if not member.browse_invisibly:
        return True
    return (is_member(user) and user.pk == member.pk) or is_moderator(user)


def can_change_avatar(user: UserLike) -> bool:
    """Upload an avatar; anyone signed in may remove theirs, banned or not."""
    return is_member(user) and not is_banned(user)
