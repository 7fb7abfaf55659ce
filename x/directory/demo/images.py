"""Placeholder images drawn with Pillow, so the demo city needs no downloads."""

import io
from pathlib import Path

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.images.models import Image

from core.text import german_slugify


def _hex(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))


def _gradient(size, start, end):
    width, height = size
    image = PILImage.new("RGB", size, start)
    draw = ImageDraw.Draw(image)
    (r1, g1, b1), (r2, g2, b2) = _hex(start), _hex(end)
    for x in range(width):
        t = x / max(width - 1, 1)
        draw.line(
            [(x, 0), (x, height)],
            fill=(round(r1 + (r2 - r1) * t), round(g1 + (g2 - g1) * t), round(b1 + (b2 - b1) * t)),
        )
    return image, draw


# Pillow's built-in font lacks accented letters ("Café"); prefer DejaVu where it is installed.
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


def _font(size: int):
    if DEJAVU.exists():
        return ImageFont.truetype(str(DEJAVU), size)
    return ImageFont.load_default(size=size)


def _centered_text(draw, size, text, font_size):
    font = _font(font_size)
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    x = (size[0] - (right - left)) / 2 - left
    y = (size[1] - (bottom - top)) / 2 - top
    draw.text((x + 3, y + 3), text, font=font, fill=(0, 0, 0, 90))
    draw.text((x, y), text, font=font, fill=(255, 255, 255))


def initials(name: str) -> str:
    words = [w for w in name.replace("&", " ").split() if w[0].isalnum()]
    return "".join(w[0] for w in words[:2]).upper()


def placeholder(title: str, colours: tuple[str, str], text: str = "", size=(1200, 600)) -> Image:
    """The wagtail Image with this title, drawn once and reused on later runs."""
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    picture, draw = _gradient(size, *colours)
    if text:
        font_size = max(24, min(size[1] // 3, int(size[0] * 1.4 / max(len(text), 1))))
        _centered_text(draw, size, text, font_size)
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=82)
    filename = f"{german_slugify(title)[:80]}.jpg"
    image = Image(title=title)
    image.file = ImageFile(buffer, name=filename)
    image.save()
    return image


def hero_placeholder(category: str, colours: tuple[str, str]) -> Image:
    """A merchant's demo title picture: the category's colours and nothing written on it. The
    page sets the merchant's name as text under it; a name drawn into the picture was cropped
    at both edges wherever the picture is cut to another shape (phones, cards, share previews)."""
    return placeholder(f"Titelbild {category}", colours)
