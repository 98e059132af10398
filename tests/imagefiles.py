"""Image files for the tests, ordinary and hostile, made with Pillow or by hand."""

from __future__ import annotations

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

SECRET = "SECRET-CAMERA-OWNER"
GPS_LATITUDE = (52.0, 22.0, 31.0)


def photo(size: tuple[int, int] = (320, 200), fmt: str = "JPEG", **params: object) -> bytes:
    """A noisy picture (so it does not compress to nothing), in ``fmt``."""
    noise = Image.effect_noise(size, 60).convert("RGB")
    tint = Image.new("RGB", size, (40, 120, 200))
    image = Image.blend(noise, tint, 0.5)
    out = io.BytesIO()
    image.save(out, fmt, **params)
    return out.getvalue()


def jpeg_with_gps(size: tuple[int, int] = (320, 200), orientation: int = 6) -> bytes:
    """A JPEG as a phone makes it: rotated by EXIF, with GPS, owner and a comment."""
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010E] = SECRET  # ImageDescription
    exif[0x013B] = SECRET  # Artist
    exif[0x8825] = {1: "N", 2: GPS_LATITUDE, 3: "E", 4: (4.0, 53.0, 2.0)}
    return photo(size, "JPEG", exif=exif.tobytes(), comment=SECRET.encode())


def animated(
    fmt: str = "GIF", frames: int = 4, size: tuple[int, int] = (60, 40), durations: int = 80
) -> bytes:
    images = [
        Image.new("RGB", size, (40 * index % 256, 255 - 40 * index % 256, 90))
        for index in range(frames)
    ]
    out = io.BytesIO()
    images[0].save(
        out,
        fmt,
        save_all=True,
        append_images=images[1:],
        duration=[durations + 10 * index for index in range(frames)],
        loop=0,
    )
    return out.getvalue()


def png_bomb(width: int, height: int) -> bytes:
    """A real decompression bomb: a valid 1-bit PNG of ``width`` x ``height`` black
    pixels, a few kilobytes on disk."""
    row = b"\x00" * (1 + (width + 7) // 8)
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def gif_bomb(width: int, height: int, frames: int) -> bytes:
    """An animated GIF made by hand: a huge canvas and many one-pixel frames.

    Tiny on disk; decoding it would composite ``frames`` full-size canvases.
    """
    out = bytearray(b"GIF89a")
    out += struct.pack("<HHBBB", width, height, 0x80, 0, 0)  # two-colour palette
    out += b"\x00\x00\x00\xff\xff\xff"
    out += b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"  # loop forever
    for _ in range(frames):
        out += b"\x21\xf9\x04\x00\x0a\x00\x00\x00"  # 100 ms
        out += b"\x2c" + struct.pack("<HHHHB", 0, 0, 1, 1, 0)
        out += b"\x02\x02\x44\x01\x00"  # LZW data of one pixel
    out += b"\x3b"
    return bytes(out)


SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(document.cookie)</script></svg>"
)
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SCRIPT = b"<script>alert(document.cookie)</script>"


def polyglot() -> bytes:
    """A valid PNG with an HTML page and script glued to its end."""
    return photo((64, 64), "PNG") + b"\n" + HTML


def bmp() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(out, "BMP")
    return out.getvalue()


def upload(
    data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image
