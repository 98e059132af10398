"""The issue's acceptance, end to end over HTTP.

A moderator, signed in, handles a member's report from the admin queue by
hiding the post with a reason; guests no longer see it, the log shows it,
the reporter is told. A banned member's crafted POSTs to reply and react are
refused and nothing is saved.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from forum import permissions
from forum.moderation.models import ModerationAction, Report
from forum.posts.models import Post
from tests.factories import PASSWORD, UserFactory, make_topic

pytestmark = pytest.mark.django_db


def test_a_moderator_handles_a_report_from_the_admin_queue(moderators_group, guest_client):
    topic = make_topic(title="Lens advice", replies=1)
    offending = Post.objects.get(topic=topic, position=2)
    offending.body_html = "<p>You are all idiots.</p>"
    offending.save()

    # A member reports the post from the topic page.
    reporter = UserFactory(username="reporter")
    member = Client()
    member.force_login(reporter)
    member.post(f"/post/{offending.pk}/report/", {"reason": "abuse", "message": "Insults"})
    report = Report.objects.get()

    # The moderator signs in (through allauth, as everyone does) and opens the queue.
    mod_user = UserFactory(username="marta")
    mod_user.groups.add(moderators_group)
    moderator = Client()
    signed_in = moderator.post("/accounts/login/", {"login": "marta", "password": PASSWORD})
    assert signed_in.status_code == 302
    dashboard = moderator.get("/admin/").content.decode()
    assert "1 open report" in dashboard
    queue = moderator.get("/admin/moderation/report/").content.decode()
    assert f"/admin/moderation/report/{report.pk}/change/" in queue
    page = moderator.get(f"/admin/moderation/report/{report.pk}/change/").content.decode()
    assert "You are all idiots." in page and f"/post/{offending.pk}/" in page  # in context

    response = moderator.post(
        f"/admin/moderation/report/{report.pk}/change/",
        {"outcome": "hide", "hide_reason": "Insulting other members",
         "note": "Thank you, we removed it."},
    )  # fmt: skip
    assert response.status_code == 302

    # Guests no longer see it.
    html = guest_client.get(topic.get_absolute_url()).content.decode()
    assert f'id="post-{offending.pk}"' not in html and "You are all idiots." not in html
    assert guest_client.get(f"/post/{offending.pk}/").status_code == 404

    # The log shows it.
    log = moderator.get("/admin/moderation/moderationaction/").content.decode()
    assert "Hid a post" in log and "Insulting other members" in log and "Resolved a report" in log
    assert ModerationAction.objects.filter(
        action=ModerationAction.Kind.POST_HIDE, actor=mod_user, object_id=offending.pk,
        reason="Insulting other members",
    ).exists()  # fmt: skip

    # The reporter is told.
    mine = member.get("/settings/reports/").content.decode()
    assert "Resolved" in mine and "Thank you, we removed it." in mine


def test_a_banned_members_crafted_reply_and_react_are_refused():
    topic = make_topic(replies=1)
    post = Post.objects.get(topic=topic, position=2)
    banned = UserFactory(banned_at=timezone.now(), ban_reason="Spamming")
    client = Client()
    client.force_login(banned)
    before = Post.objects.count()
    response = client.post(f"/topic/{topic.pk}-{topic.slug}/reply/", {"body": "Buy now!"})
    assert response.status_code == 403
    assert Post.objects.count() == before
    # Reacting: the rule the reactions view checks (its view-level test comes with it).
    assert not permissions.can_react(banned, post)
