"""Pictures for the demo catalogue, drawn with Pillow at seed time (no downloaded stock photos).

Each product gets its own composition of its theme: a fan of photo prints, a canvas on a wall,
canal houses, a North Sea beach, an open photo book. The result goes through the same
``images.image_ingest`` as a staff upload, as PNG bytes.
"""

import io
import math
import random

from PIL import Image, ImageDraw, ImageFilter

SIZE = (1200, 900)


def _gradient(size, top, bottom) -> Image.Image:
    width, height = size
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / max(height - 1, 1)
        colour = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (width, y)], fill=colour)
    return image


def _landscape(size, *, seed: int, sky=((120, 170, 230), (250, 220, 180))) -> Image.Image:
    """A small photo: sky, sun, two rows of hills."""
    rng = random.Random(seed)  # noqa: S311 (a drawing, not a secret)
    width, height = size
    image = _gradient(size, *sky)
    draw = ImageDraw.Draw(image)
    sun_x, sun_r = rng.randint(width // 5, 4 * width // 5), height // 9
    draw.ellipse(
        [sun_x - sun_r, height // 4 - sun_r, sun_x + sun_r, height // 4 + sun_r],
        fill=(255, 236, 160),
    )
    for row, colour in enumerate(((96, 150, 90), (58, 110, 64))):
        base = height * (0.62 + 0.14 * row)
        points = [(0, height)]
        for x in range(0, width + 40, 40):
            points.append((x, base - 40 * math.sin(x / (90 + 30 * row) + rng.random() * 2)))
        points.append((width, height))
        draw.polygon(points, fill=colour)
    return image


def _shadowed(canvas: Image.Image, item: Image.Image, position, *, angle=0.0) -> None:
    rotated = item.convert("RGBA").rotate(angle, expand=True, resample=Image.Resampling.BICUBIC)
    shadow = Image.new("RGBA", rotated.size, (0, 0, 0, 0))
    shadow.putalpha(rotated.getchannel("A").point(lambda a: a * 0.35))
    shadow = shadow.filter(ImageFilter.GaussianBlur(12))
    x, y = position
    canvas.paste(shadow, (x + 14, y + 18), shadow)
    canvas.paste(rotated, (x, y), rotated)


def _bordered(photo: Image.Image, border: int, colour=(255, 255, 255)) -> Image.Image:
    framed = Image.new("RGB", (photo.width + 2 * border, photo.height + 2 * border), colour)
    framed.paste(photo, (border, border))
    return framed


def prints(seed: int) -> Image.Image:
    canvas = _gradient(SIZE, (236, 229, 218), (210, 198, 182)).convert("RGBA")
    for n, angle in enumerate((-14, -4, 7, 16)):
        photo = _landscape((420, 280), seed=seed + n)
        _shadowed(canvas, _bordered(photo, 18), (170 + n * 150, 210 + n * 40), angle=angle)
    return canvas


def paper(seed: int) -> Image.Image:
    canvas = _gradient(SIZE, (60, 72, 92), (28, 34, 46)).convert("RGBA")
    for n in range(6):
        sheet = _gradient((620, 440), (255, 255, 255), (226, 232, 240))
        ImageDraw.Draw(sheet).polygon([(0, 0), (260, 0), (0, 300)], fill=(248, 250, 255))
        _shadowed(canvas, sheet, (260 + n * 6, 170 + n * 22), angle=-3 + n)
    return canvas


def frame(seed: int) -> Image.Image:
    canvas = _gradient(SIZE, (242, 238, 230), (222, 214, 200))
    wood = Image.new("RGB", (560, 760), (168, 122, 74))
    draw = ImageDraw.Draw(wood)
    rng = random.Random(seed)  # noqa: S311 (a drawing, not a secret)
    for y in range(0, 760, 7):
        shade = rng.randint(-18, 18)
        draw.line([(0, y), (560, y + rng.randint(-6, 6))], fill=(168 + shade, 122 + shade, 74))
    wood.paste(Image.new("RGB", (440, 640), (250, 248, 244)), (60, 60))
    tulips = _gradient((360, 560), (150, 200, 240), (240, 248, 255))
    tdraw = ImageDraw.Draw(tulips)
    for n, colour in enumerate([(214, 40, 60), (250, 170, 30), (236, 92, 150)] * 4):
        x = 20 + n * 30
        tdraw.line([(x, 560), (x + 4, 360)], fill=(50, 120, 50), width=5)
        tdraw.ellipse([x - 12, 330 + (n % 3) * 12, x + 18, 372 + (n % 3) * 12], fill=colour)
    wood.paste(tulips, (100, 100))
    canvas = canvas.convert("RGBA")
    _shadowed(canvas, wood, (320, 70))
    return canvas


def canvas_print(seed: int) -> Image.Image:
    wall = _gradient(SIZE, (214, 222, 226), (190, 198, 204)).convert("RGBA")
    ImageDraw.Draw(wall).rectangle([0, 760, 1200, 900], fill=(150, 116, 84))
    picture = _landscape((760, 500), seed=seed, sky=((250, 140, 90), (255, 214, 150)))
    edge = Image.new("RGB", (780, 520), (70, 70, 70))
    edge.paste(picture, (10, 10))
    _shadowed(wall, edge, (210, 130))
    return wall


def canals(seed: int) -> Image.Image:
    rng = random.Random(seed)  # noqa: S311 (a drawing, not a secret)
    image = _gradient(SIZE, (170, 205, 235), (226, 236, 244))
    draw = ImageDraw.Draw(image)
    x = -20
    colours = [(122, 62, 44), (60, 52, 48), (150, 88, 60), (96, 40, 36), (200, 170, 130)]
    while x < 1220:
        width, top = rng.randint(110, 160), rng.randint(170, 300)
        colour = rng.choice(colours)
        draw.rectangle([x, top, x + width, 560], fill=colour)
        step = width // 6  # a stepped gable
        for n in range(3):
            draw.rectangle(
                [x + step * n, top - 30 * (n + 1), x + width - step * n, top], fill=colour
            )
        for row in range(4):
            for col in range(3):
                wx, wy = x + 16 + col * (width - 32) // 3, top + 20 + row * 62
                draw.rectangle([wx, wy, wx + 22, wy + 38], fill=(236, 232, 214))
        x += width + 4
    draw.rectangle([0, 560, 1200, 900], fill=(52, 88, 104))
    for y in range(580, 900, 18):  # ripples on the canal
        draw.line([(rng.randint(0, 300), y), (rng.randint(800, 1200), y)], fill=(92, 132, 150))
    return image


def beach(seed: int) -> Image.Image:
    image = _gradient(SIZE, (120, 180, 226), (236, 240, 236))
    draw = ImageDraw.Draw(image)
    draw.ellipse([860, 90, 980, 210], fill=(255, 240, 190))
    for n, colour in enumerate(((70, 120, 150), (96, 148, 170), (150, 196, 204))):
        draw.rectangle([0, 470 + n * 40, 1200, 520 + n * 40], fill=colour)
    draw.polygon([(0, 600), (1200, 560), (1200, 900), (0, 900)], fill=(232, 212, 170))
    draw.polygon([(0, 640), (260, 560), (520, 650), (0, 700)], fill=(196, 188, 120))
    draw.rectangle([700, 500, 860, 580], fill=(240, 240, 236))  # beach pavilion
    draw.polygon([(690, 500), (780, 450), (870, 500)], fill=(180, 60, 50))
    return image


def photobook(seed: int) -> Image.Image:
    canvas = _gradient(SIZE, (232, 226, 240), (200, 190, 214)).convert("RGBA")
    book = Image.new("RGB", (980, 600), (40, 60, 90))
    pages = Image.new("RGB", (940, 560), (252, 250, 246))
    ImageDraw.Draw(pages).line([(470, 0), (470, 560)], fill=(210, 204, 196), width=4)
    pages.paste(_landscape((380, 260), seed=seed), (50, 60))
    pages.paste(
        _landscape((380, 260), seed=seed + 7, sky=((40, 60, 120), (240, 140, 120))), (510, 60)
    )
    pages.paste(_landscape((180, 140), seed=seed + 3), (50, 360))
    pages.paste(_landscape((180, 140), seed=seed + 4), (250, 360))
    book.paste(pages, (20, 20))
    _shadowed(canvas, book, (110, 140), angle=-2)
    return canvas


def book(seed: int) -> Image.Image:
    canvas = _gradient(SIZE, (246, 236, 214), (224, 206, 176)).convert("RGBA")
    cover = _gradient((520, 720), (30, 110, 120), (16, 60, 70))
    draw = ImageDraw.Draw(cover)
    draw.rounded_rectangle([150, 260, 370, 420], radius=24, fill=(240, 240, 236))  # a camera
    draw.ellipse([205, 285, 315, 395], fill=(40, 40, 44))
    draw.ellipse([232, 312, 288, 368], fill=(90, 150, 200))
    draw.rectangle([80, 90, 440, 130], fill=(250, 200, 80))
    draw.rectangle([80, 150, 360, 175], fill=(230, 240, 240))
    draw.rectangle([80, 600, 300, 620], fill=(230, 240, 240))
    _shadowed(canvas, cover, (340, 80), angle=4)
    return canvas


def magazine(seed: int) -> Image.Image:
    canvas = _gradient(SIZE, (228, 232, 236), (200, 206, 214)).convert("RGBA")
    cover = _landscape((560, 760), seed=seed, sky=((60, 40, 110), (250, 120, 90)))
    draw = ImageDraw.Draw(cover)
    draw.rectangle([0, 0, 560, 120], fill=(184, 50, 31))
    draw.rectangle([30, 30, 380, 90], fill=(255, 255, 255))
    for n in range(3):
        draw.rectangle([30, 560 + n * 50, 300 - n * 40, 585 + n * 50], fill=(255, 255, 255))
    _shadowed(canvas, cover, (320, 60), angle=-3)
    return canvas


def business_cards(seed: int) -> Image.Image:
    canvas = _gradient(SIZE, (44, 44, 52), (20, 20, 26)).convert("RGBA")
    rng = random.Random(seed)  # noqa: S311 (a drawing, not a secret)
    for n in range(5):
        card = Image.new("RGB", (510, 300), (250, 250, 246))
        draw = ImageDraw.Draw(card)
        draw.ellipse([40, 40, 120, 120], fill=(184, 50, 31))
        draw.rectangle([150, 60, 420, 84], fill=(40, 40, 46))
        draw.rectangle([150, 100, 340, 114], fill=(140, 140, 150))
        for row in range(3):
            draw.rectangle(
                [40, 190 + row * 26, 260 + rng.randint(0, 120), 200 + row * 26],
                fill=(110, 110, 120),
            )
        _shadowed(canvas, card, (240 + n * 40, 170 + n * 70), angle=rng.uniform(-12, 12))
    return canvas


def greeting_cards(seed: int) -> Image.Image:
    canvas = _gradient(SIZE, (250, 236, 236), (236, 206, 210)).convert("RGBA")
    for n, angle in enumerate((-8, 6)):
        card = canals(seed + n).resize((420, 560))
        _shadowed(
            canvas, _bordered(card, 24, (255, 253, 248)), (200 + n * 380, 120 + n * 60), angle=angle
        )
    envelope = Image.new("RGB", (440, 300), (214, 190, 150))
    ImageDraw.Draw(envelope).polygon([(0, 0), (220, 170), (440, 0)], fill=(196, 170, 130))
    _shadowed(canvas, envelope, (90, 560), angle=-4)
    return canvas


def calendar(seed: int) -> Image.Image:
    canvas = _gradient(SIZE, (236, 240, 232), (210, 218, 204)).convert("RGBA")
    sheet = Image.new("RGB", (600, 820), (255, 255, 255))
    sheet.paste(_landscape((560, 380), seed=seed, sky=((250, 200, 120), (255, 240, 210))), (20, 20))
    draw = ImageDraw.Draw(sheet)
    for row in range(5):
        for col in range(7):
            x, y = 30 + col * 78, 430 + row * 74
            fill = (184, 50, 31) if (row, col) == (2, 3) else (226, 230, 222)
            draw.rectangle([x, y, x + 62, y + 58], fill=fill)
    _shadowed(canvas, sheet, (300, 30))
    return canvas


THEMES = {
    "prints": prints,
    "paper": paper,
    "frame": frame,
    "canvas": canvas_print,
    "canals": canals,
    "beach": beach,
    "photobook": photobook,
    "book": book,
    "magazine": magazine,
    "business_cards": business_cards,
    "greeting_cards": greeting_cards,
    "calendar": calendar,
}


def picture_png(theme: str, *, seed: int) -> io.BytesIO:
    """The theme's picture as a PNG file in memory, as an upload would arrive."""
    image = THEMES[theme](seed).convert("RGB")
    png = io.BytesIO()
    image.save(png, "PNG")
    png.seek(0)
    png.name = f"{theme}.png"
    return png
