"""Account settings: profile, signature, privacy, and who may set a title."""

from __future__ import annotations

import pytest

from tests.factories import UserFactory, make_topic

pytestmark = pytest.mark.django_db


def test_guest_is_sent_to_sign_in(guest_client):
    response = guest_client.get("/settings/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_member_saves_signature_and_privacy(member_client, member):
    response = member_client.post(
        "/settings/",
        {"signature": "Shooting film since **2019** <script>x</script>", "browse_invisibly": "on"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.browse_invisibly and not member.auto_follow
    assert member.signature_html == (
        "<p>Shooting film since <strong>2019</strong> &lt;script&gt;x&lt;/script&gt;</p>"
    )
    topic = make_topic(author=member)
    html = member_client.get(topic.get_absolute_url()).content.decode()
    assert 'class="post__signature prose"' in html and "<strong>2019</strong>" in html


def test_signature_keeps_to_inline_markup(member_client, member):
    member_client.post("/settings/", {"signature": "# Big\n\n![x](https://e.example/x.png)"})
    member.refresh_from_db()
    assert "<h" not in member.signature_html and "<img" not in member.signature_html


def test_signature_length_and_lines_are_limited_with_text_kept(member_client, member):
    response = member_client.post("/settings/", {"signature": "a\nb\nc\nd\ne"})
    assert response.status_code == 400
    assert "four lines at most" in response.content.decode()
    response = member_client.post("/settings/", {"signature": "x" * 501})
    assert response.status_code == 400 and "x" * 501 in response.content.decode()


def test_title_needs_posts_or_permission(member_client, member, settings):
    settings.AGORA_CUSTOM_TITLE_MIN_POSTS = 2
    assert 'name="title"' not in member_client.get("/settings/").content.decode()
    member_client.post("/settings/", {"title": "Emperor", "signature": ""})
    member.refresh_from_db()
    assert member.title == ""
    member.post_count = 2
    member.save()
    assert 'name="title"' in member_client.get("/settings/").content.decode()
    member_client.post("/settings/", {"title": "Film nerd", "signature": ""})
    member.refresh_from_db()
    assert member.title == "Film nerd"


def test_settings_menu_includes_allauth_pages(member_client):
    html = member_client.get("/accounts/email/").content.decode()
    assert 'class="settings__nav' in html
    assert '<a href="/accounts/email/" aria-current="page">' in html


def test_banned_member_cannot_set_a_title(member_client, member, settings):
    from django.utils import timezone

    settings.AGORA_CUSTOM_TITLE_MIN_POSTS = 0
    member.banned_at = timezone.now()
    member.save()
    assert 'name="title"' not in member_client.get("/settings/").content.decode()
    assert UserFactory()  # another member is unaffected
