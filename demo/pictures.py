"""The demo stories' illustrations, drawn with Pillow (so no outside image
is used): a flat picture of a motif in the story's stream colour."""

import io
import math
import random

from PIL import Image, ImageDraw

IMAGE_SIZE = (1200, 675)
PALETTE = ["#1d5a96", "#22703a", "#7a3587", "#a4461b", "#a3234f"]
BACKGROUND = "#f4efe6"
INK = "#2a2a2a"


def draw(motif, colour, *, seed):
    """A flat illustration of `motif` in the stream's colour, as JPEG bytes."""
    rng = random.Random(seed)
    image = Image.new("RGB", IMAGE_SIZE, BACKGROUND)
    canvas = ImageDraw.Draw(image)
    MOTIFS.get(motif, _gathering)(canvas, rng, colour)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82, optimize=True, progressive=True)
    return buffer.getvalue()


def _figure(canvas, x, y, scale, colour):
    head = 26 * scale
    canvas.ellipse([x - head, y - 3 * head, x + head, y - head], fill=colour)
    canvas.rounded_rectangle(
        [x - 1.6 * head, y - 0.8 * head, x + 1.6 * head, y + 2.6 * head],
        radius=int(head),
        fill=colour,
    )


def _gathering(canvas, rng, colour):
    cx, cy = 600, 380
    canvas.ellipse([cx - 170, cy - 90, cx + 170, cy + 90], fill="#c9b79c")
    count = 8
    for i in range(count):
        angle = 2 * math.pi * i / count
        x = cx + 330 * math.cos(angle)
        y = cy + 190 * math.sin(angle)
        _figure(canvas, x, y, 1.0, rng.choice(PALETTE + [colour]))


def _mural(canvas, rng, colour):
    canvas.rectangle([90, 70, 1110, 600], fill="#ffffff", outline=INK, width=6)
    for _ in range(7):
        x, y = rng.randint(130, 900), rng.randint(110, 470)
        canvas.rounded_rectangle(
            [x, y, x + rng.randint(110, 190), y + rng.randint(60, 100)],
            radius=14,
            outline=rng.choice(PALETTE),
            width=6,
        )
    for _ in range(6):
        x1, y1 = rng.randint(150, 1050), rng.randint(120, 560)
        x2, y2 = x1 + rng.randint(-200, 200), y1 + rng.randint(-120, 120)
        canvas.line([x1, y1, x2, y2], fill=INK, width=5)
        canvas.ellipse([x2 - 9, y2 - 9, x2 + 9, y2 + 9], fill=INK)
    canvas.ellipse([960, 110, 1060, 210], fill="#f2b134")  # sun
    canvas.polygon([(170, 540), (240, 470), (310, 540)], fill=colour)  # house roof
    canvas.rectangle([190, 540, 290, 590], fill=colour)
    canvas.ellipse([880, 470, 940, 530], fill="#c0392b")  # heart
    canvas.ellipse([930, 470, 990, 530], fill="#c0392b")
    canvas.polygon([(882, 510), (988, 510), (935, 580)], fill="#c0392b")


def _chart(canvas, rng, colour):
    canvas.line([140, 580, 1080, 580], fill=INK, width=6)
    canvas.line([140, 90, 140, 580], fill=INK, width=6)
    points = []
    height = 120
    for i in range(7):
        height = min(460, height + rng.randint(20, 70))
        x = 190 + i * 125
        canvas.rectangle([x, 580 - height, x + 80, 576], fill=colour)
        points.append((x + 40, 560 - height))
    canvas.line(points, fill="#f2b134", width=8, joint="curve")


def _network(canvas, rng, colour):
    nodes = [(rng.randint(120, 1080), rng.randint(100, 580)) for _ in range(11)]
    for i, (x1, y1) in enumerate(nodes):
        for x2, y2 in nodes[i + 1 : i + 3]:
            canvas.line([x1, y1, x2, y2], fill="#8a8f98", width=4)
    for x, y in nodes:
        canvas.ellipse([x - 22, y - 22, x + 22, y + 22], fill=rng.choice(PALETTE))
    x, y = nodes[0]
    canvas.ellipse([x - 34, y - 34, x + 34, y + 34], outline=colour, width=8)


def _cafe(canvas, rng, colour):
    canvas.rounded_rectangle([150, 380, 1050, 430], radius=12, fill="#8b5e3c")
    canvas.rectangle([260, 430, 290, 620], fill="#8b5e3c")
    canvas.rectangle([910, 430, 940, 620], fill="#8b5e3c")
    for x in (300, 460, 780):
        canvas.rounded_rectangle(
            [x, 290, x + 90, 380], radius=10, fill="#ffffff", outline=INK, width=5
        )
        canvas.arc([x + 70, 310, x + 120, 360], 270, 90, fill=INK, width=6)
    canvas.rectangle([560, 260, 740, 380], fill=colour)
    canvas.polygon([(560, 260), (600, 180), (780, 180), (740, 260)], fill="#d8c9a8")
    for i in range(3):
        canvas.rectangle(
            [585 + i * 45, 200 + i * 8, 625 + i * 45, 262],
            fill="#ffffff",
            outline=INK,
            width=3,
        )


def _steps(canvas, rng, colour):
    for i in range(6):
        x = 150 + i * 150
        top = 560 - (i + 1) * 70
        canvas.rectangle(
            [x, top, x + 150, 600], fill=PALETTE[i % len(PALETTE)] if i else colour
        )
    canvas.line([1040, 130, 1040, 40], fill=INK, width=8)
    canvas.polygon([(1044, 40), (1120, 62), (1044, 86)], fill="#f2b134")


def _wheel(canvas, rng, colour):
    box = [350, 90, 850, 590]
    for i, segment_colour in enumerate(PALETTE):
        canvas.pieslice(
            box, -90 + i * 72 + 1, -90 + (i + 1) * 72 - 1, fill=segment_colour
        )
    canvas.ellipse([500, 240, 700, 440], fill=BACKGROUND)


def _conversation(canvas, rng, colour):
    bubbles = [
        (160, 120, 620, 360, colour),
        (520, 230, 1040, 480, "#f2b134"),
        (260, 380, 700, 600, rng.choice(PALETTE)),
    ]
    for x1, y1, x2, y2, fill in bubbles:
        canvas.rounded_rectangle([x1, y1, x2, y2], radius=60, fill=fill)
        canvas.polygon(
            [(x1 + 80, y2 - 10), (x1 + 60, y2 + 50), (x1 + 150, y2 - 10)], fill=fill
        )
        for line in range(3):
            ly = y1 + 60 + line * 45
            if ly < y2 - 30:
                canvas.rounded_rectangle(
                    [x1 + 50, ly, x2 - 80 - line * 60, ly + 18],
                    radius=9,
                    fill="#ffffff",
                )


MOTIFS = {
    "gathering": _gathering,
    "mural": _mural,
    "chart": _chart,
    "network": _network,
    "cafe": _cafe,
    "steps": _steps,
    "wheel": _wheel,
    "conversation": _conversation,
}
