"""forum.images: every upload is decoded and re-encoded; hostile files are refused
with a message that says why, or come out as harmless pixels."""

from __future__ import annotations

import io
import time

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from forum import images
from tests import imagefiles


def _refused(data: bytes, **limits: int) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        images.process_upload(io.BytesIO(data), **limits)
    return caught.value


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "GIF", "WEBP"])
def test_each_accepted_format_stays_itself(fmt):
    data = imagefiles.photo((90, 60), fmt)
    result = images.process_upload(io.BytesIO(data))
    assert (result.format, result.width, result.height, result.frames) == (fmt, 90, 60, 1)
    assert imagefiles.opened(result.content).format == fmt
    assert result.content_type == {"JPEG": "image/jpeg", "PNG": "image/png",
                                   "GIF": "image/gif", "WEBP": "image/webp"}[fmt]  # fmt: skip


def test_gps_exif_and_comments_are_dropped_and_the_photo_turned_upright():
    data = imagefiles.jpeg_with_gps((320, 200), orientation=6)
    assert imagefiles.SECRET.encode() in data and b"Exif" in data
    result = images.process_upload(io.BytesIO(data))
    # Orientation 6 means "rotate 90° clockwise to view": the stored copy is upright.
    assert (result.width, result.height) == (200, 320)
    stored = imagefiles.opened(result.content)
    assert dict(stored.getexif()) == {}
    assert not {"exif", "comment", "icc_profile", "xmp"} & set(stored.info)
    assert imagefiles.SECRET.encode() not in result.content
    assert b"Exif" not in result.content and b"GPS" not in result.content


def test_png_text_chunks_and_colour_profile_are_dropped():
    from PIL import ImageCms, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", imagefiles.SECRET)
    info.add_itxt("Comment", imagefiles.SECRET)
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = imagefiles.photo((40, 40), "PNG", pnginfo=info, icc_profile=profile)
    result = images.process_upload(io.BytesIO(data))
    assert imagefiles.SECRET.encode() not in result.content
    assert b"iCCP" not in result.content and b"tEXt" not in result.content
    assert "icc_profile" not in imagefiles.opened(result.content).info


def test_animated_gif_stays_animated_with_its_timing():
    data = imagefiles.animated("GIF", frames=4, durations=80)
    result = images.process_upload(io.BytesIO(data))
    assert result.frames == 4 and result.animated
    stored = Image.open(io.BytesIO(result.content))
    assert stored.n_frames == 4 and stored.info.get("loop") == 0
    timing = []
    for index in range(4):
        stored.seek(index)
        stored.load()
        timing.append(stored.info["duration"])
    assert timing == [80, 90, 100, 110]


def test_animated_webp_stays_animated():
    result = images.process_upload(io.BytesIO(imagefiles.animated("WEBP", frames=3)))
    assert result.format == "WEBP" and result.frames == 3
    assert Image.open(io.BytesIO(result.content)).n_frames == 3


def test_transparent_png_keeps_its_transparency():
    image = Image.new("RGBA", (30, 30), (255, 0, 0, 0))
    image.paste((0, 0, 255, 255), (10, 10, 20, 20))
    out = io.BytesIO()
    image.save(out, "PNG")
    stored = imagefiles.opened(images.process_upload(io.BytesIO(out.getvalue())).content)
    rgba = stored.convert("RGBA")
    assert rgba.getpixel((0, 0))[3] == 0 and rgba.getpixel((15, 15)) == (0, 0, 255, 255)


def test_cmyk_jpeg_and_16_bit_png_come_out_viewable():
    out = io.BytesIO()
    Image.new("CMYK", (20, 20), (0, 255, 255, 0)).save(out, "JPEG")
    assert imagefiles.opened(images.process_upload(out).content).mode == "RGB"
    out = io.BytesIO()
    Image.new("I;16", (20, 20), 40000).save(out, "PNG")
    grey = imagefiles.opened(images.process_upload(out).content)
    assert grey.mode == "L" and 150 <= grey.getpixel((0, 0)) <= 160  # scaled, not clipped


# --- Hostile files ---------------------------------------------------------------


def test_decompression_bomb_is_refused_from_its_header_without_decoding():
    bomb = imagefiles.png_bomb(8000, 8000)  # 64 megapixels in a few kilobytes
    assert len(bomb) < 100_000
    started = time.monotonic()
    error = _refused(bomb)
    assert time.monotonic() - started < 1
    assert error.code == "too_many_pixels"
    assert error.messages == [
        "This image is too large: 8000 × 8000 pixels. An image may have at most 40 megapixels."
    ]


def test_bomb_beyond_pillows_own_limit_is_refused_too():
    error = _refused(imagefiles.png_bomb(20000, 20000))  # 400 megapixels
    assert error.code == "too_many_pixels"
    assert "too large to open safely" in error.messages[0]


def test_huge_animated_gif_is_refused_before_any_frame_is_decoded():
    bomb = imagefiles.gif_bomb(4000, 4000, frames=5000)  # 80 gigapixels to composite
    assert len(bomb) < 200_000
    started = time.monotonic()
    error = _refused(bomb)
    assert time.monotonic() - started < 1
    assert error.code == "too_many_frames"
    assert error.messages == ["This animation has too many frames: 5000. It may have at most 100."]


def test_animation_too_large_in_all_is_refused():
    error = _refused(imagefiles.gif_bomb(2000, 2000, frames=20))  # 80 megapixels in all
    assert error.code == "too_many_pixels"
    assert error.messages == [
        "This animation is too large: 20 frames of 2000 × 2000 pixels. "
        "All its frames together may have at most 40 megapixels."
    ]


def test_too_big_file_is_refused_with_its_size():
    data = imagefiles.photo((300, 300), "PNG")
    error = _refused(data, max_bytes=10_000)
    assert error.code == "too_big"
    assert error.messages[0].startswith("This file is too big:")
    assert "An image may be at most 9.8\xa0KB." in error.messages[0]


@pytest.mark.parametrize(
    ("data", "code", "message"),
    [
        (b"", "empty", "This file is empty."),
        (imagefiles.SVG, "wrong_type",
         "This file is in SVG format. Only JPEG, PNG, GIF and WebP images are accepted."),
        (imagefiles.bmp(), "wrong_type",
         "This file is in BMP format. Only JPEG, PNG, GIF and WebP images are accepted."),
        (imagefiles.HTML, "not_an_image",
         "This file is not an image. Only JPEG, PNG, GIF and WebP images are accepted."),
        (b"%PDF-1.7\n" + b"x" * 100, "not_an_image",
         "This file is not an image. Only JPEG, PNG, GIF and WebP images are accepted."),
        (b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n", "not_an_image",
         "This file is not an image. Only JPEG, PNG, GIF and WebP images are accepted."),
    ],
    ids=["empty", "svg", "bmp", "html", "pdf", "eps"],
)  # fmt: skip
def test_files_that_are_not_accepted_images_say_what_they_are(data, code, message):
    error = _refused(data)
    assert (error.code, error.messages) == (code, [message])


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "GIF", "WEBP"])
def test_truncated_image_is_refused_as_damaged(fmt):
    data = imagefiles.photo((200, 200), fmt)
    error = _refused(data[: len(data) // 2])
    assert error.code == "damaged"
    assert error.messages == ["This image is damaged or incomplete, so it cannot be used."]


def test_corrupt_pixel_data_behind_a_valid_header_is_refused():
    data = bytearray(imagefiles.photo((64, 64), "PNG"))
    data[60:200] = b"\x00" * 140  # inside the compressed pixels: CRC and zlib both fail
    assert _refused(bytes(data)).code == "damaged"


def test_polyglot_with_trailing_script_is_stored_as_pixels_only():
    data = imagefiles.polyglot()
    assert imagefiles.SCRIPT in data
    result = images.process_upload(io.BytesIO(data))
    assert result.format == "PNG"
    assert b"<script" not in result.content and b"<html" not in result.content.lower()


def test_html_in_a_jpeg_comment_does_not_survive():
    data = imagefiles.photo((64, 64), "JPEG", comment=imagefiles.HTML)
    assert imagefiles.SCRIPT in data
    assert imagefiles.SCRIPT not in images.process_upload(io.BytesIO(data)).content


# --- Derivatives and names ---------------------------------------------------------


def test_display_copy_is_at_most_the_display_width():
    result = images.process_upload(io.BytesIO(imagefiles.photo((1600, 900))))
    display = images.scale_to_width(result, 1200)
    assert (display.width, display.height, display.format) == (1200, 675, "JPEG")
    assert images.scale_to_width(display, 1200) is None  # already fits


def test_display_copy_of_an_animation_is_animated():
    data = imagefiles.animated("GIF", frames=3, size=(300, 100))
    result = images.process_upload(io.BytesIO(data))
    display = images.scale_to_width(result, 150)
    assert (display.width, display.height, display.frames) == (150, 50, 3)


def test_square_crops_the_centre():
    result = images.process_upload(io.BytesIO(imagefiles.photo((300, 100), "PNG")))
    avatar = images.square(result, 64)
    assert (avatar.width, avatar.height, avatar.format) == (64, 64, "PNG")
    gif = images.process_upload(io.BytesIO(imagefiles.animated("GIF")))
    still = images.square(gif, 64)
    assert (still.format, still.frames) == ("PNG", 1)


@pytest.mark.parametrize(
    ("filename", "shown"),
    [
        ("../../etc/passwd.png", "passwd.png"),
        ("..\\..\\windows\\win.ini.png", "win.ini.png"),
        ("holiday\u202egpj.exe", "holidaygpj.png"),  # right-to-left override
        ("zero\u200bwidth\x00name.jpg", "zerowidthname.png"),
        ("[click](javascript:alert(1)).png", "clickjavascriptalert1.png"),
        ("<script>.png", "script.png"),
        ("   ", "image.png"),
        (".htaccess", "image.png"),
        ("a" * 300 + ".png", "a" * 80 + ".png"),
    ],
)
def test_display_names_are_harmless_and_end_in_the_real_extension(filename, shown):
    assert images.display_name(filename, "png") == shown
