"""Pictures for the demo forum, drawn with Pillow (no files shipped, no network).

``manage.py seed_demo`` uploads them through the same pipeline as a member's
images (``forum.images.process_upload``), so the demo shows real attachments:
display copies, links to the full image, an animation, and avatars.
"""

from __future__ import annotations

import io
import math
import random
from collections.abc import Callable

from PIL import Image, ImageDraw, ImageFilter


def _gradient(size: tuple[int, int], top: tuple[int, ...], bottom: tuple[int, ...]) -> Image.Image:
    """A vertical gradient from ``top`` to ``bottom``."""
    column = Image.new("RGB", (1, 256))
    for y in range(256):
        t = y / 255
        column.putpixel(
            (0, y), tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        )
    return column.resize(size, Image.Resampling.BICUBIC)


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def _fog() -> bytes:
    """A river at dawn, trees fading into fog."""
    rng = random.Random(11)  # noqa: S311 (drawing, not security)
    width, height = 1600, 1000
    image = _gradient((width, height), (196, 204, 212), (120, 130, 140))
    for depth, (shade, base) in enumerate([((150, 158, 165), 520), ((95, 104, 110), 600),
                                           ((55, 62, 66), 680)]):  # fmt: skip
        layer = Image.new("RGBA", (width, height), (0, 0, 0, 0))
        draw = ImageDraw.Draw(layer)
        points = [(0, height)]
        for x in range(0, width + 40, 40):
            points.append((x, base - rng.randint(20, 120 - depth * 20)))
        points.append((width, height))
        draw.polygon(points, fill=(*shade, 255))
        soft = layer.filter(ImageFilter.GaussianBlur(6 - depth * 2))
        image.paste(soft, (0, 0), soft)
    river = _gradient((width, 260), (150, 160, 170), (70, 80, 88))
    draw = ImageDraw.Draw(river)
    for _ in range(120):
        x, y = rng.randint(0, width), rng.randint(0, 260)
        draw.line((x, y, x + rng.randint(40, 200), y), fill=(190, 198, 205), width=1)
    image.paste(river, (0, height - 260))
    fog = Image.new("L", (width, height), 0)
    ImageDraw.Draw(fog).rectangle((0, 420, width, 760), fill=170)
    fog = fog.filter(ImageFilter.GaussianBlur(90))
    image = Image.composite(Image.new("RGB", (width, height), (232, 235, 238)), image, fog)
    return _jpeg(image)


def _tomato_leaves() -> bytes:
    """Tomato leaves curling upwards, on dark soil."""
    rng = random.Random(5)  # noqa: S311
    width, height = 1200, 900
    image = _gradient((width, height), (92, 70, 52), (52, 38, 28))
    for _ in range(26):
        leaf = Image.new("RGBA", (260, 120), (0, 0, 0, 0))
        draw = ImageDraw.Draw(leaf)
        green = (rng.randint(40, 80), rng.randint(110, 160), rng.randint(40, 70), 255)
        draw.ellipse((10, 20, 250, 100), fill=green)
        draw.arc((10, 5, 250, 85), 200, 340, fill=(30, 80, 30, 255), width=6)  # the curl
        draw.line((20, 60, 240, 60), fill=(150, 190, 120, 255), width=3)
        leaf = leaf.rotate(rng.randint(0, 359), expand=True, resample=Image.Resampling.BICUBIC)
        image.paste(leaf, (rng.randint(-60, width - 150), rng.randint(-40, height - 120)), leaf)
    return _jpeg(image)


def _workbench() -> bytes:
    """A workbench under a pegboard with tools."""
    rng = random.Random(3)  # noqa: S311
    width, height = 1800, 1200
    image = Image.new("RGB", (width, height), (222, 214, 196))
    draw = ImageDraw.Draw(image)
    draw.rectangle((120, 80, width - 120, 640), fill=(196, 160, 110))
    for x in range(150, width - 120, 48):
        for y in range(110, 630, 48):
            draw.ellipse((x - 5, y - 5, x + 5, y + 5), fill=(150, 118, 78))
    for index in range(9):
        x = 220 + index * 160
        colour = [(200, 40, 40), (40, 90, 180), (230, 170, 30), (60, 60, 60)][index % 4]
        draw.rectangle((x, 180, x + 26, 420 + rng.randint(0, 120)), fill=colour)
        draw.rectangle((x - 20, 150, x + 46, 190), fill=(90, 90, 95))
    draw.rectangle((0, 700, width, 860), fill=(150, 100, 60))
    for y in range(712, 860, 14):
        draw.line((0, y + rng.randint(-3, 3), width, y + rng.randint(-3, 3)),
                  fill=(128, 84, 48), width=2)  # fmt: skip
    draw.rectangle((0, 860, width, height), fill=(70, 60, 52))
    draw.rectangle((1250, 560, 1500, 700), fill=(40, 120, 90))  # a toolbox
    draw.rectangle((1330, 530, 1420, 560), outline=(30, 30, 30), width=10)
    return _jpeg(image.filter(ImageFilter.SMOOTH))


def _night_sky() -> bytes:
    """Stars over a dark horizon, from a long exposure on a cheap tripod."""
    rng = random.Random(42)  # noqa: S311
    width, height = 1400, 933
    image = _gradient((width, height), (6, 10, 30), (28, 36, 70))
    draw = ImageDraw.Draw(image)
    for _ in range(900):
        x, y, level = rng.randint(0, width), rng.randint(0, height - 150), rng.randint(90, 255)
        radius = 1 if level < 220 else 2
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=(level, level, 255))
    for x, y in [
        (640, 260),
        (700, 300),
        (760, 340),
        (600, 120),
        (820, 140),
        (590, 470),
        (830, 450),
    ]:
        draw.ellipse((x - 4, y - 4, x + 4, y + 4), fill=(255, 250, 235))
    glow = image.filter(ImageFilter.GaussianBlur(3))
    image = Image.blend(image, glow, 0.35)
    draw = ImageDraw.Draw(image)
    points = [(0, height)] + [
        (x, height - 110 - int(30 * math.sin(x / 130)) - rng.randint(0, 12))
        for x in range(0, width + 20, 20)
    ] + [(width, height)]  # fmt: skip
    draw.polygon(points, fill=(4, 6, 10))
    return _jpeg(image)


def _sensor_chart() -> bytes:
    """An animated GIF: a day of greenhouse temperatures, drawn point by point."""
    width, height, steps = 480, 270, 12
    readings = [14 + 9 * math.sin((hour - 8) / 24 * 2 * math.pi) for hour in range(25)]
    frames = []
    for step in range(1, steps + 1):
        frame = Image.new("RGB", (width, height), (250, 250, 247))
        draw = ImageDraw.Draw(frame)
        for y in range(40, height - 30, 40):
            draw.line((40, y, width - 20, y), fill=(225, 228, 232))
        draw.line((40, height - 30, width - 20, height - 30), fill=(120, 120, 120), width=2)
        draw.line((40, 20, 40, height - 30), fill=(120, 120, 120), width=2)
        shown = readings[: 2 * step + 1]
        points = [
            (40 + index * (width - 60) / 24, height - 30 - (value - 2) * 9)
            for index, value in enumerate(shown)
        ]
        draw.line(points, fill=(37, 99, 201), width=3)
        x, y = points[-1]
        draw.ellipse((x - 5, y - 5, x + 5, y + 5), fill=(200, 50, 40))
        frames.append(frame)
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=250, loop=0)
    return out.getvalue()


PICTURES: dict[str, tuple[str, Callable[[], bytes]]] = {
    # key used in the demo text as ``attachment:<key>`` -> (file name, drawing)
    "fog": ("river-fog-6am.jpg", _fog),
    "tomato_leaves": ("IMG_2231.jpg", _tomato_leaves),
    "workbench": ("bench-2026.jpg", _workbench),
    "night_sky": ("orion-30s-iso1600.jpg", _night_sky),
    "sensor_chart": ("greenhouse-temps.gif", _sensor_chart),
}


def picture(key: str) -> tuple[bytes, str]:
    """The bytes and file name of the demo picture ``key``."""
    filename, draw = PICTURES[key]
    return draw(), filename


def avatar(username: str) -> bytes:
    """A simple abstract portrait for a demo member, the same for the same name."""
    rng = random.Random(username)  # noqa: S311
    size = 400
    hue = [rng.randint(40, 220) for _ in range(3)]
    image = _gradient((size, size), tuple(hue), tuple(max(0, c - 80) for c in hue))
    draw = ImageDraw.Draw(image)
    for _ in range(5):
        x, y, radius = rng.randint(0, size), rng.randint(0, size), rng.randint(40, 140)
        colour = tuple(min(255, c + rng.randint(20, 90)) for c in hue)
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=colour)
    draw.ellipse((140, 90, 260, 210), fill=(245, 222, 200))  # a head
    draw.ellipse((90, 230, 310, 470), fill=(40, 44, 52))  # shoulders
    return _jpeg(image.filter(ImageFilter.SMOOTH_MORE))
