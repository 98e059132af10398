"""Every "may this user ..." rule of the forum, in one place.

``can_*`` functions return a bool; ``check_*`` functions raise
``PermissionDenied``, or ``Http404`` where the object must stay hidden. List
filters (``visible_forums``) share their predicate with the ``can_*`` check
so that "may I see it" and "which can I see" always agree. Views, templates
(through the booleans views pass them) and the admin
all call these; nothing else tests ``is_staff`` or a permission inline.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.verification import has_verified_email
from forum.boards.models import Forum
from forum.humanize import exact_time

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


def _may(user: UserLike, perm: str) -> bool:
    """A member, not banned, holding ``perm`` (superusers hold every permission)."""
    return is_member(user) and not user.is_banned and user.has_perm(perm)


def is_moderator(user: UserLike) -> bool:
    """Moderators see hidden content and the moderation tools."""
    return _may(user, "posts.hide_post") or _may(user, "threads.hide_topic")


def is_verified(user: UserLike) -> bool:
    """A member whose primary e-mail address is confirmed (superusers always are)."""
    return is_member(user) and (user.is_superuser or has_verified_email(user))


def ban_message(user: UserLike) -> str:
    """What a banned member is told: why, and until when."""
    if user.banned_until is None:
        text = _("You are banned from posting on this forum.")
    else:
        until = exact_time(user.banned_until)
        text = _("You are banned from posting until %(until)s.") % {"until": until}
    if user.ban_reason:
        text += " " + _("Reason: %(reason)s") % {"reason": user.ban_reason}
    return text


def posting_refusal(user: UserLike) -> str | None:
    """Why a signed-in member may not post, react, report or send anything; None if they may."""
    if not is_member(user):
        return None
    if user.is_banned:
        return ban_message(user)
    if not is_verified(user):
        return _("Confirm your e-mail address before you take part: see your account settings.")
    return None


def can_post(user: UserLike) -> bool:
    """A member who may write at all: signed in, e-mail confirmed, not banned."""
    return is_member(user) and posting_refusal(user) is None


def _refuse(user: UserLike) -> PermissionDenied:
    return PermissionDenied(posting_refusal(user) or _("You do not have permission to do this."))


# --- Forums -----------------------------------------------------------------


_LEVELS = "_agora_readable_levels"


def readable_access_levels(user: UserLike) -> tuple[str, ...]:
    """The ``Forum.read_access`` values ``user`` may read.

    A page asks this for every post it shows; a member's answer is kept on the
    user object, as Django keeps their permissions (``_perm_cache``), so it
    lives for one request.
    """
    if not is_member(user):
        return (Forum.Access.EVERYONE,)
    levels = getattr(user, _LEVELS, None)
    if levels is None:
        levels = (Forum.Access.EVERYONE, Forum.Access.MEMBERS)
        if user.is_superuser or user.has_perm("boards.read_any_forum"):
            levels += (Forum.Access.MODERATORS,)
        setattr(user, _LEVELS, levels)
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
    if not can_post(user) or not can_read_forum(user, forum):
        return False
    return not forum.locked or is_moderator(user)


# --- Topics -----------------------------------------------------------------


def can_see_hidden(user: UserLike) -> bool:
    return is_moderator(user)


def _is_author(user: UserLike, obj: Topic | Post) -> bool:
    return is_member(user) and obj.author_id == user.pk


def can_see_topic(user: UserLike, topic: Topic) -> bool:
    if not can_read_forum(user, topic.forum):
        return False
    if topic.hidden and not can_see_hidden(user):
        return False
    return not topic.pending or can_see_hidden(user) or _is_author(user, topic)


def check_see_topic(user: UserLike, topic: Topic) -> None:
    if not can_see_topic(user, topic):
        raise Http404


def visible_topics(user: UserLike, topics: QuerySet[Topic]) -> QuerySet[Topic]:
    """Narrow ``topics`` to those ``user`` may see: the list form of ``can_see_topic``."""
    topics = topics.filter(forum__in=visible_forums(user))
    if can_see_hidden(user):
        return topics
    topics = topics.filter(hidden=False)
    if is_member(user):
        return topics.filter(Q(pending=False) | Q(author_id=user.pk))
    return topics.filter(pending=False)


def is_public_topic(topic: Topic) -> bool:
    """Guests may read it (feeds publish only such topics)."""
    return can_see_topic(AnonymousUser(), topic)


def can_reply(user: UserLike, topic: Topic) -> bool:
    """Whether ``user`` may post a reply; a guest may not (the view sends them to sign in)."""
    if not can_post(user) or not can_see_topic(user, topic) or topic.pending:
        return False
    return not topic.locked or can_lock_topic(user)


def check_reply(user: UserLike, topic: Topic) -> None:
    check_see_topic(user, topic)
    if not can_reply(user, topic):
        if can_post(user) and topic.locked:
            raise PermissionDenied(_("This topic is now closed to further replies."))
        raise _refuse(user)


def can_lock_topic(user: UserLike) -> bool:
    return _may(user, "threads.lock_topic")


def can_pin_topic(user: UserLike) -> bool:
    return _may(user, "threads.pin_topic")


def can_hide_topic(user: UserLike) -> bool:
    return _may(user, "threads.hide_topic")


def can_move_topic(user: UserLike) -> bool:
    """Move a topic to another forum, or merge topics."""
    return _may(user, "threads.move_topic")


def topic_tools(user: UserLike) -> dict[str, bool]:
    """The moderator tools the topic page offers ``user`` (all False for members)."""
    return {
        "lock": can_lock_topic(user),
        "pin": can_pin_topic(user),
        "hide": can_hide_topic(user),
        "move": can_move_topic(user),
    }


# --- Posts ------------------------------------------------------------------


def can_see_post(user: UserLike, post: Post) -> bool:
    if not can_see_topic(user, post.topic):
        return False
    if post.hidden and not can_see_hidden(user):
        return False
    return not post.pending or can_see_hidden(user) or _is_author(user, post)


def visible_posts_in_topic(user: UserLike, posts: QuerySet[Post]) -> QuerySet[Post]:
    """The posts of one topic ``user`` may already see that ``user`` may see:
    the list form of the post-level rules of ``can_see_post``."""
    if can_see_hidden(user):
        return posts
    if is_member(user):
        return posts.filter(hidden=False).filter(Q(pending=False) | Q(author_id=user.pk))
    return posts.filter(hidden=False, pending=False)


def visible_posts_in_page(user: UserLike, posts: list[Post]) -> list[Post]:
    """The posts of a topic page's list that ``user`` may see (``post.topic`` set):
    ``can_see_post`` for each, so the page and the rule never disagree."""
    return [post for post in posts if can_see_post(user, post)]


def visible_posts(user: UserLike, posts: QuerySet[Post]) -> QuerySet[Post]:
    """Narrow ``posts`` (of any topics) to those ``user`` may see: the list form of
    ``can_see_post`` with the forum and topic rules too."""
    posts = posts.filter(topic__forum__in=visible_forums(user))
    if can_see_hidden(user):
        return posts
    posts = visible_posts_in_topic(user, posts.filter(topic__hidden=False))
    if is_member(user):
        return posts.filter(Q(topic__pending=False) | Q(topic__author_id=user.pk))
    return posts.filter(topic__pending=False)


def check_see_post(user: UserLike, post: Post) -> None:
    if not can_see_post(user, post):
        raise Http404


def can_edit_any_post(user: UserLike) -> bool:
    return _may(user, "posts.edit_any_post")


def can_edit_post(user: UserLike, post: Post) -> bool:
    """Authors edit their posts within the edit window; moderators edit any post, always."""
    if not can_post(user) or not can_see_post(user, post):
        return False
    if can_edit_any_post(user):
        return True
    if post.author_id != user.pk or post.topic.locked or post.hidden:
        return False
    window = settings.AGORA_EDIT_WINDOW_MINUTES
    return window <= 0 or timezone.now() - post.created_at < timedelta(minutes=window)


def check_edit_post(user: UserLike, post: Post) -> None:
    check_see_post(user, post)
    if not can_edit_post(user, post):
        raise _refuse(user)


def can_hide_post(user: UserLike) -> bool:
    return _may(user, "posts.hide_post")


def can_approve_posts(user: UserLike) -> bool:
    return _may(user, "moderation.approve_post")


def can_view_history(user: UserLike, post: Post) -> bool:
    """Moderators read every revision of a post."""
    return can_see_post(user, post) and (can_edit_any_post(user) or can_hide_post(user))


def check_view_history(user: UserLike, post: Post) -> None:
    check_see_post(user, post)
    if not can_view_history(user, post):
        raise PermissionDenied


def can_upload_images(user: UserLike) -> bool:
    """Attach images to posts (and upload them for the editor)."""
    return is_member(user) and not is_banned(user)


# --- Quotes and reactions -----------------------------------------------------


def can_quote(user: UserLike, post: Post) -> bool:
    """Quoting a post means replying with it: a member who may reply and see the post."""
    return can_reply(user, post.topic) and can_see_post(user, post)


def _may_answer_others_post(user: UserLike, post: Post) -> bool:
    """A member who may post, on someone else's post that everyone sees."""
    return (
        can_post(user)
        and can_see_post(user, post)
        and not post.hidden
        and not post.pending
        and post.author_id != user.pk
    )


def can_react(user: UserLike, post: Post) -> bool:
    """React to someone else's visible post: members who may post, never to their own."""
    return _may_answer_others_post(user, post)


def check_react(user: UserLike, post: Post) -> None:
    check_see_post(user, post)
    if not can_react(user, post):
        raise PermissionDenied


def can_report(user: UserLike, post: Post) -> bool:
    """Report someone else's visible post to the moderators."""
    return _may_answer_others_post(user, post)


def check_report(user: UserLike, post: Post) -> None:
    check_see_post(user, post)
    if not can_report(user, post):
        raise _refuse(user)


# --- Moderation -------------------------------------------------------------


def can_handle_reports(user: UserLike) -> bool:
    return _may(user, "moderation.change_report")


def can_view_moderation_log(user: UserLike) -> bool:
    return _may(user, "moderation.view_moderationaction")


def can_ban(user: UserLike, member: Any = None) -> bool:
    """Ban ``member`` (or anyone, when None): never yourself or a superuser;
    only superusers ban moderators."""
    if not _may(user, "moderation.ban_member"):
        return False
    if member is None:
        return True
    if member.pk == user.pk or member.is_superuser:
        return False
    return user.is_superuser or not is_moderator(member)


def can_delete_permanently(user: UserLike) -> bool:
    """Only superusers destroy content; moderators hide it."""
    return is_member(user) and user.is_superuser


def can_open_admin(user: UserLike) -> bool:
    """The admin site is the moderation console: staff and moderators."""
    return is_member(user) and not user.is_banned and (user.is_staff or is_moderator(user))


# --- Recommended posts, following ---------------------------------------------


def may_recommend_posts(user: UserLike) -> bool:
    """A moderator's permission (granted to a group), not staff status."""
    return _may(user, "posts.recommend_post")


def can_recommend_post(user: UserLike, post: Post) -> bool:
    """Recommend a post, or take the recommendation off: a shown reply the moderator sees.

    The first post is the topic itself, so it is not recommended.
    """
    if not may_recommend_posts(user) or not can_see_post(user, post):
        return False
    return not post.hidden and not post.pending and post.position > 1


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


def can_edit_profile(user: UserLike) -> bool:
    """Banned members keep their profile as it is: the signature shows under every post."""
    return is_member(user) and not user.is_banned


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
