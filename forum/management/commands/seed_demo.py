"""Fill the forum with a realistic demo community. Running it twice changes nothing."""

from __future__ import annotations

import io
import random
import re
from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
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
)
from forum.posts.models import Post
from forum.posts.quoting import quote_markup
from forum.posts.services import reply_to_topic, start_topic, store_upload
from forum.reactions.catalog import enabled_types
from forum.reactions.models import Reaction
from forum.reactions.services import react_to_post
from forum.threads.models import Topic

DEMO_PASSWORD = "agora-demo"  # noqa: S105 (documented demo credential)
_PICTURE = re.compile(r"\(attachment:([a-z_]+)\)")


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
            forums = self._forums()
            created = self._topics(forums, members)
            reactions = self._reactions(members)
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
        for t_index, (forum_name, author, title, body, reply_count) in enumerate(TOPICS):
            forum = forums[forum_name]
            if Topic.objects.filter(forum=forum, title=title).exists():
                continue
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
            earlier: list[Post] = []
            for r_index in range(reply_count):
                at = started + (end - started) * ((r_index + 1) / reply_count)
                replier = rng.choice([n for n in names if n != previous])
                text = REPLIES[(t_index * 7 + r_index * 3) % len(REPLIES)]
                if r_index in PLACED_REPLIES.get(title, {}):
                    replier, text = PLACED_REPLIES[title][r_index]
                quoted = self._quoted(earlier, r_index)
                if quoted is not None:
                    text = f"{quote_markup(quoted)}\n{text}"
                text, ids = self._with_pictures(text, members[replier])
                post = reply_to_topic(
                    topic,
                    author=members[replier],
                    body=text,
                    created_at=at,
                    attachment_ids=ids,
                    notify=False,
                )
                earlier.append(post)
                previous = replier
        return created

    @staticmethod
    def _quoted(earlier: list[Post], r_index: int) -> Post | None:
        """The post a demo reply quotes, if it quotes one: a conversation needs a few.

        Every sixth reply quotes the one before it (which makes a quote in a
        quote now and then); in long topics the 26th quotes the topic's third
        post, from another page.
        """
        if r_index == 25 and len(earlier) > 2:
            return earlier[1]
        if r_index % 6 == 4 and earlier:
            return earlier[-1]
        if r_index % 6 == 5 and len(earlier) > 30:
            return earlier[-1]
        return None

    def _reactions(self, members: dict[str, Any]) -> int:
        """React to the demo posts, through the service (reputation follows); once only."""
        types = {reaction_type.name: reaction_type for reaction_type in enabled_types()}
        mix = [(types[name], weight) for name, weight in REACTION_MIX if name in types]
        if not mix or Reaction.objects.exists():
            return 0
        rng = random.Random(31)  # noqa: S311 (demo data, not security)
        people = list(members.values())
        given = 0
        posts = Post.objects.filter(topic__title__in=[t[2] for t in TOPICS], hidden=False)
        for post in posts.select_related("topic").order_by("pk").iterator():
            count = rng.choice([0, 0, 0, 1, 1, 2, 3, 5])
            reactors = rng.sample([m for m in people if m.pk != post.author_id], count)
            for reactor in reactors:
                reaction_type = rng.choices([t for t, _ in mix], weights=[w for _, w in mix], k=1)[
                    0
                ]
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
