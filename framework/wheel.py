"""Geometry of the Pathway to Scale wheel: the five streams on the home
page, and an assessment's standing in each stream (a segment filled from the
centre outwards as far as the stream stands)."""

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


@dataclass(frozen=True)
class StandingSegment:
    stream: object
    value: float | None  # None: not answered
    ring: str  # the whole segment, drawn faint
    filled: str  # as far out as the stream stands ("" when it has no standing)
    label_x: float
    label_y: float


def _point(radius, degrees):
    radians = math.radians(degrees - 90)  # 0 degrees points up
    return (
        round(CENTRE + radius * math.cos(radians), 2),
        round(CENTRE + radius * math.sin(radians), 2),
    )


def _ring_path(start, end, inner, outer):
    large = 1 if end - start > 180 else 0
    ox1, oy1 = _point(outer, start)
    ox2, oy2 = _point(outer, end)
    ix2, iy2 = _point(inner, end)
    ix1, iy1 = _point(inner, start)
    return (
        f"M{ox1} {oy1} A{outer} {outer} 0 {large} 1 {ox2} {oy2} "
        f"L{ix2} {iy2} A{inner} {inner} 0 {large} 0 {ix1} {iy1} Z"
    )


def _sweeps(count):
    """(start, end) in degrees of each of `count` segments, clockwise from
    the top, with a small gap between them."""
    sweep = 360 / count
    return [
        (index * sweep + GAP_DEGREES / 2, (index + 1) * sweep - GAP_DEGREES / 2)
        for index in range(count)
    ]


def wheel_segments(streams):
    """One ring segment per stream, clockwise from the top, in stream order."""
    streams = list(streams)
    if not streams:
        return []
    segments = []
    for stream, (start, end) in zip(streams, _sweeps(len(streams)), strict=True):
        label_x, label_y = _point((OUTER + INNER) / 2, (start + end) / 2)
        segments.append(
            Segment(stream, _ring_path(start, end, INNER, OUTER), label_x, label_y)
        )
    return segments


def standing_segments(standings, top=4):
    """For [(stream, value from 1 to `top`, or None)]: each stream's segment,
    filled from the inner ring outwards in proportion to its value."""
    if not standings:
        return []
    segments = []
    for (stream, value), (start, end) in zip(
        standings, _sweeps(len(standings)), strict=True
    ):
        filled = ""
        if value is not None:
            radius = INNER + (OUTER - INNER) * min(value, top) / top
            filled = _ring_path(start, end, INNER, round(radius, 2))
        label_x, label_y = _point((OUTER + INNER) / 2, (start + end) / 2)
        segments.append(
            StandingSegment(
                stream,
                value,
                _ring_path(start, end, INNER, OUTER),
                filled,
                label_x,
                label_y,
            )
        )
    return segments
