"""Fill the forum with a realistic demo community. Running it twice changes nothing."""

from __future__ import annotations

import io
import random
import re
from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Count, Max, OuterRef, Subquery
from django.utils import timezone
from django.utils.text import slugify

from accounts.services import set_avatar
from forum import demo_images, images
from forum.boards.models import Category, Forum
from forum.demo_content import (
    MEMBERS,
    MEMBERS_WITH_AVATARS,
    PLACED_REPLIES,
    REACTION_MIX,
    REPLIES,
    STRUCTURE,
    TOPICS,
    Reply,
)
from forum.notifications import delivery
from forum.notifications.models import ForumFollow, Kind, Notification
from forum.notifications.services import recount_all_unread
from forum.posts.models import Post, QuoteEdge, RecommendedPost
from forum.posts.quoting import quote_markup
from forum.posts.services import reply_to_topic, start_topic, store_upload
from forum.reactions.catalog import enabled_types
from forum.reactions.models import Reaction
from forum.reactions.services import react_to_post
from forum.threads.models import Topic

DEMO_PASSWORD = "agora-demo"  # noqa: S105 (documented demo credential)
_PICTURE = re.compile(r"\(attachment:([a-z_]+)\)")
_TITLES = [title for _forum, _author, title, _body in TOPICS]


class Command(BaseCommand):
    help = "Create demo members, forums and topics (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--admin-password",
            default="admin",
            help="Password of the demo superuser 'admin' (created if missing).",
        )

    def handle(self, *args: Any, admin_password: str, **options: Any) -> None:
        with transaction.atomic():
            members = self._members()
            self._avatars(members)
            self._admin(admin_password)
            self._moderators(members)
            forums = self._forums()
            created = self._topics(forums, members)
            reactions = self._reactions(members)
            self._recommendations(members)
            self._follows(members)
            self._notifications()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo forum ready: {len(members)} members, {len(forums)} forums, "
                f"{created} new topics, {reactions} new reactions. "
                f"Members sign in with password '{DEMO_PASSWORD}'."
            )
        )

    def _members(self) -> dict[str, Any]:
        user_model = get_user_model()
        now = timezone.now()
        rng = random.Random(7)  # noqa: S311 (demo data, not security)
        members = {}
        for index, (username, title) in enumerate(MEMBERS):
            user = user_model.objects.filter(username=username).first()
            if user is None:
                user = user_model(
                    username=username,
                    email=f"{slugify(username) or 'member'}@example.com",
                    title=title,
                    date_joined=now - timedelta(days=400 - index * 11, hours=rng.randint(0, 23)),
                )
                user.set_password(DEMO_PASSWORD)
                user.save()
                EmailAddress.objects.create(
                    user=user, email=user.email, verified=True, primary=True
                )
            members[username] = user
        return members

    def _avatars(self, members: dict[str, Any]) -> None:
        for username in MEMBERS_WITH_AVATARS:
            user = members[username]
            if not user.avatar:
                image = images.process_upload(io.BytesIO(demo_images.avatar(username)))
                set_avatar(user, image=image)

    def _with_pictures(self, text: str, author: Any) -> tuple[str, list[int]]:
        """Upload the demo pictures ``text`` names, as ``author``, and point at them."""
        ids = []
        for key in _PICTURE.findall(text):
            data, filename = demo_images.picture(key)
            image = images.process_upload(io.BytesIO(data))
            attachment = store_upload(author, image=image, filename=filename)
            text = text.replace(f"(attachment:{key})", f"(attachment:{attachment.pk})")
            ids.append(attachment.pk)
        return text, ids

    def _admin(self, password: str) -> None:
        user_model = get_user_model()
        if user_model.objects.filter(username="admin").exists():
            return
        admin = user_model.objects.create_superuser(
            username="admin", email="admin@example.com", password=password, title="Administrator"
        )
        EmailAddress.objects.create(user=admin, email=admin.email, verified=True, primary=True)

    def _moderators(self, members: dict[str, Any]) -> None:
        """The demo member titled "Moderator" is one (the group comes from a migration)."""
        group = Group.objects.filter(name="Moderators").first()
        if group is not None:
            members["marta_k"].groups.add(group)

    def _forums(self) -> dict[str, Forum]:
        forums = {}
        for c_index, (c_name, c_desc, forum_rows) in enumerate(STRUCTURE):
            category, _ = Category.objects.get_or_create(
                name=c_name, defaults={"description": c_desc, "position": c_index}
            )
            for f_index, (f_name, f_desc, access) in enumerate(forum_rows):
                forum, _ = Forum.objects.get_or_create(
                    category=category,
                    name=f_name,
                    defaults={
                        "slug": slugify(f_name),
                        "description": f_desc,
                        "position": f_index,
                        "read_access": access,
                    },
                )
                forums[f_name] = forum
        return forums

    def _topics(self, forums: dict[str, Forum], members: dict[str, Any]) -> int:
        rng = random.Random(2026)  # noqa: S311 (demo data, not security)
        now = timezone.now()
        names = list(members)
        created = 0
        for t_index, (forum_name, author, title, body) in enumerate(TOPICS):
            forum = forums[forum_name]
            if Topic.objects.filter(forum=forum, title=title).exists():
                continue
            replies = self._replies(title)
            reply_count = len(replies)
            # Older topics first; the last replies of each land in the recent past,
            # so the pages show every kind of relative time.
            span = timedelta(days=rng.randint(3, 45), hours=rng.randint(0, 23))
            started = now - span - timedelta(days=len(TOPICS) - t_index)
            body, ids = self._with_pictures(body, members[author])
            topic = start_topic(
                forum,
                author=members[author],
                title=title,
                body=body,
                created_at=started,
                attachment_ids=ids,
                notify=False,  # past events: the followers of the forum hear nothing now
            )
            created += 1
            end = now - timedelta(minutes=rng.randint(2, 60 * 24 * 3))
            if forum_name == "DIY & Workshop" and reply_count > 50:
                end = now - timedelta(minutes=8)
            previous = author
            posts: list[Post] = [Post.objects.get(pk=topic.first_post_id)]
            for r_index, reply in enumerate(replies):
                at = started + (end - started) * ((r_index + 1) / reply_count)
                replier = reply.author
                if replier is None:
                    following = replies[r_index + 1].author if r_index + 1 < reply_count else None
                    others = [n for n in names if n not in {author, previous, following}]
                    replier = rng.choice(others)
                text = reply.text
                if reply.quotes is not None:
                    text = f"{quote_markup(posts[reply.quotes - 1])}\n{text}"
                text, ids = self._with_pictures(text, members[replier])
                post = reply_to_topic(
                    topic,
                    author=members[replier],
                    body=text,
                    created_at=at,
                    attachment_ids=ids,
                    notify=False,
                )
                posts.append(post)
                previous = replier
        return created

    @staticmethod
    def _replies(title: str) -> list[Reply]:
        """The topic's own conversation, with its placed replies at their indexes."""
        own = iter(REPLIES[title])
        placed = PLACED_REPLIES.get(title, {})
        count = len(REPLIES[title]) + len(placed)
        return [Reply(*placed[i]) if i in placed else next(own) for i in range(count)]

    def _reactions(self, members: dict[str, Any]) -> int:
        """React to the demo posts, through the service (reputation follows); once only."""
        types = {reaction_type.name: reaction_type for reaction_type in enabled_types()}
        mix = [(types[name], weight) for name, weight in REACTION_MIX if name in types]
        if not mix or Reaction.objects.exists():
            return 0
        mix_types, mix_weights = zip(*mix, strict=True)
        rng = random.Random(31)  # noqa: S311 (demo data, not security)
        people = list(members.values())
        given = 0
        posts = Post.objects.filter(topic__title__in=_TITLES, hidden=False)
        for post in posts.select_related("topic").order_by("pk").iterator():
            count = rng.choice([0, 0, 0, 1, 1, 2, 3, 5])
            reactors = rng.sample([m for m in people if m.pk != post.author_id], count)
            for reactor in reactors:
                (reaction_type,) = rng.choices(mix_types, weights=mix_weights)
                at = post.created_at + timedelta(minutes=rng.randint(1, 600))
                react_to_post(
                    post,
                    user=reactor,
                    reaction_type=reaction_type,
                    at=min(at, timezone.now()),
                    notify=False,
                )
                given += 1
        return given

    # --- Recommended posts, follows and notifications ------------------------------

    def _recommendations(self, members: dict[str, Any]) -> None:
        """The long topic has replies recommended by the demo moderator (whose
        group may recommend posts) on its first and second pages."""
        moderator = members["marta_k"]
        longest = Topic.objects.filter(title__in=_TITLES).order_by("-last_position", "pk")
        picks = [(0, 3, "A clear answer to the question in the first post."), (0, 27, ""),
                 (1, 2, "Worth reading before you buy anything.")]  # fmt: skip
        topics = list(longest[:2])
        for index, position, note in picks:
            if index >= len(topics):
                continue
            post = Post.objects.filter(topic=topics[index], position=position).first()
            if post is None or post.author_id == moderator.pk:
                continue
            RecommendedPost.objects.get_or_create(
                post=post, defaults={"recommended_by": moderator, "note": note}
            )

    def _follows(self, members: dict[str, Any]) -> None:
        """A few members follow whole forums (they follow the topics they posted in
        already: replying follows a topic)."""
        wanted = {
            "spidermike007": ["Gear Talk", "DIY & Workshop"],
            "marta_k": ["Announcements", "Feedback & Suggestions"],
        }
        for username, names in wanted.items():
            for forum in Forum.objects.filter(name__in=names):
                ForumFollow.objects.get_or_create(user=members[username], forum=forum)

    def _notifications(self) -> None:
        """What the demo members would have been told of: quotes, reactions and
        recommendations, at the time they happened, in the app only (the e-mails of
        past events are not sent). Those older than two days are read."""
        quotes = QuoteEdge.objects.filter(quoted_user__isnull=False).select_related(
            "post__topic__forum"
        )
        for edge in quotes:
            delivery.deliver(
                Kind.QUOTE,
                [edge.quoted_user_id],
                key=f"quote:{edge.post_id}",
                actor_id=edge.post.author_id,
                post=edge.post,
            )
            self._backdate(f"quote:{edge.post_id}", edge.post.created_at)
        last_reactor = Reaction.objects.filter(post=OuterRef("pk")).order_by("-created_at", "-id")
        reacted = (
            Post.objects.filter(author__isnull=False, reactions__isnull=False)
            .annotate(
                reactors=Count("reactions"),
                latest=Max("reactions__created_at"),
                last_reactor_id=Subquery(last_reactor.values("user_id")[:1]),
            )
            .select_related("topic__forum")
        )
        for post in reacted:
            delivery.deliver(
                Kind.REACTION,
                [post.author_id],
                key=f"reaction:{post.pk}",
                actor_id=post.last_reactor_id,
                actor_count=post.reactors,
                post=post,
            )
            self._backdate(f"reaction:{post.pk}", post.latest)
        for recommendation in RecommendedPost.objects.select_related("post__topic__forum"):
            post = recommendation.post
            delivery.deliver(
                Kind.RECOMMENDED,
                [post.author_id],
                key=f"recommended:{post.pk}",
                actor_id=recommendation.recommended_by_id,
                post=post,
            )
        Notification.objects.filter(email_pending=True).update(
            email_pending=False, emailed_at=timezone.now()
        )
        old = timezone.now() - timedelta(days=2)
        Notification.objects.filter(updated_at__lt=old, read_at__isnull=True).update(read_at=old)
        recount_all_unread()

    @staticmethod
    def _backdate(key: str, at: Any) -> None:
        Notification.objects.filter(key=key).update(created_at=at, updated_at=at)
