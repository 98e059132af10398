"""factory_boy factories. Topics and posts are made through the services, so
counters are right in every test, exactly as in the product."""

from __future__ import annotations

from typing import Any

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from forum.boards.models import Category, Forum
from forum.posts import services
from forum.posts.models import Post
from forum.threads.models import Topic

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"member{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(obj, create: bool, extracted: Any, **kwargs: Any) -> None:  # noqa: N805
        if create:
            obj.save()
            EmailAddress.objects.create(
                user=obj, email=obj.email, verified=extracted is not False, primary=True
            )


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Category {n}")
    position = factory.Sequence(int)


class ForumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Forum

    category = factory.SubFactory(CategoryFactory)
    name = factory.Sequence(lambda n: f"Forum {n}")
    slug = factory.Sequence(lambda n: f"forum-{n}")
    description = "A place to talk."
    position = factory.Sequence(int)


def make_topic(
    forum: Forum | None = None,
    *,
    author: Any = None,
    title: str = "A topic worth reading",
    body: str = "The first post.",
    replies: int = 0,
    **kwargs: Any,
) -> Topic:
    """Start a topic through the service, optionally with ``replies`` replies."""
    forum = forum or ForumFactory()
    author = author or UserFactory()
    topic = services.start_topic(forum, author=author, title=title, body=body, **kwargs)
    for n in range(replies):
        services.reply_to_topic(topic, author=author, body=f"Reply number {n + 1}.")
    topic.refresh_from_db()
    return topic


def make_post(topic: Topic, *, author: Any = None, body: str = "A reply.") -> Post:
    return services.reply_to_topic(topic, author=author or UserFactory(), body=body)


# --- Reactions ----------------------------------------------------------------------

DEFAULT_REACTION_TYPES = [
    # (name, emoji, position, enabled, weight): as the data migration installs them
    ("Like", "❤️", 10, True, 1),
    ("Thanks", "🙏", 20, True, 1),
    ("Haha", "😂", 30, True, 1),
    ("Confused", "😕", 40, True, 0),
    ("Sad", "😢", 50, True, 0),
    ("Thumbs Up", "👍", 60, True, 1),
    ("Thumbs Down", "👎", 70, False, -1),
]


def default_reaction_types() -> dict[str, Any]:
    """The default reaction types by name, made if missing.

    The data migration installs them, but transactional tests (browser,
    concurrency) flush every table afterwards, so tests ask for them here.
    """
    from forum.reactions.models import ReactionType

    types = {}
    for name, emoji, position, enabled, weight in DEFAULT_REACTION_TYPES:
        types[name], _ = ReactionType.objects.get_or_create(
            name=name,
            defaults={"emoji": emoji, "position": position, "enabled": enabled, "weight": weight},
        )
    return types


def react(post: Post, user: Any, type_name: str = "Like") -> Any:
    """``user`` reacts to ``post`` through the service (reputation follows)."""
    from forum.reactions.services import react_to_post

    return react_to_post(post, user=user, reaction_type=default_reaction_types()[type_name])
