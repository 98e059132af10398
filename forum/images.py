"""Uploaded images, made safe: checked, decoded and re-encoded by Pillow.

Nothing a member uploads is ever stored as sent. ``process_upload`` reads at
most ``AGORA_IMAGE_MAX_BYTES``, lets Pillow identify the file among the four
accepted formats only (so no other decoder, such as Ghostscript for EPS, is
ever reached), refuses decompression bombs and over-long animations from the
header before any pixel is decoded, verifies the file, applies the EXIF
orientation, and encodes the pixels again in the same format with no metadata
at all (EXIF, GPS, XMP, comments, colour profiles: the pixels are converted
to sRGB first). The derivatives (``scale_to_width`` for the display copy of an
attachment, ``square`` for avatars) start from that clean result.

This module is pure: no models, no storage, no queries. The callers (posts'
attachments and accounts' avatars) store the bytes through Django's storage
API under names they choose.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

# Pillow format -> (content type, file extension). Nothing else is accepted.
FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "GIF": ("image/gif", "gif"),
    "WEBP": ("image/webp", "webp"),
}
ACCEPT_ATTRIBUTE = ",".join(content_type for content_type, _ext in FORMATS.values())

# Formats people try to upload that we recognise by their first bytes, so the
# message can say what the file is instead of "not an image".
_OTHER_KINDS = [
    (re.compile(rb"^BM"), "BMP"),
    (re.compile(rb"^(II\*\x00|MM\x00\*)"), "TIFF"),
    (re.compile(rb"^....ftyp(heic|heix|hevc|heim|heis|mif1|msf1)", re.DOTALL), "HEIC"),
    (re.compile(rb"^....ftypavi[fs]", re.DOTALL), "AVIF"),
    (re.compile(rb"^\x00\x00\x01\x00"), "ICO"),
    (re.compile(rb"^8BPS"), "PSD"),
    (re.compile(rb"^\x00\x00\x00\x0cjP  "), "JPEG 2000"),
    (re.compile(rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<svg[\s>]", re.DOTALL | re.I), "SVG"),
]

_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_ORIENTATION = 0x0112
_KEEP_MODES = {
    "JPEG": {"L", "RGB"},
    "PNG": {"1", "L", "LA", "P", "RGB", "RGBA"},
    "WEBP": {"RGB", "RGBA"},
    "GIF": {"L", "P"},
}
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


@dataclass(frozen=True)
class ProcessedImage:
    """An image re-encoded by ``process_upload``: safe bytes and what they are."""

    content: bytes
    format: str
    width: int
    height: int
    frames: int = 1

    @property
    def content_type(self) -> str:
        return FORMATS[self.format][0]

    @property
    def extension(self) -> str:
        return FORMATS[self.format][1]

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def animated(self) -> bool:
        return self.frames > 1


@dataclass
class _Frames:
    images: list[Image.Image]
    format: str
    durations: list[int]
    loop: int | None = None
    transparency: object = None


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:g}"


def _refuse(message: str, code: str, **params: object) -> ValidationError:
    return ValidationError(message, code=code, params=params or None)


def _read(upload: IO[bytes], limit: int) -> bytes:
    """Read the whole upload, but never more than one byte past ``limit``."""
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        size = getattr(upload, "size", None) or len(data)
        raise _refuse(
            _("This file is too big: %(size)s. An image may be at most %(limit)s."),
            "too_big",
            size=filesizeformat(size),
            limit=filesizeformat(limit),
        )
    return data


def _unrecognised(data: bytes) -> ValidationError:
    head = data[:512]
    for pattern, kind in _OTHER_KINDS:
        if pattern.match(head):
            return _refuse(
                _(
                    "This file is in %(kind)s format. "
                    "Only JPEG, PNG, GIF and WebP images are accepted."
                ),
                "wrong_type",
                kind=kind,
            )
    return _refuse(
        _("This file is not an image. Only JPEG, PNG, GIF and WebP images are accepted."),
        "not_an_image",
    )


def _damaged() -> ValidationError:
    return _refuse(_("This image is damaged or incomplete, so it cannot be used."), "damaged")


def _check_header(probe: Image.Image, fmt: str, *, max_pixels: int, max_frames: int) -> int:
    """Refuse what would be too costly to decode, from the header alone; return
    the frame count."""
    width, height = probe.size
    if width < 1 or height < 1:
        raise _damaged()
    if width * height > max_pixels:
        raise _refuse(
            _(
                "This image is too large: %(width)d × %(height)d pixels. "
                "An image may have at most %(limit)s megapixels."
            ),
            "too_many_pixels",
            width=width,
            height=height,
            limit=_megapixels(max_pixels),
        )
    # Counting GIF frames reads only the block headers, never the pixels.
    frames = getattr(probe, "n_frames", 1) if fmt != "JPEG" else 1
    if frames > max_frames:
        raise _refuse(
            _("This animation has too many frames: %(frames)d. It may have at most %(limit)d."),
            "too_many_frames",
            frames=frames,
            limit=max_frames,
        )
    if width * height * frames > max_pixels:
        raise _refuse(
            _(
                "This animation is too large: %(frames)d frames of %(width)d × %(height)d "
                "pixels. All its frames together may have at most %(limit)s megapixels."
            ),
            "too_many_pixels",
            frames=frames,
            width=width,
            height=height,
            limit=_megapixels(max_pixels),
        )
    return frames


def _to_srgb(image: Image.Image) -> Image.Image:
    """Convert pixels carrying a colour profile to sRGB, so the profile can go."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in {"RGB", "RGBA", "CMYK"}:
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        mode = "RGBA" if image.mode == "RGBA" else "RGB"
        converted = ImageCms.profileToProfile(image, source, _SRGB, outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image
    return converted if converted is not None else image


def _has_alpha(image: Image.Image) -> bool:
    return "A" in image.getbands() or "transparency" in image.info


def _normalise(image: Image.Image, fmt: str) -> Image.Image:
    """Bring the pixels into a mode the output format stores as they are."""
    if image.mode in _KEEP_MODES[fmt]:
        return image
    if image.mode in {"I", "I;16", "I;16B", "I;16L", "F"}:
        # 16-bit and float greyscale: scale down to 8 bits instead of clipping.
        image = image.convert("I").point(lambda value: value / 256).convert("L")
        return image if fmt != "WEBP" else image.convert("RGB")
    if fmt == "JPEG":
        return image.convert("RGB")
    return image.convert("RGBA" if _has_alpha(image) else "RGB")


def _decode(
    data: bytes, fmt: str, frames: int, *, at_least: tuple[int, int] | None = None
) -> _Frames:
    """Decode every frame, upright, in a mode the format keeps.

    ``at_least`` lets the JPEG decoder scale down while decoding (by 1/2 to 1/8),
    keeping at least that size: much faster for a display copy.
    """
    with Image.open(io.BytesIO(data), formats=[fmt]) as image:
        if frames == 1:
            if at_least is not None and fmt == "JPEG":
                image.draft(image.mode, at_least)
            image.load()
            upright = _to_srgb(ImageOps.exif_transpose(image))
            transparency = upright.info.get("transparency")
            still = _normalise(upright, fmt)
            if still.mode not in {"P", "L", "RGB"}:
                transparency = None
            return _Frames([still], fmt, [0], transparency=transparency)
        method = _TRANSPOSE.get(image.getexif().get(_ORIENTATION, 1))
        loop = image.info.get("loop")
        images, durations = [], []
        for index in range(frames):
            image.seek(index)
            frame = image.convert("RGBA")  # loads the frame, and with it its duration
            if method is not None:
                frame = frame.transpose(method)
            images.append(frame)
            durations.append(int(image.info.get("duration") or 100))
        return _Frames(images, fmt, durations, loop=loop)


def _encode(frames: _Frames, *, quality: int = 88) -> ProcessedImage:
    """Encode ``frames`` with no metadata: only pixels, timing and transparency."""
    first = frames.images[0]
    for image in frames.images:
        image.info = {}  # Pillow writes some of what is left here (comments, profiles)
    params: dict[str, object] = {}
    if frames.format == "JPEG":
        params = {"quality": quality, "optimize": True, "progressive": True}
    elif frames.format == "PNG":
        params = {"compress_level": 6}
    elif frames.format == "WEBP":
        params = {"quality": quality, "method": 4}
    if frames.transparency is not None and frames.format in {"PNG", "GIF"}:
        params["transparency"] = frames.transparency
    if len(frames.images) > 1:
        params.update(save_all=True, append_images=frames.images[1:], duration=frames.durations)
        if frames.loop is not None:
            params["loop"] = frames.loop
        if frames.format == "GIF":
            params["disposal"] = 2  # every frame is whole: clear before drawing the next
    out = io.BytesIO()
    first.save(out, format=frames.format, **params)
    return ProcessedImage(
        content=out.getvalue(),
        format=frames.format,
        width=first.width,
        height=first.height,
        frames=len(frames.images),
    )


def process_upload(
    upload: IO[bytes],
    *,
    max_bytes: int | None = None,
    max_pixels: int | None = None,
    max_frames: int | None = None,
) -> ProcessedImage:
    """Check an uploaded file and return it re-encoded, or raise ValidationError.

    The limits default to the ``AGORA_IMAGE_*`` settings. The error's message
    says what is wrong with the file, and its ``code`` is one of: ``empty``,
    ``too_big``, ``not_an_image``, ``wrong_type``, ``too_many_pixels``,
    ``too_many_frames``, ``damaged``.
    """
    max_bytes = max_bytes or settings.AGORA_IMAGE_MAX_BYTES
    max_pixels = max_pixels or settings.AGORA_IMAGE_MAX_PIXELS
    max_frames = max_frames or settings.AGORA_IMAGE_MAX_FRAMES
    data = _read(upload, max_bytes)
    if not data:
        raise _refuse(_("This file is empty."), "empty")
    try:
        with Image.open(io.BytesIO(data), formats=list(FORMATS)) as probe:
            fmt = probe.format or ""
            if fmt == "MPO":  # a camera's multi-picture JPEG: its first picture
                fmt = "JPEG"
            if fmt not in FORMATS:
                raise _unrecognised(data)
            frames = _check_header(probe, fmt, max_pixels=max_pixels, max_frames=max_frames)
            probe.verify()
    except Image.DecompressionBombError as exc:
        raise _refuse(
            _(
                "This image is too large to open safely. "
                "An image may have at most %(limit)s megapixels."
            ),
            "too_many_pixels",
            limit=_megapixels(max_pixels),
        ) from exc
    except UnidentifiedImageError as exc:
        raise _unrecognised(data) from exc
    except ValidationError:
        raise
    except Exception as exc:  # Pillow raises many kinds on broken input
        raise _damaged() from exc
    try:
        return _encode(_decode(data, fmt, frames))
    except Exception as exc:  # verified headers can still hide broken pixel data
        raise _damaged() from exc


def _open_clean(image: ProcessedImage, at_least: tuple[int, int] | None = None) -> _Frames:
    """Decode bytes made by ``process_upload`` (trusted), as full-colour frames."""
    frames = _decode(image.content, image.format, image.frames, at_least=at_least)
    for index, frame in enumerate(frames.images):
        if frame.mode not in {"RGB", "RGBA", "L"}:
            frames.images[index] = frame.convert("RGBA" if _has_alpha(frame) else "RGB")
    frames.transparency = None
    return frames


def scale_to_width(image: ProcessedImage, max_width: int) -> ProcessedImage | None:
    """A copy at most ``max_width`` pixels wide, or None when the image fits already."""
    if image.width <= max_width:
        return None
    height = max(1, round(image.height * max_width / image.width))
    frames = _open_clean(image, at_least=(max_width, height))
    frames.images = [
        frame.resize((max_width, height), Image.Resampling.LANCZOS) for frame in frames.images
    ]
    return _encode(frames, quality=85)


def square(image: ProcessedImage, size: int) -> ProcessedImage:
    """The centre of the first frame, cropped square and scaled to ``size`` pixels.

    Animations become still (their first frame); a GIF is stored as PNG.
    """
    frames = _open_clean(image, at_least=(size, size))
    first = ImageOps.fit(frames.images[0], (size, size), Image.Resampling.LANCZOS)
    fmt = "PNG" if image.format == "GIF" else image.format
    if fmt == "JPEG" and first.mode not in _KEEP_MODES["JPEG"]:
        first = first.convert("RGB")
    return _encode(_Frames([first], fmt, [0]), quality=90)


_NAME_JUNK = re.compile(r"[\x00-\x1f<>:\"|?*\[\]()`\\]")


def display_name(filename: str, extension: str | None = None) -> str:
    """A harmless name to show for an upload, ending in its real ``extension``
    (or, without one, in its own cleaned extension).

    Keeps only the last path segment, drops control and formatting characters
    (right-to-left overrides, zero-width characters) and anything Markdown or a
    file system would read specially.
    """
    name = unicodedata.normalize("NFKC", filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = " ".join(_NAME_JUNK.sub("", name).split())
    stem, dot, own = name.rpartition(".")
    if not dot:
        stem, own = name, ""
    stem = stem.strip(" .")[:80].strip(" .")
    extension = extension if extension is not None else own.strip()[:10]
    return f"{stem or 'image'}.{extension}" if extension else stem or "image"
