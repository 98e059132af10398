"""Images in posts: uploads with and without JavaScript, attaching, rendering,
serving, failed submissions, limits and the cleanup of unattached uploads."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from forum import images
from forum.jobs import default_jobs
from forum.posts import services
from forum.posts.models import Attachment, Post
from tests import imagefiles
from tests.factories import UserFactory, make_post, make_topic
from tests.threads.test_topic_page import GUEST_TOPIC_PAGE_QUERIES, _count_queries

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

UPLOAD_URL = "/attachments/upload/"


def _reply_url(topic) -> str:
    return f"/topic/{topic.pk}-{topic.slug}/reply/"


def _stored(user, data: bytes | None = None, name: str = "photo.jpg") -> Attachment:
    image = images.process_upload(io.BytesIO(data or imagefiles.photo()))
    return services.store_upload(user, image=image, filename=name)


def _read(field) -> bytes:
    with default_storage.open(field.name, "rb") as handle:
        return handle.read()


# --- Without JavaScript: files go with the form ------------------------------------


def test_member_attaches_a_gps_photo_to_a_reply(member_client, member):
    topic = make_topic()
    photo = imagefiles.upload(imagefiles.jpeg_with_gps((1000, 1600)), "IMG_0042.JPG")
    response = member_client.post(
        _reply_url(topic), {"body": "Taken on the ridge this morning.", "images": [photo]}
    )
    assert response.status_code == 302
    post = Post.objects.get(topic=topic, position=2)
    attachment = Attachment.objects.get(post=post)
    # Orientation 6 turned the 1000x1600 sensor image into a 1600x1000 landscape.
    assert (attachment.width, attachment.height) == (1600, 1000)
    assert (attachment.display_width, attachment.display_height) == (1200, 750)
    assert attachment.uploader == member and attachment.name == "IMG_0042.jpg"
    assert attachment.content_type == "image/jpeg"
    assert re.fullmatch(r"attachments/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", attachment.file.name)
    for stored in (attachment.file, attachment.display):
        data = _read(stored)
        assert imagefiles.SECRET.encode() not in data and b"Exif" not in data
        assert dict(imagefiles.opened(data).getexif()) == {}
    assert imagefiles.opened(_read(attachment.display)).size == (1200, 750)
    # The post shows the display copy, sized, linking to the full image.
    html = member_client.get(response["Location"].split("#")[0]).content.decode()
    expected = (
        f'<a class="attachment" href="{attachment.file.url}" rel="nofollow ugc">'
        f'<img alt="IMG_0042.jpg" height="750" src="{attachment.display.url}" width="1200" '
        f'loading="lazy"></a>'
    )
    assert expected in post.body_html and expected in html


def test_new_topic_takes_several_images_at_once(member_client, forum):
    files = [
        imagefiles.upload(imagefiles.photo((40, 30), "PNG"), "one.png", "image/png"),
        imagefiles.upload(imagefiles.animated("GIF"), "two.gif", "image/gif"),
        imagefiles.upload(imagefiles.photo((40, 30), "WEBP"), "three.webp", "image/webp"),
    ]
    response = member_client.post(
        f"/forum/{forum.pk}-{forum.slug}/new/",
        {"title": "Three pictures", "body": "See below.", "images": files},
    )
    assert response.status_code == 302
    post = Post.objects.get(topic__title="Three pictures")
    attachments = list(post.attachments.order_by("pk"))
    assert [a.name for a in attachments] == ["one.png", "two.gif", "three.webp"]
    assert [a.content_type for a in attachments] == ["image/png", "image/gif", "image/webp"]
    assert not attachments[0].display  # small enough to show as it is
    # Images the text does not place are shown after it, in upload order.
    gallery = post.body_html.split('<div class="attachments">', 1)[1]
    assert re.findall(r'alt="([^"]+)"', gallery) == [a.name for a in attachments]
    assert images.process_upload(io.BytesIO(_read(attachments[1].file))).frames == 4


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (imagefiles.SVG, "cute-cat.png",
         "cute-cat.png: This file is in SVG format. "
         "Only JPEG, PNG, GIF and WebP images are accepted."),
        (imagefiles.HTML, "page.png",
         "page.png: This file is not an image. Only JPEG, PNG, GIF and WebP images are accepted."),
        (b"", "empty.jpg", "empty.jpg: This file is empty."),
        (imagefiles.photo((200, 200))[:900], "cut.jpg",
         "cut.jpg: This image is damaged or incomplete, so it cannot be used."),
        (imagefiles.png_bomb(8000, 8000), "bomb.png",
         "bomb.png: This image is too large: 8000 × 8000 pixels. "
         "An image may have at most 40 megapixels."),
        (imagefiles.gif_bomb(4000, 4000, 5000), "huge.gif",
         "huge.gif: This animation has too many frames: 5000. It may have at most 100."),
    ],
    ids=["svg", "html", "empty", "truncated", "bomb", "huge-gif"],
)  # fmt: skip
def test_refused_file_has_its_message_and_the_rest_is_kept(member_client, member, data, name,
                                                          message):  # fmt: skip
    topic = make_topic()
    good = imagefiles.upload(imagefiles.photo((50, 50), "PNG"), "good.png", "image/png")
    bad = imagefiles.upload(data, name, "image/png")
    text = "My reply, which I *do not* want to type again."
    response = member_client.post(_reply_url(topic), {"body": text, "images": [good, bad]})
    assert response.status_code == 400
    html = response.content.decode()
    field = html.split('class="uploads', 1)[1].split("</ul>", 1)[0]
    assert f'<p class="field-error">{message}</p>' in field.replace("&#x27;", "'")
    assert text in html  # the text is still there
    # The good image was kept as the member's upload and comes back ticked.
    kept = Attachment.objects.get(uploader=member)
    assert kept.post is None and kept.name == "good.png"
    assert f'name="attachments" value="{kept.pk}" checked' in field
    assert Post.objects.filter(topic=topic).count() == 1
    # Sending the form again (the file picker is empty now) posts both.
    response = member_client.post(_reply_url(topic), {"body": text, "attachments": [kept.pk]})
    assert response.status_code == 302
    kept.refresh_from_db()
    assert kept.post == Post.objects.get(topic=topic, position=2)


def test_failed_text_keeps_the_uploaded_images(member_client, member, settings):
    settings.AGORA_POST_MAX_LENGTH = 20
    topic = make_topic()
    photo = imagefiles.upload(imagefiles.photo((60, 40)), "kept.jpg")
    response = member_client.post(
        _reply_url(topic), {"body": "This text is longer than twenty.", "images": [photo]}
    )
    assert response.status_code == 400
    kept = Attachment.objects.get(uploader=member)
    html = response.content.decode()
    assert "Your post is too long" in html and "This text is longer than twenty." in html
    assert f'value="{kept.pk}" checked' in html and kept.markdown in html


def test_a_post_has_at_most_the_image_limit(member_client, member, settings):
    settings.AGORA_IMAGES_PER_POST = 2
    topic = make_topic()
    files = [imagefiles.upload(imagefiles.photo((30, 30)), f"p{n}.jpg") for n in range(3)]
    response = member_client.post(_reply_url(topic), {"body": "Three?", "images": files})
    assert response.status_code == 400
    assert "p2.jpg was not added: a post may have at most 2 images." in response.content.decode()
    assert Attachment.objects.filter(uploader=member).count() == 2
    ids = list(Attachment.objects.values_list("pk", flat=True))
    extra = _stored(member)
    response = member_client.post(
        _reply_url(topic), {"body": "Three?", "attachments": [*ids, extra.pk]}
    )
    assert response.status_code == 400
    assert "A post may have at most 2 images: untick some of them." in response.content.decode()


# --- With JavaScript: the upload endpoint -----------------------------------------


def test_upload_endpoint_stores_the_image_and_answers_with_its_markdown(
    member_client, member, django_assert_num_queries
):
    member_client.get("/")  # warm up: last-seen write
    photo = imagefiles.upload(imagefiles.photo((1500, 500)), "../../x.jpg")
    with django_assert_num_queries(4):  # session, member, uploads this hour, insert
        response = member_client.post(UPLOAD_URL, {"image": photo})
    assert response.status_code == 201
    attachment = Attachment.objects.get()
    assert attachment.uploader == member and attachment.post is None
    assert response.json() == {
        "id": attachment.pk,
        "name": "x.jpg",
        "markdown": f"![x.jpg](attachment:{attachment.pk})",
        "url": attachment.file.url,
        "display_url": attachment.display.url,
        "width": 1200,
        "height": 400,
    }
    # The reply places the image where the Markdown is, and appends nothing.
    topic = make_topic()
    body = f"Before\n\n![my view](attachment:{attachment.pk})\n\nAfter"
    member_client.post(_reply_url(topic), {"body": body, "attachments": [attachment.pk]})
    post = Post.objects.get(topic=topic, position=2)
    assert 'alt="my view"' in post.body_html and 'class="attachments"' not in post.body_html
    assert post.body_html.index("Before") < post.body_html.index("my view")
    assert post.body_html.index("my view") < post.body_html.index("After")


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (imagefiles.SVG, "evil.png", "wrong_type"),
        (imagefiles.polyglot()[:300], "cut.png", "damaged"),
        (imagefiles.gif_bomb(2000, 2000, 20), "big.gif", "too_many_pixels"),
    ],
)
def test_upload_endpoint_refuses_with_a_message(member_client, data, name, code):
    response = member_client.post(UPLOAD_URL, {"image": imagefiles.upload(data, name)})
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert response.json()["error"].startswith(f"{name}: ")
    assert not Attachment.objects.exists()


def test_upload_endpoint_is_for_members_only(guest_client, member, member_client):
    photo = imagefiles.photo((20, 20))
    response = guest_client.post(UPLOAD_URL, {"image": imagefiles.upload(photo)})
    assert response.status_code == 403 and response.json()["error"] == "Sign in to upload images."
    member.banned_at = timezone.now()
    member.save()
    response = member_client.post(UPLOAD_URL, {"image": imagefiles.upload(photo)})
    assert response.status_code == 403
    assert member_client.get(UPLOAD_URL).status_code == 405
    assert not Attachment.objects.exists()


def test_upload_endpoint_needs_the_csrf_token(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.post(UPLOAD_URL, {"image": imagefiles.upload(imagefiles.photo((20, 20)))})
    assert response.status_code == 403
    assert not Attachment.objects.exists()


def test_upload_endpoint_without_a_file_says_so(member_client):
    response = member_client.post(UPLOAD_URL, {})
    assert response.status_code == 400 and response.json()["error"] == "Choose an image to upload."


def test_uploads_are_rate_limited(member_client, member, settings):
    settings.AGORA_UPLOADS_PER_HOUR = 2
    photo = imagefiles.photo((20, 20))
    for _ in range(2):
        response = member_client.post(UPLOAD_URL, {"image": imagefiles.upload(photo)})
        assert response.status_code == 201
    response = member_client.post(UPLOAD_URL, {"image": imagefiles.upload(photo, "late.jpg")})
    assert response.status_code == 429
    assert response.json()["error"].startswith("late.jpg was not added: you have uploaded many")
    topic = make_topic()
    response = member_client.post(
        _reply_url(topic), {"body": "x", "images": [imagefiles.upload(photo, "late.jpg")]}
    )
    assert response.status_code == 400 and "late.jpg was not added" in response.content.decode()
    # An hour later there is room again.
    Attachment.objects.update(created_at=timezone.now() - timedelta(minutes=61))
    assert member_client.post(UPLOAD_URL, {"image": imagefiles.upload(photo)}).status_code == 201


# --- Who may attach what ---------------------------------------------------------


def test_only_the_uploaders_own_unattached_uploads_can_be_attached(member_client, member):
    topic = make_topic()
    theirs = _stored(UserFactory(), name="theirs.jpg")
    elsewhere = _stored(member, name="elsewhere.jpg")
    other_post = services.reply_to_topic(
        topic, author=member, body="first", attachment_ids=[elsewhere.pk]
    )
    mine = _stored(member, name="mine.jpg")
    body = (
        f"![a](attachment:{theirs.pk}) ![b](attachment:{elsewhere.pk}) ![c](attachment:{mine.pk})"
    )
    member_client.post(
        _reply_url(topic), {"body": body, "attachments": [theirs.pk, elsewhere.pk, mine.pk]}
    )
    post = Post.objects.get(topic=topic, position=3)
    assert list(post.attachments.all()) == [mine]
    theirs.refresh_from_db()
    elsewhere.refresh_from_db()
    assert theirs.post is None and elsewhere.post == other_post
    # References to images that are not this post's keep only their words.
    assert '<span>a</span> <span>b</span> <a class="attachment"' in post.body_html
    assert post.body_html.count("<img") == 1


def test_edit_keeps_removes_and_adds_images(member_client, member):
    topic = make_topic(author=member)
    first, second = _stored(member, name="first.jpg"), _stored(member, name="second.jpg")
    post = services.reply_to_topic(
        topic, author=member, body="Two photos.", attachment_ids=[first.pk, second.pk]
    )
    url = f"/post/{post.pk}/edit/"
    form = member_client.get(url).content.decode()
    for attachment in (first, second):
        assert f'name="attachments" value="{attachment.pk}" checked' in form
    new = imagefiles.upload(imagefiles.photo((30, 30), "PNG"), "third.png", "image/png")
    response = member_client.post(
        url, {"body": "Two photos.", "attachments": [first.pk], "images": [new]}
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert [a.name for a in post.attachments.order_by("pk")] == ["first.jpg", "third.png"]
    assert "second.jpg" not in post.body_html and "third.png" in post.body_html
    assert post.edit_count == 1 and not post.revisions.exists()  # the text did not change
    second.refresh_from_db()
    assert second.post is None  # taken off: the cleanup removes it


def test_editor_page_costs_the_same_for_one_image_as_for_ten(member_client, member):
    topic = make_topic(author=member)
    one = services.reply_to_topic(
        topic, author=member, body="one", attachment_ids=[_stored(member).pk]
    )
    ten = services.reply_to_topic(
        topic, author=member, body="ten", attachment_ids=[_stored(member).pk for _ in range(10)]
    )
    member_client.get(f"/post/{one.pk}/edit/")
    assert len(_count_queries(member_client, f"/post/{one.pk}/edit/")) == len(
        _count_queries(member_client, f"/post/{ten.pk}/edit/")
    )


# --- Showing and serving ------------------------------------------------------------


def test_topic_page_query_count_is_unchanged_with_images(guest_client, member_client, member,
                                                         django_assert_num_queries):  # fmt: skip
    short = make_topic(author=member)
    services.edit_post(
        Post.objects.get(pk=short.first_post_id), editor=member, body="pic",
        attachment_ids=[_stored(member).pk],
    )  # fmt: skip
    long = make_topic(author=member)
    for _ in range(19):
        author = UserFactory()
        services.reply_to_topic(
            long, author=author, body="pics",
            attachment_ids=[_stored(author).pk, _stored(author).pk],
        )  # fmt: skip
    for topic in (short, long):
        with django_assert_num_queries(GUEST_TOPIC_PAGE_QUERIES):
            html = guest_client.get(topic.get_absolute_url()).content.decode()
        assert 'class="attachment"' in html
    for topic in (short, long):  # warm up: last-seen write, cached reaction types
        member_client.get(topic.get_absolute_url())
    one = _count_queries(member_client, short.get_absolute_url())
    twenty = _count_queries(member_client, long.get_absolute_url())
    assert len(one) == len(twenty) <= 10


def test_media_is_served_as_an_image_never_as_html(guest_client, member):
    attachment = _stored(member, imagefiles.polyglot(), name="poly.png")
    response = guest_client.get(attachment.file.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert b"<script" not in b"".join(response.streaming_content)
    assert guest_client.get("/media/../forum/settings.py").status_code == 404
    assert guest_client.get("/media/attachments/x.html").status_code == 404


def test_rerender_keeps_the_images(member):
    topic = make_topic(author=member)
    post = services.reply_to_topic(
        topic, author=member, body="pic", attachment_ids=[_stored(member).pk]
    )
    html = post.body_html
    Post.objects.filter(pk=post.pk).update(body_html="", render_version=0)
    call_command("rerender_posts", stdout=io.StringIO())
    assert Post.objects.get(pk=post.pk).body_html == html


# --- Cleanup -------------------------------------------------------------------------


def test_cleanup_removes_stale_unattached_uploads_with_their_files(member):
    stale = _stored(member, imagefiles.photo((1300, 100)), name="stale.jpg")
    fresh = _stored(member, name="fresh.jpg")
    attached = _stored(member, name="attached.jpg")
    make_post(make_topic(), author=member)
    services.reply_to_topic(make_topic(), author=member, body="x", attachment_ids=[attached.pk])
    old = timezone.now() - timedelta(hours=25)
    Attachment.objects.filter(pk__in=[stale.pk, attached.pk]).update(created_at=old)
    files = [stale.file.name, stale.display.name]
    assert all(default_storage.exists(name) for name in files)
    out = io.StringIO()
    call_command("cleanup_uploads", stdout=out)
    assert "Removed 1 unattached uploads older than 24 hours." in out.getvalue()
    assert set(Attachment.objects.values_list("name", flat=True)) == {"fresh.jpg", "attached.jpg"}
    assert not any(default_storage.exists(name) for name in files)
    assert default_storage.exists(fresh.file.name) and default_storage.exists(attached.file.name)


def test_cleanup_runs_hourly_as_a_periodic_job():
    jobs = {job.name: job for job in default_jobs()}
    job = jobs["remove unattached uploads"]
    assert job.every_seconds == 3600 and job.run is services.delete_stale_uploads


def test_a_reply_of_images_alone_is_fine_but_nothing_at_all_is_not(member_client, member):
    topic = make_topic()
    response = member_client.post(_reply_url(topic), {"body": "  "})
    assert response.status_code == 400 and "Your post is empty" in response.content.decode()
    photo = imagefiles.upload(imagefiles.photo((60, 40)), "just-this.jpg")
    response = member_client.post(_reply_url(topic), {"body": "", "images": [photo]})
    assert response.status_code == 302
    post = Post.objects.get(topic=topic, position=2)
    attachment = post.attachments.get()
    assert post.body == ""
    assert post.body_html == (
        f'<p><a class="attachment" href="{attachment.file.url}" rel="nofollow ugc">'
        f'<img alt="just-this.jpg" height="40" src="{attachment.file.url}" width="60" '
        f'loading="lazy"></a></p>'
    )
