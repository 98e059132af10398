"""Atom feeds: a forum's newest topics and a topic's newest posts.

Feeds are read by programs that never sign in, so they publish only what a
guest may read (``permissions.is_public_forum`` / ``is_public_topic``) and
never hidden content. Links are absolute on the host the feed was fetched
from, and so are the links and images inside the posts' HTML
(``markup.absolute_urls``): feed readers resolve relative URLs unreliably.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from forum import permissions
from forum.boards.models import Forum
from forum.posts import quoting
from forum.posts.markup import absolute_urls
from forum.posts.models import Post
from forum.threads.models import Topic

FEED_ITEMS = 20


def _feed_html(posts: list[Post], origin: str) -> None:
    """Give each post ``display_html`` for a feed: URLs absolute on ``origin``, and
    quote headers as a guest sees them (one query, if any quotes)."""
    for post in posts:
        post.body_html = absolute_urls(post.body_html, origin)
    quoting.attribute_quotes(posts, AnonymousUser(), origin)


class _AtomFeed(Feed):
    feed_type = Atom1Feed

    @staticmethod
    def _origin(request: HttpRequest) -> str:
        return request.build_absolute_uri("/").rstrip("/")


class ForumTopicsFeed(_AtomFeed):
    """The newest topics of a public forum, each with its opening post."""

    def get_object(self, request: HttpRequest, pk: int, slug: str) -> Forum:
        forum = get_object_or_404(Forum, pk=pk)
        if not permissions.is_public_forum(forum):
            raise Http404
        forum.origin = self._origin(request)
        return forum

    def title(self, forum: Forum) -> str:
        return f"{forum.name} - {settings.SITE_NAME}"

    def subtitle(self, forum: Forum) -> str:
        return forum.description or _("The newest topics in %(forum)s.") % {"forum": forum.name}

    def link(self, forum: Forum) -> str:
        return forum.origin + forum.get_absolute_url()

    def feed_url(self, forum: Forum) -> str:
        return forum.origin + reverse(
            "posts:forum_feed", kwargs={"pk": forum.pk, "slug": forum.slug}
        )

    def items(self, forum: Forum) -> list[Topic]:
        topics = list(
            Topic.objects.filter(forum=forum)
            .shown()
            .select_related("author")
            .order_by("-created_at", "-id")[:FEED_ITEMS]
        )
        # The opening posts in one query; a hidden one leaves its topic without text.
        posts = list(
            Post.objects.shown()
            .filter(pk__in=[t.first_post_id for t in topics if t.first_post_id])
            .only("pk", "body_html")
        )
        _feed_html(posts, forum.origin)
        first_posts = {post.pk: post.display_html for post in posts}
        for topic in topics:
            topic.origin = forum.origin
            topic.first_post_html = first_posts.get(topic.first_post_id, "")
        return topics

    def item_title(self, topic: Topic) -> str:
        return topic.title

    def item_link(self, topic: Topic) -> str:
        return topic.origin + topic.get_absolute_url()

    def item_description(self, topic: Topic) -> str:
        return topic.first_post_html

    def item_author_name(self, topic: Topic) -> str:
        return topic.author.username if topic.author else _("a former member")

    def item_pubdate(self, topic: Topic) -> datetime:
        return topic.created_at

    def item_updateddate(self, topic: Topic) -> datetime:
        return topic.created_at


class TopicPostsFeed(_AtomFeed):
    """The newest posts of a public topic."""

    def get_object(self, request: HttpRequest, pk: int, slug: str) -> Topic:
        topic = get_object_or_404(Topic.objects.select_related("forum"), pk=pk)
        if not permissions.is_public_topic(topic):
            raise Http404
        topic.origin = self._origin(request)
        return topic

    def title(self, topic: Topic) -> str:
        return f"{topic.title} - {settings.SITE_NAME}"

    def subtitle(self, topic: Topic) -> str:
        return _("The newest posts in “%(topic)s”, in %(forum)s.") % {
            "topic": topic.title,
            "forum": topic.forum.name,
        }

    def link(self, topic: Topic) -> str:
        return topic.origin + topic.get_absolute_url()

    def feed_url(self, topic: Topic) -> str:
        return topic.origin + reverse(
            "posts:topic_feed", kwargs={"pk": topic.pk, "slug": topic.slug}
        )

    def items(self, topic: Topic) -> list[Post]:
        posts = list(
            Post.objects.filter(topic=topic)
            .shown()
            .select_related("author")
            .order_by("-position")[:FEED_ITEMS]
        )
        for post in posts:
            post.topic = topic
            post.origin = topic.origin
        _feed_html(posts, topic.origin)
        return posts

    def item_title(self, post: Post) -> str:
        name = post.author.username if post.author else _("a former member")
        if post.is_first:
            return _("%(name)s started “%(topic)s”") % {"name": name, "topic": post.topic.title}
        return _("%(name)s replied to “%(topic)s”") % {"name": name, "topic": post.topic.title}

    def item_link(self, post: Post) -> str:
        return post.origin + post.get_absolute_url()

    def item_description(self, post: Post) -> str:
        return post.display_html

    def item_author_name(self, post: Post) -> str:
        return post.author.username if post.author else _("a former member")

    def item_pubdate(self, post: Post) -> datetime:
        return post.created_at

    def item_updateddate(self, post: Post) -> datetime:
        return post.edited_at or post.created_at
