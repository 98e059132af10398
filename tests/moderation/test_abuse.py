"""Abuse control: posting rate, links and images of new members, bans, and allauth's guards."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from forum import ratelimit
from forum.posts.models import Post
from forum.threads.models import Topic
from tests.factories import PASSWORD, ForumFactory, UserFactory, make_topic

pytestmark = pytest.mark.django_db


def reply_url(topic: Topic) -> str:
    return f"/topic/{topic.pk}-{topic.slug}/reply/"


# --- Posting rate -----------------------------------------------------------------


def test_posting_too_fast_is_refused_with_the_text_kept(settings, member_client, member):
    settings.AGORA_POST_INTERVAL_SECONDS = 15
    topic = make_topic()
    assert member_client.post(reply_url(topic), {"body": "First thought"}).status_code == 302
    response = member_client.post(reply_url(topic), {"body": "Second *thought*, quickly"})
    assert response.status_code == 429
    html = response.content.decode()
    assert re.search(r"You are posting too fast. Wait 1[0-5] seconds", html)
    assert "Second *thought*, quickly" in html
    assert Post.objects.filter(author=member).count() == 1


def test_the_interval_applies_to_new_topics_too(settings, member_client):
    settings.AGORA_POST_INTERVAL_SECONDS = 15
    forum = ForumFactory()
    url = f"/forum/{forum.pk}-{forum.slug}/new/"
    assert member_client.post(url, {"title": "One topic", "body": "Text"}).status_code == 302
    response = member_client.post(url, {"title": "Another topic", "body": "More text"})
    assert response.status_code == 429 and 'value="Another topic"' in response.content.decode()
    assert Topic.objects.count() == 1


def test_an_invalid_post_does_not_use_up_the_interval(settings, member_client):
    settings.AGORA_POST_INTERVAL_SECONDS = 15
    topic = make_topic()
    assert member_client.post(reply_url(topic), {"body": "  "}).status_code == 400
    assert member_client.post(reply_url(topic), {"body": "Now for real"}).status_code == 302


def test_new_members_post_a_limited_number_of_times_an_hour(settings, member_client, member):
    settings.AGORA_NEW_MEMBER_DAYS = 3
    settings.AGORA_NEW_MEMBER_POSTS_PER_HOUR = 3
    topic = make_topic()
    for n in range(3):
        assert member_client.post(reply_url(topic), {"body": f"Post {n}"}).status_code == 302
    response = member_client.post(reply_url(topic), {"body": "One too many"})
    assert response.status_code == 429
    assert "New members may post 3 times an hour" in response.content.decode()
    assert "One too many" in response.content.decode()
    # Older members are not counted.
    member.date_joined = timezone.now() - timedelta(days=4)
    member.save()
    assert member_client.post(reply_url(topic), {"body": "Trusted now"}).status_code == 302


def test_moderators_are_never_rate_limited(settings, moderator_client, moderator):
    settings.AGORA_POST_INTERVAL_SECONDS = 15
    settings.AGORA_NEW_MEMBER_DAYS = 3
    settings.AGORA_NEW_MEMBER_POSTS_PER_HOUR = 1
    topic = make_topic()
    for n in range(3):
        assert moderator_client.post(reply_url(topic), {"body": f"Note {n}"}).status_code == 302


def test_members_are_limited_one_by_one(settings, member_client, other_member):
    settings.AGORA_POST_INTERVAL_SECONDS = 15
    topic = make_topic()
    other = Client()
    other.force_login(other_member)
    assert member_client.post(reply_url(topic), {"body": "Mine"}).status_code == 302
    assert other.post(reply_url(topic), {"body": "Theirs"}).status_code == 302


# --- Links and images of new members ------------------------------------------------


def test_counting_links_and_images():
    body = "See https://a.example and www.b.example, [c](http://c.example) ![pic](https://d/p.png)"
    assert ratelimit.count_links_and_images(body) == (3, 1)
    assert ratelimit.count_links_and_images("No links at all.") == (0, 0)


def test_new_members_may_post_few_links_and_images(settings, member_client, member):
    settings.AGORA_NEW_MEMBER_DAYS = 3
    settings.AGORA_NEW_MEMBER_MAX_LINKS = 2
    settings.AGORA_NEW_MEMBER_MAX_IMAGES = 0
    topic = make_topic()
    links = "https://a.example https://b.example https://c.example"
    response = member_client.post(reply_url(topic), {"body": links})
    assert response.status_code == 400
    assert (
        "New members may post at most 2 links a post; this one has 3." in response.content.decode()
    )
    response = member_client.post(reply_url(topic), {"body": "![me](https://x.example/me.png)"})
    assert response.status_code == 400 and "at most 0 images" in response.content.decode()
    assert member_client.post(reply_url(topic), {"body": "https://a.example"}).status_code == 302
    member.date_joined = timezone.now() - timedelta(days=4)
    member.save()
    assert member_client.post(reply_url(topic), {"body": links}).status_code == 302


# --- Banned members -----------------------------------------------------------------


@pytest.fixture
def banned_client() -> tuple[Client, object]:
    banned = UserFactory(banned_at=timezone.now(), banned_until=timezone.now() + timedelta(days=3),
                         ban_reason="Repeated insults")  # fmt: skip
    client = Client()
    client.force_login(banned)
    return client, banned


def test_a_banned_member_reads_and_sees_why_and_until_when(banned_client):
    client, banned = banned_client
    topic = make_topic()
    html = client.get(topic.get_absolute_url()).content.decode()
    assert "You are banned from posting until" in html and "Repeated insults" in html
    assert "<textarea" not in html
    assert "You are banned" in client.get("/").content.decode()


def test_a_banned_members_crafted_posts_are_refused(banned_client):
    client, banned = banned_client
    topic = make_topic(replies=1)
    forum = topic.forum
    response = client.post(reply_url(topic), {"body": "Sneaky reply"})
    assert response.status_code == 403 and "Repeated insults" in response.content.decode()
    assert client.post(f"/forum/{forum.pk}-{forum.slug}/new/",
                       {"title": "Sneaky topic", "body": "x"}).status_code == 403  # fmt: skip
    own = Post.objects.create(topic=topic, author=banned, position=9, body="old", body_html="old")
    assert client.post(f"/post/{own.pk}/edit/", {"body": "changed"}).status_code == 403
    reply = Post.objects.get(topic=topic, position=2)
    assert client.post(f"/post/{reply.pk}/report/", {"reason": "spam"}).status_code == 403
    assert not Post.objects.filter(body__in=["Sneaky reply", "changed"]).exists()
    assert not Topic.objects.filter(title="Sneaky topic").exists()


def test_a_banned_member_cannot_change_their_signature(banned_client):
    client, banned = banned_client
    response = client.post("/settings/", {"signature": "Buy my stuff"})
    assert response.status_code == 403
    banned.refresh_from_db()
    assert banned.signature == ""


def test_a_ban_ends_by_itself(banned_client):
    client, banned = banned_client
    banned.banned_until = timezone.now() - timedelta(minutes=1)
    banned.save()
    topic = make_topic()
    assert client.post(reply_url(topic), {"body": "Back again"}).status_code == 302


def test_an_unverified_member_reads_but_does_not_post(client):
    unverified = UserFactory(verified=False)
    client.force_login(unverified)
    topic = make_topic()
    html = client.get(topic.get_absolute_url()).content.decode()
    assert "Confirm your e-mail address before you take part" in html and "<textarea" not in html
    assert client.post(reply_url(topic), {"body": "Hi"}).status_code == 403
    assert Post.objects.filter(author=unverified).count() == 0


def test_confirming_the_address_lets_them_post_at_once(client):
    unverified = UserFactory(verified=False)
    client.force_login(unverified)
    topic = make_topic()
    assert client.post(reply_url(topic), {"body": "Hi"}).status_code == 403
    address = unverified.emailaddress_set.get()
    address.verified = True
    address.save()  # the cached answer is forgotten
    assert client.post(reply_url(topic), {"body": "Hi"}).status_code == 302


# --- allauth: rate limits, honeypot, no enumeration ------------------------------------


def _signup(client: Client, n: int, **extra: str):
    return client.post("/accounts/signup/", {
        "username": f"newbie{n}", "email": f"newbie{n}@example.com",
        "password1": "a sturdy passphrase 42", "password2": "a sturdy passphrase 42", **extra,
    })  # fmt: skip


def test_sign_in_failures_are_rate_limited(settings, guest_client):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,3/5m/key"}
    UserFactory(username="target")
    for _ in range(3):
        html = guest_client.post("/accounts/login/", {"login": "target", "password": "nope"})
        assert "not correct" in html.content.decode()
    blocked = guest_client.post("/accounts/login/", {"login": "target", "password": PASSWORD})
    assert "Too many failed login attempts" in blocked.content.decode()
    assert "_auth_user_id" not in guest_client.session


def test_sign_up_is_rate_limited(settings, guest_client):
    settings.ACCOUNT_RATE_LIMITS = {"signup": "2/h/ip"}
    assert _signup(guest_client, 1).status_code == 302
    assert _signup(guest_client, 2).status_code == 302
    assert _signup(guest_client, 3).status_code == 429


def test_password_reset_is_rate_limited(settings, guest_client):
    settings.ACCOUNT_RATE_LIMITS = {"reset_password": "20/m/ip,2/m/key"}
    user = UserFactory()
    for _ in range(2):
        assert (
            guest_client.post("/accounts/password/reset/", {"email": user.email}).status_code == 302
        )
    response = guest_client.post("/accounts/password/reset/", {"email": user.email})
    assert response.status_code == 429
    assert len(mail.outbox) == 2


def test_the_honeypot_field_is_on_the_form_and_hidden_by_css(guest_client):
    html = guest_client.get("/accounts/signup/").content.decode()
    field = re.search(r'<input[^>]*name="website"[^>]*>', html)
    assert field and 'tabindex="-1"' in field.group(0)
    assert "style=" not in html


def test_sign_up_does_not_tell_whether_an_address_is_taken(guest_client):
    UserFactory(username="existing", email="taken@example.com")
    fresh = _signup(guest_client, 1)
    other = Client()
    taken = _signup(other, 2, email="taken@example.com")
    assert fresh.status_code == taken.status_code == 302
    assert fresh["Location"] == taken["Location"]
    # The owner of the address is told by e-mail instead.
    assert any(m.to == ["taken@example.com"] for m in mail.outbox)


def test_sign_in_does_not_tell_whether_an_account_exists(guest_client):
    UserFactory(username="realperson")
    wrong_password = guest_client.post("/accounts/login/", {"login": "realperson", "password": "x"})
    no_account = guest_client.post("/accounts/login/", {"login": "ghost", "password": "x"})

    def message(response) -> str:
        return re.search(r'class="form-errors"[^>]*>(.*?)</div>', response.content.decode(),
                         re.S).group(1)  # fmt: skip

    assert message(wrong_password) == message(no_account)
