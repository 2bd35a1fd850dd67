"""Geometry of the Pathway to Scale wheel drawn on the home page."""

import math
from dataclasses import dataclass

CENTRE = 200
OUTER = 190
INNER = 78
GAP_DEGREES = 1.5


@dataclass(frozen=True)
class Segment:
    stream: object
    path: str
    label_x: float
    label_y: float


def _point(radius, degrees):
    radians = math.radians(degrees - 90)  # 0 degrees points up
    return (
        round(CENTRE + radius * math.cos(radians), 2),
        round(CENTRE + radius * math.sin(radians), 2),
    )


def wheel_segments(streams):
    """One ring segment per stream, clockwise from the top, in stream order."""
    streams = list(streams)
    if not streams:
        return []
    sweep = 360 / len(streams)
    segments = []
    for index, stream in enumerate(streams):
        start = index * sweep + GAP_DEGREES / 2
        end = (index + 1) * sweep - GAP_DEGREES / 2
        large = 1 if end - start > 180 else 0
        ox1, oy1 = _point(OUTER, start)
        ox2, oy2 = _point(OUTER, end)
        ix2, iy2 = _point(INNER, end)
        ix1, iy1 = _point(INNER, start)
        path = (
            f"M{ox1} {oy1} A{OUTER} {OUTER} 0 {large} 1 {ox2} {oy2} "
            f"L{ix2} {iy2} A{INNER} {INNER} 0 {large} 0 {ix1} {iy1} Z"
        )
        label_x, label_y = _point((OUTER + INNER) / 2, (start + end) / 2)
        segments.append(Segment(stream, path, label_x, label_y))
    return segments
