"""Seed a benchmark data set quickly, with bulk inserts and correct counters.

    python bench/seed.py --topics 1000 --posts-per-topic 10 --long-topic 2000
    python bench/seed.py --posts 1000000          # the scale run: one 100,000-post topic

Runs against whatever DATABASE_URL says (bench/run.py sets it). Bodies are
rendered once through the real markup pipeline and reused, so stored HTML is
exactly what the product would store. Counters (topic replies and last post,
forum counts and last post, member post counts) are computed here and written
with the rows, so the pages show what they would after real posting.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")

import django  # noqa: E402

django.setup()

from allauth.account.models import EmailAddress  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.seed_words import NEEDLE_PHRASE, NEEDLES, vocabulary  # noqa: E402
from forum.boards.models import Category, Forum  # noqa: E402
from forum.notifications.models import TopicUser  # noqa: E402
from forum.posts import markup  # noqa: E402
from forum.posts.models import Post  # noqa: E402
from forum.threads.models import Topic  # noqa: E402

BENCH_PASSWORD = "bench-password"  # noqa: S105 (benchmark accounts only)
MEMBERS = 1000
# The reply benchmark posts to this topic, followed by every member: each reply
# notifies a thousand followers (in the background).
FOLLOWED_TOPIC = "Benchmark topic 7"
FORUMS = 10
BATCH = 5000

BODIES = [
    "Thanks for posting this, it helped me a lot.",
    "I had the same problem last week. Two things helped:\n\n1. restarting\n2. **patience**",
    "> Quoted from earlier\n\nI disagree, and here is why: it depends on the light.",
    "Here's my setup:\n\n- a desk\n- a chair\n- far too many cables\n\nWhat's yours?",
    "```python\nfor item in items:\n    print(item)\n```\n\nThat's all the code you need.",
    "| lens | price |\n|---|---|\n| 50mm | 120 |\n| 35mm | 180 |",
    "Interesting. Do you have a link? https://example.com/article/42",
    "Welcome to the forum! You'll like it here.",
    "Honestly I think the contrast works. It feels like the fog is *lifting*.",
    "Counterpoint: a kit zoom at 35mm and f/5.6 is fine for learning. The prime isn't magic.",
]


def _render_bodies() -> list[tuple[str, str]]:
    rng = random.Random(1)  # noqa: S311
    bodies = []
    for n in range(40):
        text = BODIES[n % len(BODIES)]
        # A distinct sentence per body gives search something to find.
        extra = f"\n\nNote {n}: the {rng.choice(['red', 'blue', 'green'])} "
        extra += f"{rng.choice(['heron', 'kettle', 'lantern', 'orchard'])} number {n}."
        text += extra
        bodies.append((text, markup.render(text).html))
    return bodies


def seed(topics: int, posts_per_topic: int, long_topic: int) -> dict[str, int]:
    started = time.monotonic()
    user_model = get_user_model()
    if Topic.objects.exists():
        raise SystemExit("the database already holds topics: seed an empty one")
    now = timezone.now()
    password = make_password(BENCH_PASSWORD)
    users = user_model.objects.bulk_create(
        [
            user_model(
                username=f"bench{n:04d}",
                email=f"bench{n:04d}@example.com",
                password=password,
                date_joined=now - timedelta(days=900 - n),
            )
            for n in range(MEMBERS)
        ]
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users]
    )
    category = Category.objects.create(name="Benchmark", position=0)
    forums = Forum.objects.bulk_create(
        [
            Forum(category=category, name=f"Forum {n}", slug=f"forum-{n}", position=n)
            for n in range(FORUMS)
        ]
    )
    bodies = _render_bodies()
    words = vocabulary()
    rng = random.Random(42)  # noqa: S311

    plan = [posts_per_topic] * topics + ([long_topic] if long_topic else [])
    needle_every = max(1, len(plan) // NEEDLES)
    total_posts = sum(plan)
    start_time = now - timedelta(minutes=total_posts + 60)
    user_posts: Counter[int] = Counter()
    forum_topics: Counter[int] = Counter()
    forum_posts: Counter[int] = Counter()
    forum_last: dict[int, tuple] = {}
    clock = 0

    for index, count in enumerate(plan):
        forum = forums[index % FORUMS]
        author = users[index % MEMBERS]
        first_at = start_time + timedelta(minutes=clock)
        # The long topic is the plan's last entry, whatever its length.
        title = "The long topic" if index == topics else f"Benchmark topic {index}"
        with transaction.atomic():
            topic = Topic.objects.create(
                forum=forum,
                title=title,
                slug=title.lower().replace(" ", "-"),
                author=author,
                created_at=first_at,
                last_position=count,
                reply_count=count - 1,
            )
            first_id = last_id = None
            last_author = author
            last_at = first_at
            for offset in range(0, count, BATCH):
                rows = []
                for position in range(offset + 1, min(count, offset + BATCH) + 1):
                    poster = author if position == 1 else users[rng.randrange(MEMBERS)]
                    text, html = bodies[rng.randrange(len(bodies))]
                    # Two rare words per post (plain text: no Markdown to render);
                    # the first post of every few hundredth topic also carries the
                    # phrase that the selective search looks for: as many posts
                    # have it in every data set.
                    extra = f"{rng.choice(words)} {rng.choice(words)}"
                    if position == 1 and index % needle_every == 0:
                        extra += f" {NEEDLE_PHRASE}"
                    text, html = f"{text}\n\n{extra}", f"{html}\n<p>{extra}</p>"
                    at = start_time + timedelta(minutes=clock, seconds=position)
                    rows.append(
                        Post(
                            topic=topic,
                            author=poster,
                            position=position,
                            body=text,
                            body_html=html,
                            render_version=markup.RENDER_VERSION,
                            created_at=at,
                        )
                    )
                    user_posts[poster.pk] += 1
                    last_author, last_at = poster, at
                created = Post.objects.bulk_create(rows)
                first_id = first_id or created[0].pk
                last_id = created[-1].pk
            clock += max(1, count // 50)
            Topic.objects.filter(pk=topic.pk).update(
                first_post_id=first_id,
                last_post_id=last_id,
                last_post_at=last_at,
                last_poster=last_author,
            )
        forum_topics[forum.pk] += 1
        forum_posts[forum.pk] += count
        forum_last[forum.pk] = (last_id, last_at, topic.pk, title, last_author)

    for forum in forums:
        last_id, last_at, topic_id, title, poster = forum_last[forum.pk]
        Forum.objects.filter(pk=forum.pk).update(
            topic_count=forum_topics[forum.pk],
            post_count=forum_posts[forum.pk],
            last_post_id=last_id,
            last_post_at=last_at,
            last_topic_id=topic_id,
            last_topic_title=title,
            last_poster=poster,
        )
    followed = Topic.objects.filter(title=FOLLOWED_TOPIC).first()
    if followed is not None:
        TopicUser.objects.bulk_create(
            [TopicUser(user=u, topic=followed, following=True, followed_at=now) for u in users],
            batch_size=BATCH,
        )
    for user in users:
        user.post_count = user_posts[user.pk]
    user_model.objects.bulk_update(users, ["post_count"], batch_size=BATCH)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    return {
        "members": MEMBERS,
        "forums": FORUMS,
        "topics": len(plan),
        "followers": MEMBERS if followed is not None else 0,
        "posts": total_posts,
        "seconds": int(time.monotonic() - started),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--topics", type=int, default=1000)
    parser.add_argument("--posts-per-topic", type=int, default=10)
    parser.add_argument("--long-topic", type=int, default=2000)
    parser.add_argument(
        "--posts",
        type=int,
        help="total posts for a scale run: one 100,000-post topic, the rest in 10-post topics",
    )
    args = parser.parse_args()
    if args.posts:
        long_topic = min(100_000, args.posts // 2)
        topics = max(1, (args.posts - long_topic) // args.posts_per_topic)
        result = seed(topics, args.posts_per_topic, long_topic)
    else:
        result = seed(args.topics, args.posts_per_topic, args.long_topic)
    print(" ".join(f"{k}={v}" for k, v in result.items()))


if __name__ == "__main__":
    main()
