"""Avatars: upload in the account settings, cropped square at the sizes the pages
use, metadata dropped; removed back to initials; shown wherever members are."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from tests import imagefiles
from tests.factories import make_topic
from tests.threads.test_topic_page import GUEST_TOPIC_PAGE_QUERIES

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

URL = "/settings/avatar/"


def _upload(client, data: bytes, name: str = "me.jpg"):
    return client.post(URL, {"avatar": imagefiles.upload(data, name)})


def _read(field) -> bytes:
    with default_storage.open(field.name, "rb") as handle:
        return handle.read()


def test_guest_is_sent_to_sign_in(guest_client):
    response = guest_client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    response = guest_client.post(URL, {"avatar": imagefiles.upload(imagefiles.photo())})
    assert response.status_code == 302


def test_member_sees_the_avatar_section(member_client, member, django_assert_num_queries):
    member_client.get(URL)  # warm up: last-seen write
    with django_assert_num_queries(2):  # session, member
        response = member_client.get(URL)
    html = response.content.decode()
    assert '<a href="/settings/avatar/" aria-current="page">Avatar</a>' in html
    assert 'enctype="multipart/form-data"' in html and 'name="avatar"' in html
    assert "your initials show" in html and "Remove avatar" not in html


def test_member_uploads_a_photo_cropped_square_without_metadata(member_client, member):
    response = _upload(member_client, imagefiles.jpeg_with_gps((900, 600)), "../../me.jpg")
    assert response.status_code == 302 and response["Location"] == URL
    member.refresh_from_db()
    assert member.avatar.name.startswith(f"avatars/{member.pk}/")
    assert member.avatar.name.endswith("-200.jpg") and member.avatar_small.name.endswith("-64.jpg")
    for field, size in ((member.avatar, 200), (member.avatar_small, 64)):
        data = _read(field)
        assert imagefiles.opened(data).size == (size, size)
        assert imagefiles.SECRET.encode() not in data and b"Exif" not in data
    html = member_client.get(URL).content.decode()
    assert "Your new avatar is saved." in html and "Remove avatar" in html
    assert f'src="{member.avatar.url}"' in html and f'src="{member.avatar_small.url}"' in html


def test_a_new_avatar_replaces_the_old_files(member_client, member,
                                            django_capture_on_commit_callbacks):  # fmt: skip
    _upload(member_client, imagefiles.photo((300, 300), "PNG"), "first.png")
    member.refresh_from_db()
    old = [member.avatar.name, member.avatar_small.name]
    with django_capture_on_commit_callbacks(execute=True):
        _upload(member_client, imagefiles.photo((300, 300), "WEBP"), "second.webp")
    member.refresh_from_db()
    assert member.avatar.name.endswith(".webp")
    assert not any(default_storage.exists(name) for name in old)


def test_remove_brings_back_the_initials(member_client, member,
                                         django_capture_on_commit_callbacks):  # fmt: skip
    _upload(member_client, imagefiles.photo((100, 100)))
    member.refresh_from_db()
    files = [member.avatar.name, member.avatar_small.name]
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(URL, {"remove": "1"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert not member.avatar and not member.avatar_small
    assert not any(default_storage.exists(name) for name in files)
    html = member_client.get(URL).content.decode()
    assert f"avatar-c{member.avatar_colour}" in html and f">{member.initials}</span>" in html


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (imagefiles.SVG, "me.png",
         "This file is in SVG format. Only JPEG, PNG, GIF and WebP images are accepted."),
        (imagefiles.png_bomb(8000, 8000), "bomb.png",
         "This image is too large: 8000 × 8000 pixels. An image may have at most 40 megapixels."),
        (b"", "empty.png", "This file is empty."),
        (imagefiles.photo((200, 200), "PNG")[:400], "cut.png",
         "This image is damaged or incomplete, so it cannot be used."),
    ],
    ids=["svg", "bomb", "empty", "truncated"],
)  # fmt: skip
def test_refused_avatar_has_its_message_next_to_the_field(member_client, member, data, name,
                                                         message):  # fmt: skip
    response = _upload(member_client, data, name)
    assert response.status_code == 400
    html = response.content.decode()
    field = html.split('class="field field--error"', 1)[1].split("</form>", 1)[0]
    assert f'<p class="field-error" role="alert">{message}</p>' in field
    member.refresh_from_db()
    assert not member.avatar


def test_submitting_without_a_file_says_what_to_do(member_client):
    response = member_client.post(URL, {})
    assert response.status_code == 400 and "Choose an image to upload." in response.content.decode()


def test_banned_member_cannot_upload_but_can_remove(member_client, member):
    _upload(member_client, imagefiles.photo((100, 100)))
    member.banned_at = timezone.now()
    member.save()
    html = member_client.get(URL).content.decode()
    assert 'name="avatar"' not in html and "while your account is banned" in html
    assert _upload(member_client, imagefiles.photo((100, 100))).status_code == 403
    assert member_client.post(URL, {"remove": "1"}).status_code == 302
    member.refresh_from_db()
    assert not member.avatar


def test_avatar_shows_in_posts_topic_list_menu_and_profile(member_client, member, guest_client,
                                                           django_assert_num_queries):  # fmt: skip
    _upload(member_client, imagefiles.photo((300, 300)))
    member.refresh_from_db()
    large, small = member.avatar.url, member.avatar_small.url
    topic = make_topic(author=member)
    with django_assert_num_queries(GUEST_TOPIC_PAGE_QUERIES):
        html = guest_client.get(topic.get_absolute_url()).content.decode()
    assert f'<img class="avatar avatar--96 post__avatar" src="{large}"' in html
    html = guest_client.get(topic.forum.get_absolute_url()).content.decode()
    assert f'<img class="avatar avatar--40 topic-row__avatar" src="{small}"' in html
    html = member_client.get("/").content.decode()
    menu = html.split('class="menu__toggle"', 1)[1].split("</summary>", 1)[0]
    assert f'src="{small}"' in menu
    html = guest_client.get(member.get_absolute_url()).content.decode()
    assert f'<img class="avatar avatar--200 profile-head__avatar" src="{large}"' in html
