"""The admin as the moderation console: the site, the dashboard, every action and its log line."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forum.boards.models import Forum
from forum.moderation import services
from forum.moderation.models import ModerationAction, Report
from forum.posts import services as post_services
from forum.posts.models import Post
from forum.threads.models import Topic
from tests.factories import ForumFactory, UserFactory, make_post, make_topic

pytestmark = pytest.mark.django_db

Kind = ModerationAction.Kind
TOPICS = "/admin/threads/topic/"
POSTS = "/admin/posts/post/"
USERS = "/admin/accounts/user/"
REPORTS = "/admin/moderation/report/"
LOG = "/admin/moderation/moderationaction/"


def act(client: Client, url: str, action: str, objects: list[Any], **data: Any) -> Any:
    """Run an admin action from a changelist, as the action dropdown does."""
    return client.post(
        url,
        {"action": action, "_selected_action": [o.pk for o in objects], "index": 0, **data},
    )


def logged(*kinds: str) -> list[str]:
    return list(ModerationAction.objects.order_by("id").values_list("action", flat=True)) == list(
        kinds
    )


# --- The site -------------------------------------------------------------------


def test_guests_sign_in_through_allauth(guest_client):
    response = guest_client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    response = guest_client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"


def test_members_get_403_everywhere_in_the_admin(member_client):
    for url in ("/admin/", "/admin/login/", TOPICS, USERS, REPORTS, LOG):
        assert member_client.get(url).status_code == 403, url


def test_moderators_enter_without_the_staff_flag(moderator_client, moderator):
    assert not moderator.is_staff
    html = moderator_client.get("/admin/").content.decode()
    assert "Agora administration" in html and "Moderation console" in html
    # The login page sends a moderator who is already signed in to the index.
    assert moderator_client.get("/admin/login/")["Location"] == "/admin/"


def test_dashboard_shows_the_queue_and_the_log(moderator_client, moderator):
    topic = make_topic(title="Reported topic", replies=2)
    post = Post.objects.get(topic=topic, position=2)
    services.file_report(post, reporter=UserFactory(), reason="spam")
    post_services.reply_to_topic(topic, author=UserFactory(), body="Held reply", pending=True)
    services.lock_topic(topic, moderator=moderator, reason="Cooling down")
    html = moderator_client.get("/admin/").content.decode()
    assert "1 open report" in html and "Spam or advertising" in html
    assert "1 post awaiting approval" in html and "Held reply" in html
    assert "Locked a topic" in html and "Cooling down" in html
    assert f"{POSTS}?pending__exact=1" in html


def test_moderators_see_what_their_permissions_allow(moderator_client, admin_client):
    html = moderator_client.get("/admin/").content.decode()
    for name in ("Topics", "Posts", "Revisions", "Members", "Reports", "Moderation log"):
        assert f">{name}</a>" in html, name
    assert "/admin/boards/forum/" not in html and "/admin/auth/group/" not in html
    assert moderator_client.get("/admin/boards/forum/").status_code == 403
    assert admin_client.get("/admin/boards/forum/").status_code == 200


# --- Topics ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "field", "value", "kind"),
    [
        ("lock_topics", "locked", True, Kind.TOPIC_LOCK),
        ("pin_topics", "pinned", True, Kind.TOPIC_PIN),
    ],
)
def test_topic_switch_actions(moderator_client, moderator, action, field, value, kind):
    topics = [make_topic(), make_topic()]
    response = act(moderator_client, TOPICS, action, topics)
    assert response.status_code == 302
    assert all(getattr(t, field) is value for t in Topic.objects.all())
    assert ModerationAction.objects.filter(action=kind, actor=moderator).count() == 2
    undo = action.replace("lock", "unlock").replace("pin", "unpin")
    act(moderator_client, TOPICS, undo, topics)
    assert all(getattr(t, field) is not value for t in Topic.objects.all())
    assert ModerationAction.objects.count() == 4


def test_topic_hide_action_asks_for_a_reason(moderator_client, moderator):
    topic = make_topic(title="Off the rails")
    page = act(moderator_client, TOPICS, "hide_topics", [topic])
    assert page.status_code == 200
    html = page.content.decode()
    assert "Off the rails" in html and 'name="reason"' in html and 'name="apply"' in html
    assert not Topic.objects.get(pk=topic.pk).hidden
    refused = act(moderator_client, TOPICS, "hide_topics", [topic], apply="Hide", reason="")
    assert refused.status_code == 200 and "Give a reason" in refused.content.decode()
    done = act(moderator_client, TOPICS, "hide_topics", [topic], apply="Hide", reason="Derailed")
    assert done.status_code == 302
    topic.refresh_from_db()
    assert topic.hidden and topic.hidden_reason == "Derailed" and topic.hidden_by == moderator
    entry = ModerationAction.objects.get()
    assert (entry.action, entry.reason, entry.object_id) == (Kind.TOPIC_HIDE, "Derailed", topic.pk)
    act(moderator_client, TOPICS, "unhide_topics", [topic])
    assert not Topic.objects.get(pk=topic.pk).hidden
    assert logged(Kind.TOPIC_HIDE, Kind.TOPIC_UNHIDE)


def test_topic_move_action_confirms_the_target(moderator_client):
    source = ForumFactory(name="Old place")
    target = ForumFactory(name="New place")
    topics = [make_topic(source), make_topic(source, replies=2)]
    page = act(moderator_client, TOPICS, "move_topics", topics)
    assert page.status_code == 200 and "New place" in page.content.decode()
    act(moderator_client, TOPICS, "move_topics", topics, apply="Move", forum=target.pk)
    assert set(Topic.objects.values_list("forum_id", flat=True)) == {target.pk}
    target.refresh_from_db()
    assert (target.topic_count, target.post_count) == (2, 4)
    assert Forum.objects.get(pk=source.pk).topic_count == 0
    assert ModerationAction.objects.filter(action=Kind.TOPIC_MOVE).count() == 2


def test_topic_merge_action_picks_the_target(moderator_client, moderator):
    forum = ForumFactory()
    first = make_topic(forum, title="Keep me", replies=1)
    second = make_topic(forum, title="Fold me in", replies=2)
    page = act(moderator_client, TOPICS, "merge_topics", [first, second])
    html = page.content.decode()
    assert page.status_code == 200 and 'type="radio"' in html and "Fold me in" in html
    act(moderator_client, TOPICS, "merge_topics", [first, second], apply="Merge",
        target=first.pk, reason="Duplicate")  # fmt: skip
    assert Post.objects.filter(topic=first).count() == 5
    second.refresh_from_db()
    assert second.hidden and "Keep me" in second.hidden_reason
    entry = ModerationAction.objects.get()
    assert (entry.action, entry.object_id, entry.reason) == (
        Kind.TOPIC_MERGE,
        first.pk,
        "Duplicate",
    )


def test_merging_one_topic_is_refused(moderator_client):
    topic = make_topic()
    response = act(moderator_client, TOPICS, "merge_topics", [topic])
    assert response.status_code == 302 and not ModerationAction.objects.exists()
    assert "Select at least two topics" in moderator_client.get(TOPICS).content.decode()


def test_topics_are_read_only_and_only_superusers_delete(moderator_client, admin_client):
    topic = make_topic(replies=1)
    page = moderator_client.get(f"{TOPICS}{topic.pk}/change/")
    assert page.status_code == 200 and "Open the topic" in page.content.decode()
    assert moderator_client.post(f"{TOPICS}{topic.pk}/delete/", {"post": "yes"}).status_code == 403
    assert admin_client.post(f"{TOPICS}{topic.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not Topic.objects.filter(pk=topic.pk).exists()
    assert ModerationAction.objects.get().action == Kind.TOPIC_DELETE
    assert Forum.objects.get(pk=topic.forum_id).topic_count == 0


def test_topic_list_searches_and_filters(moderator_client):
    make_topic(title="Tripod for night skies")
    make_topic(title="Sourdough starter")
    html = moderator_client.get(TOPICS, {"q": "tripod"}).content.decode()
    assert "Tripod for night skies" in html and "Sourdough starter" not in html
    assert moderator_client.get(TOPICS, {"locked__exact": "1"}).status_code == 200


# --- Posts ----------------------------------------------------------------------


def test_post_hide_action_and_unhide(moderator_client, moderator):
    topic = make_topic(replies=2)
    replies = list(Post.objects.filter(topic=topic, position__gt=1))
    first = Post.objects.get(topic=topic, position=1)
    assert act(moderator_client, POSTS, "hide_posts", replies).status_code == 200
    act(moderator_client, POSTS, "hide_posts", [*replies, first], apply="Hide", reason="Spam")
    assert (
        Post.objects.filter(hidden=True).count() == 2 and not Post.objects.get(pk=first.pk).hidden
    )
    assert "carries its topic" in moderator_client.get(POSTS).content.decode()
    act(moderator_client, POSTS, "unhide_posts", replies)
    assert not Post.objects.filter(hidden=True).exists()
    assert logged(Kind.POST_HIDE, Kind.POST_HIDE, Kind.POST_UNHIDE, Kind.POST_UNHIDE)
    assert Topic.objects.get(pk=topic.pk).reply_count == 2


def test_approval_queue_actions(moderator_client, moderator):
    topic = make_topic()
    held = [post_services.reply_to_topic(topic, author=UserFactory(), body=f"Held {n}",
                                         pending=True) for n in range(2)]  # fmt: skip
    html = moderator_client.get(POSTS, {"pending__exact": "1"}).content.decode()
    assert "Held 0" in html and "Held 1" in html
    act(moderator_client, POSTS, "approve_posts", [held[0]])
    assert not Post.objects.get(pk=held[0].pk).pending
    assert act(moderator_client, POSTS, "reject_posts", [held[1]]).status_code == 200
    act(moderator_client, POSTS, "reject_posts", [held[1]], apply="Reject", reason="Advert")
    rejected = Post.objects.get(pk=held[1].pk)
    assert rejected.hidden and not rejected.pending and rejected.hidden_reason == "Advert"
    assert logged(Kind.POST_APPROVE, Kind.POST_REJECT)
    assert Topic.objects.get(pk=topic.pk).reply_count == 1


def test_editing_a_post_in_the_admin_keeps_a_revision(moderator_client, moderator):
    topic = make_topic(replies=1)
    post = Post.objects.get(topic=topic, position=2)
    page = moderator_client.get(f"{POSTS}{post.pk}/change/").content.decode()
    assert "Open the post in its topic" in page and 'name="body"' in page
    response = moderator_client.post(
        f"{POSTS}{post.pk}/change/", {"body": "Reworded **politely**.", "edit_reason": "Tone",
                                      "revisions-TOTAL_FORMS": 0, "revisions-INITIAL_FORMS": 0},
    )  # fmt: skip
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.body_html == "<p>Reworded <strong>politely</strong>.</p>"
    assert post.edited_by == moderator and post.revisions.get().body == "Reply number 1."
    entry = ModerationAction.objects.get()
    assert (entry.action, entry.reason) == (Kind.POST_EDIT, "Tone")
    page = moderator_client.get(f"{POSTS}{post.pk}/change/").content.decode()
    assert "Reply number 1." in page  # the earlier version, inline


def test_post_search_by_text_and_author(moderator_client):
    topic = make_topic(author=UserFactory(username="writer"), body="About lenses")
    make_post(topic, author=UserFactory(username="painter"), body="About brushes")
    by_text = moderator_client.get(POSTS, {"q": "brushes"}).content.decode()
    assert "About brushes" in by_text and "About lenses" not in by_text
    by_author = moderator_client.get(POSTS, {"q": "writer"}).content.decode()
    assert "About lenses" in by_author and "About brushes" not in by_author


def test_only_superusers_delete_posts_and_never_a_first_post(moderator_client, admin_client):
    topic = make_topic(replies=1)
    reply = Post.objects.get(topic=topic, position=2)
    assert moderator_client.post(f"{POSTS}{reply.pk}/delete/", {"post": "yes"}).status_code == 403
    assert (
        admin_client.post(f"{POSTS}{topic.first_post_id}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert admin_client.post(f"{POSTS}{reply.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not Post.objects.filter(pk=reply.pk).exists()
    assert ModerationAction.objects.get().action == Kind.POST_DELETE
    assert Topic.objects.get(pk=topic.pk).reply_count == 0


# --- Members --------------------------------------------------------------------


def test_ban_action_until_a_date(moderator_client, moderator):
    troll = UserFactory(username="troll")
    page = act(moderator_client, USERS, "ban_members", [troll])
    assert page.status_code == 200 and 'name="until"' in page.content.decode()
    until = (timezone.localdate() + timedelta(days=7)).isoformat()
    act(
        moderator_client, USERS, "ban_members", [troll], apply="Ban", until=until, reason="Trolling"
    )
    troll.refresh_from_db()
    assert troll.is_banned and troll.banned_until.date().isoformat() == until
    entry = ModerationAction.objects.get()
    assert (entry.action, entry.object_id, entry.reason) == (Kind.MEMBER_BAN, troll.pk, "Trolling")
    act(moderator_client, USERS, "unban_members", [troll], apply="Lift", reason="Apologised")
    troll.refresh_from_db()
    assert not troll.is_banned
    assert logged(Kind.MEMBER_BAN, Kind.MEMBER_UNBAN)


def test_ban_form_wants_a_date_or_permanent(moderator_client):
    troll = UserFactory()
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    both = act(moderator_client, USERS, "ban_members", [troll], apply="Ban", reason="x",
               permanent="on", until=tomorrow)  # fmt: skip
    assert "Choose a date the ban ends, or a permanent ban." in both.content.decode()
    past = act(moderator_client, USERS, "ban_members", [troll], apply="Ban", reason="x",
               until=timezone.localdate().isoformat())  # fmt: skip
    assert "The ban must end after today." in past.content.decode()
    assert not ModerationAction.objects.exists()


def test_moderators_cannot_ban_moderators_or_superusers(moderator_client, moderators_group):
    colleague = UserFactory()
    colleague.groups.add(moderators_group)
    boss = UserFactory(is_superuser=True)
    act(moderator_client, USERS, "ban_members", [colleague, boss], apply="Ban", permanent="on",
        reason="Mutiny")  # fmt: skip
    colleague.refresh_from_db()
    boss.refresh_from_db()
    assert not colleague.is_banned and not boss.is_banned
    assert not ModerationAction.objects.exists()
    assert "you may not ban this member" in moderator_client.get(USERS).content.decode()


def test_superusers_ban_moderators(admin_client, moderator):
    act(admin_client, USERS, "ban_members", [moderator], apply="Ban", permanent="on", reason="x")
    moderator.refresh_from_db()
    assert moderator.is_banned


def test_member_page_links_posts_and_reports(moderator_client):
    member = UserFactory(username="chatty")
    topic = make_topic(author=member, replies=2)
    services.file_report(Post.objects.get(topic=topic, position=2), reporter=UserFactory(),
                         reason="spam")  # fmt: skip
    html = moderator_client.get(f"{USERS}{member.pk}/change/").content.decode()
    assert "3 posts" in html and "0 reports filed" in html and "1 report received" in html
    assert f"{POSTS}?author__id__exact={member.pk}" in html
    assert 'name="password"' not in html and "pbkdf2" not in html.lower()
    received = moderator_client.get(
        REPORTS, {"status": "all", "post__author__id__exact": member.pk}
    )
    assert received.status_code == 200 and "chatty" in received.content.decode()
    posts = moderator_client.get(POSTS, {"author__id__exact": member.pk})
    assert posts.status_code == 200 and "Reply number 2." in posts.content.decode()


def test_member_list_filters_bans(moderator_client, moderator):
    banned = UserFactory(username="shouty")
    services.ban_member(banned, moderator=moderator, reason="x")
    UserFactory(username="calm")
    html = moderator_client.get(USERS, {"ban": "banned"}).content.decode()
    assert "shouty" in html and "calm" not in html and "Banned permanently" in html


# --- Reports --------------------------------------------------------------------


@pytest.fixture
def reported() -> tuple[Post, Report]:
    topic = make_topic(replies=1)
    post = Post.objects.get(topic=topic, position=2)
    return post, services.file_report(post, reporter=UserFactory(), reason="abuse", message="Rude")


def test_report_queue_shows_open_reports_by_default(moderator_client, moderator, reported):
    post, report = reported
    closed_post = make_post(post.topic)
    closed = services.file_report(closed_post, reporter=UserFactory(), reason="spam")
    services.dismiss_report(closed, moderator=moderator)
    html = moderator_client.get(REPORTS).content.decode()
    assert f"{REPORTS}{report.pk}/change/" in html and f"{REPORTS}{closed.pk}/change/" not in html
    html = moderator_client.get(REPORTS, {"status": "all"}).content.decode()
    assert f"{REPORTS}{closed.pk}/change/" in html


@pytest.mark.parametrize(
    ("outcome", "status", "hidden", "kinds"),
    [
        ("hide", Report.Status.RESOLVED, True, [Kind.POST_HIDE, Kind.REPORT_RESOLVE]),
        ("resolve", Report.Status.RESOLVED, False, [Kind.REPORT_RESOLVE]),
        ("dismiss", Report.Status.DISMISSED, False, [Kind.REPORT_DISMISS]),
    ],
)
def test_handling_a_report_from_its_page(
    moderator_client, reported, outcome, status, hidden, kinds
):
    post, report = reported
    page = moderator_client.get(f"{REPORTS}{report.pk}/change/").content.decode()
    assert "Open post #2" in page and "Rude" in page and 'name="outcome"' in page
    response = moderator_client.post(
        f"{REPORTS}{report.pk}/change/",
        {"outcome": outcome, "hide_reason": "Insults", "note": "Thanks for telling us."},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == status and report.resolution_note == "Thanks for telling us."
    assert Post.objects.get(pk=post.pk).hidden is hidden
    assert logged(*kinds)
    # A closed report is read-only.
    page = moderator_client.get(f"{REPORTS}{report.pk}/change/").content.decode()
    assert 'name="outcome"' not in page and "Thanks for telling us." in page


def test_hiding_from_a_report_needs_a_reason(moderator_client, reported):
    _, report = reported
    response = moderator_client.post(f"{REPORTS}{report.pk}/change/", {"outcome": "hide"})
    assert (
        response.status_code == 200
        and "Give a reason for hiding the post." in response.content.decode()
    )
    assert Report.objects.get(pk=report.pk).is_open


@pytest.mark.parametrize(
    ("action", "data", "status", "kinds"),
    [
        ("resolve_reports", {"note": "Handled"}, "resolved", [Kind.REPORT_RESOLVE]),
        ("dismiss_reports", {"note": "Fine"}, "dismissed", [Kind.REPORT_DISMISS]),
        ("hide_and_resolve_reports", {"note": "Gone", "reason": "Rude"}, "resolved",
         [Kind.POST_HIDE, Kind.REPORT_RESOLVE]),
    ],
)  # fmt: skip
def test_report_actions(moderator_client, reported, action, data, status, kinds):
    post, report = reported
    assert act(moderator_client, REPORTS, action, [report]).status_code == 200
    act(moderator_client, REPORTS, action, [report], apply="Go", **data)
    report.refresh_from_db()
    assert report.status == status
    assert logged(*kinds)


def test_reports_cannot_be_added_and_only_superusers_delete(moderator_client, reported):
    _, report = reported
    assert moderator_client.get(f"{REPORTS}add/").status_code == 403
    assert (
        moderator_client.post(f"{REPORTS}{report.pk}/delete/", {"post": "yes"}).status_code == 403
    )


# --- The moderation log ---------------------------------------------------------------


def test_the_log_is_read_only_and_filterable(moderator_client, moderator):
    topic = make_topic(title="Logged topic")
    services.lock_topic(topic, moderator=moderator, reason="Heat")
    services.pin_topic(topic, moderator=moderator)
    entry = ModerationAction.objects.get(action=Kind.TOPIC_LOCK)
    html = moderator_client.get(LOG, {"action__exact": Kind.TOPIC_LOCK}).content.decode()
    assert '<td class="field-reason">Heat</td>' in html
    assert '<td class="field-action">Pinned a topic</td>' not in html
    assert f"{TOPICS}{topic.pk}/change/" in html
    assert moderator_client.get(f"{LOG}add/").status_code == 403
    view = moderator_client.get(f"{LOG}{entry.pk}/change/")
    assert view.status_code == 200 and 'name="reason"' not in view.content.decode()
    assert moderator_client.post(f"{LOG}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert ModerationAction.objects.count() == 2


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_queue_and_log_lists_cost_the_same_for_one_row_and_many(moderator_client, moderator):
    topic = make_topic(replies=1)
    services.file_report(Post.objects.get(topic=topic, position=2), reporter=UserFactory(),
                         reason="spam")  # fmt: skip
    services.lock_topic(topic, moderator=moderator)
    moderator_client.get(REPORTS)  # warm up
    few = (_count(moderator_client, REPORTS), _count(moderator_client, LOG),
           _count(moderator_client, POSTS), _count(moderator_client, TOPICS))  # fmt: skip
    for n in range(12):
        other = make_topic(replies=1)
        post = Post.objects.get(topic=other, position=2)
        services.file_report(post, reporter=UserFactory(), reason="abuse")
        services.hide_post(post, moderator=moderator, reason=f"r{n}")
    services.delete_post(Post.objects.filter(hidden=True).first(), by=moderator)
    many = (_count(moderator_client, REPORTS), _count(moderator_client, LOG),
            _count(moderator_client, POSTS), _count(moderator_client, TOPICS))  # fmt: skip
    assert few == many


def test_every_admin_page_opens_for_a_superuser(admin_client, moderator):
    topic = make_topic(replies=1)
    post = Post.objects.get(topic=topic, position=2)
    report = services.file_report(post, reporter=UserFactory(), reason="spam")
    services.lock_topic(topic, moderator=moderator)
    post_services.edit_post(post, editor=moderator, body="Edited")
    entry = ModerationAction.objects.get()
    pages = [
        "/admin/", "/admin/boards/category/", "/admin/boards/category/add/",
        "/admin/boards/forum/", "/admin/boards/forum/add/",
        f"/admin/boards/forum/{topic.forum_id}/change/",
        TOPICS, f"{TOPICS}{topic.pk}/change/", POSTS, f"{POSTS}{post.pk}/change/",
        "/admin/posts/postrevision/", USERS, f"{USERS}add/", f"{USERS}{moderator.pk}/change/",
        REPORTS, f"{REPORTS}{report.pk}/change/", LOG, f"{LOG}{entry.pk}/change/",
        "/admin/auth/group/",
    ]  # fmt: skip
    for url in pages:
        assert admin_client.get(url).status_code == 200, url


def test_a_superuser_adds_a_member(admin_client):
    response = admin_client.post(
        f"{USERS}add/",
        {"username": "newmod", "email": "newmod@example.com", "usable_password": "true",
         "password1": "a sturdy passphrase 42", "password2": "a sturdy passphrase 42"},
    )  # fmt: skip
    assert response.status_code == 302
    from django.contrib.auth import get_user_model

    assert get_user_model().objects.get(username="newmod").email == "newmod@example.com"


def test_a_superuser_recounts_forums(admin_client):
    topic = make_topic(replies=2)
    Forum.objects.filter(pk=topic.forum_id).update(post_count=99)
    act(admin_client, "/admin/boards/forum/", "recount", [topic.forum])
    assert Forum.objects.get(pk=topic.forum_id).post_count == 3
