"""The moderation services, against the database: what they change, the counters, the log."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from forum.boards.models import Forum
from forum.moderation import services
from forum.moderation.models import ModerationAction, Report
from forum.posts import services as post_services
from forum.posts.models import Post
from forum.threads.models import Topic
from tests.factories import ForumFactory, UserFactory, make_topic

pytestmark = pytest.mark.django_db

Kind = ModerationAction.Kind


def counters() -> dict[str, Any]:
    """Every denormalized counter in the database."""
    user_model = get_user_model()
    return {
        "topics": {
            t.pk: (t.reply_count, t.last_post_id, t.last_post_at, t.last_poster_id, t.last_position)
            for t in Topic.objects.all()
        },
        "forums": {
            f.pk: (f.topic_count, f.post_count, f.last_post_id, f.last_topic_id)
            for f in Forum.objects.all()
        },
        "members": dict(user_model.objects.values_list("pk", "post_count")),
    }


def assert_counters_right() -> None:
    """The counters the services kept equal what a full recount computes."""
    kept = counters()
    for topic in Topic.objects.all():
        post_services.recount_topic(topic)
    for forum in Forum.objects.all():
        post_services.recount_forum(forum)
    post_services.recount_members()
    assert kept == counters()


def last_log() -> ModerationAction:
    return ModerationAction.objects.order_by("-id").first()


@pytest.fixture
def scene(moderator: Any) -> dict[str, Any]:
    """Two forums; a topic with replies by two members, and a quieter topic."""
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    forum, other_forum = ForumFactory(name="Gear"), ForumFactory(name="Lounge")
    start = timezone.now() - timedelta(hours=5)
    topic = make_topic(forum, author=alice, title="Busy topic", created_at=start)
    for n in range(4):
        post_services.reply_to_topic(
            topic, author=(bob if n % 2 else alice), body=f"Busy reply {n + 1}",
            created_at=start + timedelta(minutes=10 * (n + 1)),
        )  # fmt: skip
    quiet = make_topic(forum, author=bob, title="Quiet topic", created_at=start - timedelta(days=1))
    topic.refresh_from_db()
    return {"alice": alice, "bob": bob, "forum": forum, "other_forum": other_forum,
            "topic": topic, "quiet": quiet, "moderator": moderator}  # fmt: skip


def test_hiding_the_last_post_moves_every_last_post_back(scene):
    topic, mod = scene["topic"], scene["moderator"]
    last = Post.objects.get(topic=topic, position=5)
    assert services.hide_post(last, moderator=mod, reason="Spam link")
    topic.refresh_from_db()
    forum = Forum.objects.get(pk=scene["forum"].pk)
    assert topic.reply_count == 3
    assert topic.last_post_id == Post.objects.get(topic=topic, position=4).pk
    assert forum.last_post_id == topic.last_post_id and forum.post_count == 5
    last.refresh_from_db()
    assert last.hidden and last.hidden_by == mod and last.hidden_reason == "Spam link"
    assert last.hidden_at is not None
    entry = last_log()
    assert (entry.action, entry.actor, entry.object_id, entry.reason) == (
        Kind.POST_HIDE, mod, last.pk, "Spam link")  # fmt: skip
    assert "Busy topic" in entry.object_repr
    assert_counters_right()

    assert services.unhide_post(last, moderator=mod)
    topic.refresh_from_db()
    assert topic.reply_count == 4 and topic.last_post_id == last.pk
    assert Forum.objects.get(pk=scene["forum"].pk).last_post_id == last.pk
    assert last_log().action == Kind.POST_UNHIDE
    assert_counters_right()


def test_hiding_a_post_lowers_its_authors_count(scene):
    bob = scene["bob"]
    before = get_user_model().objects.get(pk=bob.pk).post_count
    post = Post.objects.filter(topic=scene["topic"], author=bob).first()
    services.hide_post(post, moderator=scene["moderator"], reason="Rude")
    assert get_user_model().objects.get(pk=bob.pk).post_count == before - 1
    assert_counters_right()


def test_hiding_twice_changes_and_logs_once(scene):
    post = Post.objects.get(topic=scene["topic"], position=3)
    assert services.hide_post(post, moderator=scene["moderator"], reason="x")
    assert not services.hide_post(post, moderator=scene["moderator"], reason="again")
    assert ModerationAction.objects.filter(action=Kind.POST_HIDE).count() == 1
    assert not services.unhide_post(Post.objects.get(topic=scene["topic"], position=2),
                                    moderator=scene["moderator"])  # fmt: skip
    assert_counters_right()


def test_the_first_post_is_hidden_with_its_topic_only(scene):
    first = Post.objects.get(topic=scene["topic"], position=1)
    with pytest.raises(services.ModerationError):
        services.hide_post(first, moderator=scene["moderator"], reason="x")
    assert not Post.objects.get(pk=first.pk).hidden
    assert not ModerationAction.objects.exists()


def test_hiding_a_topic_takes_it_out_of_every_count(scene):
    topic, mod = scene["topic"], scene["moderator"]
    alice_before = get_user_model().objects.get(pk=scene["alice"].pk).post_count
    assert services.hide_topic(topic, moderator=mod, reason="Flame war")
    forum = Forum.objects.get(pk=scene["forum"].pk)
    assert forum.topic_count == 1 and forum.post_count == 1
    assert forum.last_topic_id == scene["quiet"].pk
    assert get_user_model().objects.get(pk=scene["alice"].pk).post_count == alice_before - 3
    topic.refresh_from_db()
    assert topic.hidden and topic.hidden_by == mod and topic.hidden_reason == "Flame war"
    assert (last_log().action, last_log().object_id) == (Kind.TOPIC_HIDE, topic.pk)
    assert_counters_right()

    assert services.unhide_topic(topic, moderator=mod)
    forum.refresh_from_db()
    assert forum.topic_count == 2 and forum.post_count == 6
    assert forum.last_topic_id == topic.pk
    assert last_log().action == Kind.TOPIC_UNHIDE
    assert_counters_right()


def test_a_hidden_post_in_a_hidden_topic_is_not_counted_twice(scene):
    topic, mod = scene["topic"], scene["moderator"]
    post = Post.objects.get(topic=topic, position=2)
    services.hide_topic(topic, moderator=mod, reason="a")
    services.hide_post(post, moderator=mod, reason="b")
    assert_counters_right()
    services.unhide_topic(topic, moderator=mod)
    assert_counters_right()
    services.unhide_post(post, moderator=mod)
    assert_counters_right()


@pytest.mark.parametrize(
    ("service", "field", "value", "kind"),
    [
        (services.lock_topic, "locked", True, Kind.TOPIC_LOCK),
        (services.pin_topic, "pinned", True, Kind.TOPIC_PIN),
    ],
)
def test_lock_and_pin_and_their_undo(scene, service, field, value, kind):
    topic, mod = scene["topic"], scene["moderator"]
    assert service(topic, moderator=mod, reason="why")
    assert getattr(Topic.objects.get(pk=topic.pk), field) is value
    assert (last_log().action, last_log().reason) == (kind, "why")
    assert not service(topic, moderator=mod)  # already so: nothing logged
    assert ModerationAction.objects.count() == 1
    undo = services.unlock_topic if field == "locked" else services.unpin_topic
    assert undo(topic, moderator=mod)
    assert getattr(Topic.objects.get(pk=topic.pk), field) is not value
    assert last_log().action == (Kind.TOPIC_UNLOCK if field == "locked" else Kind.TOPIC_UNPIN)


def test_moving_a_topic_moves_its_counts(scene):
    topic, target = scene["topic"], scene["other_forum"]
    assert services.move_topic(topic, to_forum=target, moderator=scene["moderator"], reason="Fits")
    source = Forum.objects.get(pk=scene["forum"].pk)
    target.refresh_from_db()
    assert (source.topic_count, source.post_count) == (1, 1)
    assert (target.topic_count, target.post_count) == (1, 5)
    assert target.last_post_id == Topic.objects.get(pk=topic.pk).last_post_id
    assert source.last_topic_id == scene["quiet"].pk
    entry = last_log()
    assert entry.action == Kind.TOPIC_MOVE and entry.details == "From “Gear” to “Lounge”"
    assert not services.move_topic(topic, to_forum=target, moderator=scene["moderator"])
    assert_counters_right()


def test_merging_numbers_the_posts_again_by_time(scene):
    topic, quiet, mod = scene["topic"], scene["quiet"], scene["moderator"]
    # The quiet topic started a day earlier; give it a reply in the middle of the busy one.
    middle = post_services.reply_to_topic(
        quiet, author=scene["bob"], body="Quiet reply",
        created_at=topic.created_at + timedelta(minutes=25),
    )  # fmt: skip
    quiet_first = Post.objects.get(topic=quiet, position=1)
    moved = services.merge_topics(topic, sources=[quiet], moderator=mod, reason="Same subject")
    assert moved == 2
    order = list(
        Post.objects.filter(topic=topic).order_by("position").values_list("body", flat=True)
    )
    assert order == ["The first post.", "The first post.", "Busy reply 1", "Busy reply 2",
                     "Quiet reply", "Busy reply 3", "Busy reply 4"]  # fmt: skip
    assert list(Post.objects.filter(topic=topic).order_by("position")
                .values_list("position", flat=True)) == list(range(1, 8))  # fmt: skip
    assert Post.objects.get(pk=quiet_first.pk).position == 1  # the oldest post leads
    topic.refresh_from_db()
    assert topic.reply_count == 6 and topic.last_position == 7
    quiet.refresh_from_db()
    assert quiet.hidden and "Merged into “Busy topic”" in quiet.hidden_reason
    assert not Post.objects.filter(topic=quiet).exists()
    # Permalinks still lead to the posts, now in the merged topic.
    assert Post.objects.get(pk=middle.pk).topic_id == topic.pk
    entry = last_log()
    assert entry.action == Kind.TOPIC_MERGE and "Quiet topic" in entry.details
    assert_counters_right()


def test_merging_across_forums_recounts_both(scene):
    elsewhere = make_topic(
        scene["other_forum"], author=scene["alice"], title="Elsewhere", replies=2
    )
    services.merge_topics(scene["topic"], sources=[elsewhere], moderator=scene["moderator"])
    other = Forum.objects.get(pk=scene["other_forum"].pk)
    assert (other.topic_count, other.post_count, other.last_post_id) == (0, 0, None)
    assert Forum.objects.get(pk=scene["forum"].pk).post_count == 9
    assert_counters_right()


def test_merging_a_topic_into_itself_is_refused(scene):
    with pytest.raises(services.ModerationError):
        services.merge_topics(
            scene["topic"], sources=[scene["topic"]], moderator=scene["moderator"]
        )


def test_approving_a_reply_counts_it(scene):
    topic, carol = scene["topic"], UserFactory()
    held = post_services.reply_to_topic(topic, author=carol, body="Held back", pending=True)
    topic.refresh_from_db()
    assert held.pending and held.position == 6 and topic.last_position == 6
    assert topic.reply_count == 4
    assert get_user_model().objects.get(pk=carol.pk).post_count == 0
    assert_counters_right()
    assert services.approve_post(held, moderator=scene["moderator"])
    topic.refresh_from_db()
    assert topic.reply_count == 5 and topic.last_post_id == held.pk
    assert Forum.objects.get(pk=scene["forum"].pk).last_post_id == held.pk
    assert get_user_model().objects.get(pk=carol.pk).post_count == 1
    assert last_log().action == Kind.POST_APPROVE
    assert not services.approve_post(held, moderator=scene["moderator"])
    assert_counters_right()


def test_approving_a_first_post_publishes_its_topic(scene):
    forum, carol = scene["forum"], UserFactory()
    topic = post_services.start_topic(
        forum, author=carol, title="New here", body="Hi", pending=True
    )
    assert topic.pending and Forum.objects.get(pk=forum.pk).topic_count == 2
    first = Post.objects.get(topic=topic)
    assert first.pending
    assert_counters_right()
    services.approve_post(first, moderator=scene["moderator"])
    topic.refresh_from_db()
    assert not topic.pending
    forum.refresh_from_db()
    assert forum.topic_count == 3 and forum.last_topic_id == topic.pk
    assert get_user_model().objects.get(pk=carol.pk).post_count == 1
    assert_counters_right()


def test_rejecting_keeps_the_post_hidden(scene):
    topic, mod = scene["topic"], scene["moderator"]
    held = post_services.reply_to_topic(topic, author=UserFactory(), body="Buy now", pending=True)
    assert services.reject_post(held, moderator=mod, reason="Advertising")
    held.refresh_from_db()
    assert held.hidden and not held.pending and held.hidden_reason == "Advertising"
    assert (last_log().action, last_log().reason) == (Kind.POST_REJECT, "Advertising")
    assert_counters_right()
    new_topic = post_services.start_topic(
        scene["forum"], author=UserFactory(), title="Spam topic", body="Buy", pending=True
    )
    services.reject_post(Post.objects.get(topic=new_topic), moderator=mod, reason="Spam")
    new_topic.refresh_from_db()
    assert new_topic.hidden and not new_topic.pending
    assert_counters_right()


def test_a_moderators_edit_keeps_a_revision_and_is_logged(scene):
    post = Post.objects.get(topic=scene["topic"], position=2)
    services.edit_post_as_moderator(
        post, editor=scene["moderator"], body="Cleaned up", reason="Removed an address"
    )
    post.refresh_from_db()
    assert post.body == "Cleaned up" and post.edited_by == scene["moderator"]
    assert post.revisions.get().body == "Busy reply 1"
    assert (last_log().action, last_log().reason) == (Kind.POST_EDIT, "Removed an address")
    # An edit that changes nothing leaves no line.
    services.edit_post_as_moderator(post, editor=scene["moderator"], body="Cleaned up")
    assert ModerationAction.objects.count() == 1


def test_ban_until_a_date_and_lift_it(scene):
    bob, mod = scene["bob"], scene["moderator"]
    until = timezone.now() + timedelta(days=7)
    services.ban_member(bob, moderator=mod, reason="Trolling", until=until)
    bob.refresh_from_db()
    assert bob.is_banned and bob.banned_until == until and bob.ban_reason == "Trolling"
    entry = last_log()
    assert (entry.action, entry.object_repr, entry.reason) == (Kind.MEMBER_BAN, "bob", "Trolling")
    assert entry.details.startswith("Until ")
    assert services.unban_member(bob, moderator=mod)
    bob.refresh_from_db()
    assert not bob.is_banned and bob.banned_at is None and bob.ban_reason == ""
    assert last_log().action == Kind.MEMBER_UNBAN
    assert not services.unban_member(bob, moderator=mod)


def test_a_permanent_ban_has_no_end(scene):
    services.ban_member(scene["bob"], moderator=scene["moderator"], reason="Spam")
    bob = get_user_model().objects.get(pk=scene["bob"].pk)
    assert bob.is_banned and bob.banned_until is None
    assert last_log().details == "Permanently"


def test_an_expired_ban_is_no_ban(scene):
    bob = scene["bob"]
    bob.banned_at = timezone.now() - timedelta(days=8)
    bob.banned_until = timezone.now() - timedelta(days=1)
    assert not bob.is_banned


def test_one_open_report_per_member_and_post(scene):
    post = Post.objects.get(topic=scene["topic"], position=2)
    reporter = UserFactory()
    report = services.file_report(post, reporter=reporter, reason="spam", message=" Ad ")
    assert report.message == "Ad" and report.is_open
    with pytest.raises(services.ModerationError):
        services.file_report(post, reporter=reporter, reason="abuse")
    services.dismiss_report(report, moderator=scene["moderator"], note="Fine")
    # Once closed, the member may report the post again.
    services.file_report(post, reporter=reporter, reason="abuse")
    assert Report.objects.filter(post=post, reporter=reporter).count() == 2


def test_resolving_by_hiding_closes_every_open_report_on_the_post(scene):
    post = Post.objects.get(topic=scene["topic"], position=3)
    first = services.file_report(post, reporter=UserFactory(), reason="abuse")
    second = services.file_report(post, reporter=UserFactory(), reason="spam")
    unrelated = services.file_report(
        Post.objects.get(topic=scene["topic"], position=2), reporter=UserFactory(), reason="spam"
    )
    closed = services.resolve_report(
        first, moderator=scene["moderator"], note="Thanks, removed.", hide=True,
        hide_reason="Insults",
    )  # fmt: skip
    assert closed == 2
    for report in (first, second):
        report.refresh_from_db()
        assert report.status == Report.Status.RESOLVED
        assert report.resolution_note == "Thanks, removed."
        assert report.resolved_by == scene["moderator"] and report.resolved_at is not None
    assert Report.objects.get(pk=unrelated.pk).is_open
    post.refresh_from_db()
    assert post.hidden and post.hidden_reason == "Insults"
    kinds = list(ModerationAction.objects.order_by("id").values_list("action", flat=True))
    assert kinds == [Kind.POST_HIDE, Kind.REPORT_RESOLVE, Kind.REPORT_RESOLVE]
    with pytest.raises(services.ModerationError):
        services.resolve_report(first, moderator=scene["moderator"])
    assert_counters_right()


def test_a_report_on_a_first_post_hides_the_topic(scene):
    first = Post.objects.get(topic=scene["topic"], position=1)
    report = services.file_report(first, reporter=UserFactory(), reason="spam")
    services.resolve_report(report, moderator=scene["moderator"], hide=True, hide_reason="Spam")
    assert Topic.objects.get(pk=scene["topic"].pk).hidden
    assert_counters_right()


def test_dismissing_leaves_the_post_alone(scene):
    post = Post.objects.get(topic=scene["topic"], position=2)
    report = services.file_report(post, reporter=UserFactory(), reason="off_topic")
    services.dismiss_report(report, moderator=scene["moderator"], note="It is on topic.")
    report.refresh_from_db()
    assert report.status == Report.Status.DISMISSED and not Post.objects.get(pk=post.pk).hidden
    assert (last_log().action, last_log().reason) == (Kind.REPORT_DISMISS, "It is on topic.")


def test_permanent_deletes_keep_counters_and_a_log_line(scene, admin_user):
    post = Post.objects.get(topic=scene["topic"], position=5)
    services.delete_post(post, by=admin_user, reason="Illegal")
    assert not Post.objects.filter(pk=post.pk).exists()
    entry = last_log()
    assert entry.action == Kind.POST_DELETE and entry.object_id == post.pk
    assert entry.target is None and "Busy topic" in entry.object_repr
    assert_counters_right()
    with pytest.raises(services.ModerationError):
        services.delete_post(Post.objects.get(topic=scene["topic"], position=1), by=admin_user)
    services.delete_topic(scene["topic"], by=admin_user)
    assert not Topic.objects.filter(pk=scene["topic"].pk).exists()
    assert last_log().action == Kind.TOPIC_DELETE
    assert_counters_right()


def test_merging_an_older_longer_topic_never_collides_on_positions(scene):
    # The source's posts are all older, so they take the first numbers and every
    # post of the target moves up: a careless renumbering trips the unique
    # (topic, position) half-way through.
    target = make_topic(scene["forum"], author=scene["alice"], title="Recent", replies=2)
    old = make_topic(
        scene["forum"], author=scene["bob"], title="Old",
        created_at=timezone.now() - timedelta(days=30),
    )  # fmt: skip
    for n in range(5):
        post_services.reply_to_topic(
            old, author=scene["bob"], body=f"Old reply {n}",
            created_at=timezone.now() - timedelta(days=29 - n),
        )  # fmt: skip
    services.merge_topics(target, sources=[old], moderator=scene["moderator"])
    bodies = list(
        Post.objects.filter(topic=target).order_by("position").values_list("body", flat=True)
    )
    assert bodies[:6] == ["The first post.", *(f"Old reply {n}" for n in range(5))]
    assert bodies[6:] == ["The first post.", "Reply number 1.", "Reply number 2."]
    assert_counters_right()
