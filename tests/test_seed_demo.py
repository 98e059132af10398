"""manage.py seed_demo fills a realistic forum and is idempotent."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from forum.boards.models import Forum
from forum.demo_content import PLACED_REPLIES, REPLIES, TOPICS
from forum.notifications.models import ForumFollow, Notification, TopicUser
from forum.posts.models import Attachment, Post, QuoteEdge, RecommendedPost
from forum.reactions.models import Reaction
from forum.reactions.services import reputation_of
from forum.threads.models import Topic
from tests.factories import default_reaction_types

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def _counts() -> tuple[int, ...]:
    models = [
        get_user_model(), Forum, Topic, Post, QuoteEdge, Reaction, Attachment,
        RecommendedPost, ForumFollow, TopicUser, Notification,
    ]  # fmt: skip
    avatars = get_user_model().objects.exclude(avatar="").count()
    return (*(model.objects.count() for model in models), avatars)


def test_seed_demo_is_idempotent(guest_client):
    default_reaction_types()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    counts = _counts()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts == _counts()
    assert counts[0] >= 30 and counts[1] >= 5 and counts[2] >= 10
    longest = Topic.objects.order_by("-last_position").first()
    assert longest.page_count >= 3
    # Counters agree with the rows.
    for forum in Forum.objects.all():
        assert forum.post_count == Post.objects.filter(topic__forum=forum).count()
    # The pages render.
    assert guest_client.get("/").status_code == 200
    assert guest_client.get(longest.get_page_url(longest.page_count)).status_code == 200


def test_seed_demo_has_real_images_and_avatars(guest_client):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Attachment.objects.filter(post__isnull=True).count() == 0
    assert Attachment.objects.count() >= 5
    assert Attachment.objects.filter(content_type="image/gif").exists()
    wide = Attachment.objects.exclude(display="")
    assert wide.exists() and all(a.display_width == 1200 for a in wide)
    fog = Topic.objects.get(title__startswith="Morning fog")
    html = guest_client.get(fog.get_absolute_url()).content.decode()
    photo = Attachment.objects.get(post_id=fog.first_post_id)
    assert f'<a class="attachment" href="{photo.file.url}"' in html
    assert guest_client.get(photo.display.url)["Content-Type"] == "image/jpeg"
    member = get_user_model().objects.get(username="spidermike007")
    assert member.avatar and member.avatar_small
    profile = guest_client.get(member.get_absolute_url()).content.decode()
    assert f'src="{member.avatar.url}"' in profile


def test_seed_demo_has_quotes_across_pages_and_reactions():
    default_reaction_types()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert QuoteEdge.objects.count() >= 20
    longest = Topic.objects.order_by("-last_position").first()
    per_page = settings.AGORA_POSTS_PER_PAGE
    across = [
        edge
        for edge in QuoteEdge.objects.filter(post__topic=longest).select_related(
            "post", "quoted_post"
        )
        if (edge.post.position - 1) // per_page != (edge.quoted_post.position - 1) // per_page
    ]
    assert across, "the demo topic should quote a post from another page"
    assert Reaction.objects.count() >= 100
    assert Reaction.objects.filter(type__name="Thumbs Up").exists()
    for member in get_user_model().objects.all():
        assert member.reputation == reputation_of(member.pk)


def _words(text: str) -> str:
    """A reply's text with its attachment references, which the seed rewrites, blanked."""
    return re.sub(r"\(attachment:[^)]*\)", "(attachment)", text).strip()


def test_demo_replies_are_written_for_their_topic_and_no_other():
    texts = [_words(reply.text) for replies in REPLIES.values() for reply in replies]
    texts += [_words(text) for placed in PLACED_REPLIES.values() for _, text in placed.values()]
    assert len(texts) == len(set(texts)), "a reply text is used twice"
    assert set(REPLIES) == {title for _, _, title, _ in TOPICS}


def test_seed_demo_topics_read_as_their_own_conversations():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    own = {title: {_words(reply.text) for reply in replies} for title, replies in REPLIES.items()}
    for title, placed in PLACED_REPLIES.items():
        own[title] |= {_words(text) for _, text in placed.values()}
    seen: dict[str, str] = {}
    for _, starter, title, _ in TOPICS:
        topic = Topic.objects.get(title=title)
        posts = list(Post.objects.filter(topic=topic).select_related("author").order_by("position"))
        assert [post.position for post in posts] == list(range(1, len(posts) + 1))
        authors = [post.author.username for post in posts]
        assert authors[0] == starter
        assert all(a != b for a, b in zip(authors, authors[1:], strict=False)), title
        assert starter in authors[1:], f"{starter} never answers in {title}"
        for post in posts[1:]:
            text = _words(post.body)
            mine = [words for words in own[title] if text.endswith(words)]
            assert mine, (title, post.position, post.body)
            assert seen.setdefault(mine[0], title) == title, "a reply appears in two topics"
        # A quoting reply opens with the post it was written to answer (which may
        # hold a quote of its own, so the edges can include an older post too).
        replies = iter(REPLIES[title])
        for index, post in enumerate(posts[1:]):
            if index in PLACED_REPLIES.get(title, {}):
                continue
            reply = next(replies)
            if reply.author is not None:
                assert post.author.username == reply.author
            quoted = {edge.quoted_post_id for edge in QuoteEdge.objects.filter(post=post)}
            if reply.quotes is None:
                assert not quoted, (title, post.position)
                continue
            source = posts[reply.quotes - 1]
            assert source.pk in quoted
            assert post.body.startswith(f'[quote="{source.author.username}, post:{source.pk}"]')
    assert len(seen) == sum(len(replies) for replies in own.values())


def test_seed_demo_long_topic_has_four_pages_and_a_recent_last_post():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    longest = Topic.objects.order_by("-last_position").first()
    assert longest.title == "Show us your workspace (2026 edition)"
    assert longest.page_count >= 4
    last = Post.objects.get(topic=longest, position=longest.last_position)
    assert timedelta(minutes=7) < timezone.now() - last.created_at < timedelta(minutes=10)
    times = list(
        Post.objects.filter(topic=longest).order_by("position").values_list("created_at", flat=True)
    )
    assert times == sorted(times)


def test_seed_demo_has_a_moderator_recommended_posts_follows_and_notifications(mailoutbox):
    default_reaction_types()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    moderator = get_user_model().objects.get(username="marta_k")
    assert moderator.has_perm("posts.recommend_post")
    longest = Topic.objects.order_by("-last_position").first()
    per_page = settings.AGORA_POSTS_PER_PAGE
    pages = {
        (r.post.position - 1) // per_page + 1
        for r in RecommendedPost.objects.filter(post__topic=longest).select_related("post")
    }
    assert {1, 2} <= pages
    assert ForumFollow.objects.filter(user__username="spidermike007").exists()
    assert TopicUser.objects.filter(following=True).count() >= 20
    assert Notification.objects.filter(kind="quote").exists()
    assert Notification.objects.filter(kind="reaction", actor_count__gt=1).exists()
    assert mailoutbox == []  # past events send no e-mail
    for member in get_user_model().objects.all():
        unread = Notification.objects.filter(recipient=member, read_at__isnull=True).count()
        assert member.unread_notifications == unread
