"""Members report posts from the topic page, and read the outcome under their settings."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forum.moderation import services
from forum.moderation.models import Report
from forum.posts.models import Post
from tests.factories import UserFactory, make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def post() -> Post:
    topic = make_topic(title="Camera talk", replies=1)
    return Post.objects.get(topic=topic, position=2)


def test_member_reports_a_post(member_client, member, post):
    html = member_client.get(post.topic.get_absolute_url()).content.decode()
    assert f'href="/post/{post.pk}/report/"' in html
    page = member_client.get(f"/post/{post.pk}/report/")
    assert page.status_code == 200
    assert (
        "Spam or advertising" in page.content.decode()
        and "Reply number 1." in page.content.decode()
    )
    response = member_client.post(
        f"/post/{post.pk}/report/", {"reason": "abuse", "message": "Calls me names"}, follow=True
    )
    assert response.redirect_chain[-1][0].endswith(f"#post-{post.pk}")
    assert "The moderators will look at this post" in response.content.decode()
    report = Report.objects.get()
    assert (report.post, report.reporter, report.reason, report.message) == (
        post, member, "abuse", "Calls me names")  # fmt: skip
    assert report.is_open


def test_a_second_report_of_the_same_post_is_not_filed(member_client, post):
    member_client.post(f"/post/{post.pk}/report/", {"reason": "spam"})
    response = member_client.post(f"/post/{post.pk}/report/", {"reason": "abuse"}, follow=True)
    assert "You have already reported this post" in response.content.decode()
    assert Report.objects.count() == 1


def test_report_needs_a_reason(member_client, post):
    response = member_client.post(f"/post/{post.pk}/report/", {"reason": ""})
    assert response.status_code == 400
    assert "Choose what is wrong with the post." in response.content.decode()
    assert not Report.objects.exists()


def test_nobody_reports_their_own_post(member_client, member):
    topic = make_topic(author=member)
    assert (
        f"/post/{topic.first_post_id}/report/"
        not in member_client.get(topic.get_absolute_url()).content.decode()
    )
    assert (
        member_client.post(f"/post/{topic.first_post_id}/report/", {"reason": "spam"}).status_code
        == 403
    )
    assert not Report.objects.exists()


def test_guests_are_sent_to_sign_in(guest_client, post):
    response = guest_client.post(f"/post/{post.pk}/report/", {"reason": "spam"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert "/report/" not in guest_client.get(post.topic.get_absolute_url()).content.decode()
    assert not Report.objects.exists()


def test_banned_and_unverified_members_cannot_report(client, post):
    banned = UserFactory(banned_at=timezone.now(), ban_reason="Spam")
    unverified = UserFactory(verified=False)
    for user in (banned, unverified):
        client.force_login(user)
        assert client.post(f"/post/{post.pk}/report/", {"reason": "spam"}).status_code == 403
        assert "/report/" not in client.get(post.topic.get_absolute_url()).content.decode()
    assert not Report.objects.exists()


def test_hidden_posts_cannot_be_reported(member_client, post, moderator):
    services.hide_post(post, moderator=moderator, reason="x")
    assert member_client.get(f"/post/{post.pk}/report/").status_code == 404


def test_the_reporter_reads_the_outcome(member_client, member, moderator, post):
    report = services.file_report(post, reporter=member, reason="abuse")
    page = member_client.get("/settings/reports/").content.decode()
    assert "Camera talk" in page and "Open" in page and "Abusive" in page
    services.resolve_report(report, moderator=moderator, note="We hid it. Thanks!", hide=True,
                            hide_reason="Insults")  # fmt: skip
    page = member_client.get("/settings/reports/").content.decode()
    assert "Resolved" in page and "The moderators acted on this post." in page
    assert "We hid it. Thanks!" in page
    # The post is hidden now: no link to it, and the moderators' own reason stays private.
    assert f'href="/post/{post.pk}/"' not in page and "Insults" not in page


def test_a_dismissed_report_says_so(member_client, member, moderator, post):
    report = services.file_report(post, reporter=member, reason="spam")
    services.dismiss_report(report, moderator=moderator, note="It is allowed here.")
    page = member_client.get("/settings/reports/").content.decode()
    assert "Dismissed" in page and "breaks no rule" in page and "It is allowed here." in page
    assert f'href="/post/{post.pk}/"' in page


def test_my_reports_are_mine_only(member_client, other_member, post):
    services.file_report(post, reporter=other_member, reason="spam")
    assert (
        "You have not reported any post."
        in member_client.get("/settings/reports/").content.decode()
    )


def test_my_reports_needs_sign_in(guest_client):
    response = guest_client.get("/settings/reports/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_my_reports_costs_the_same_for_one_report_and_many(member_client, member):
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert member_client.get("/settings/reports/").status_code == 200
        return len(ctx.captured_queries)

    topic = make_topic(replies=15)
    posts = list(Post.objects.filter(topic=topic, position__gt=1))
    services.file_report(posts[0], reporter=member, reason="spam")
    member_client.get("/settings/reports/")  # warm up
    one = queries()
    for post in posts[1:]:
        services.file_report(post, reporter=member, reason="spam")
    assert queries() == one
