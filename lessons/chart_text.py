"""Text in the synthesis charts: how wide a label is drawn, and labels wrapped
onto lines that fit the room they have, so no label is ever cut short.

The server can't measure text, so widths are estimated from the advance widths
of DejaVu Sans, the widest of the common sans-serif faces a reader's
`system-ui` may be (Segoe UI, San Francisco, Roboto and Helvetica are all
narrower): an estimate that errs on the side of room to spare."""

import math
from dataclasses import dataclass

SIZE = 13  # the charts' label size in px (static/css/site.css: .chart__label)
LINE = 15  # the distance between two lines of a wrapped label
BOLD = 1.15  # bold glyphs are this much wider
# advance widths in ems; anything not listed counts as DEFAULT_EM
_EMS = {
    **dict.fromkeys(" ", 0.32),
    **dict.fromkeys("iljI.,:;'!|`", 0.28),
    **dict.fromkeys("frt()[]-", 0.41),
    **dict.fromkeys("csz", 0.55),
    **dict.fromkeys("mMW", 1.0),
    **dict.fromkeys("w", 0.82),
    **dict.fromkeys("ABCDEFGHJKLNOPQRSTUVXYZ&", 0.79),
    **dict.fromkeys("0123456789", 0.64),
    **dict.fromkeys("…", 1.0),
}
DEFAULT_EM = 0.64


def text_width(text, *, size=SIZE, bold=False):
    """How wide `text` is drawn at `size` px, at most."""
    ems = sum(_EMS.get(char, DEFAULT_EM) for char in str(text))
    return ems * size * (BOLD if bold else 1)


def wrap(text, room, *, size=SIZE, bold=False):
    """`text` as lines each at most `room` px wide, broken between words (a
    word wider than the room alone is broken inside it)."""
    lines, line = [], ""
    for word in str(text).split():
        joined = f"{line} {word}" if line else word
        if text_width(joined, size=size, bold=bold) <= room:
            line = joined
            continue
        if line:
            lines.append(line)
        line = ""
        for char in word:
            if line and text_width(line + char, size=size, bold=bold) > room:
                lines.append(line)
                line = ""
            line += char
    if line or not lines:
        lines.append(line)
    return lines


@dataclass(frozen=True)
class Line:
    """One line of a label: its text and how far below the previous line (or
    above the label's middle, for the first) it is drawn."""

    text: str
    dy: float


def label_lines(text, room, *, size=SIZE, line=LINE, bold=False):
    """The lines of `text` wrapped to `room`, centred on the label's y."""
    lines = wrap(text, room, size=size, bold=bold)
    first = -(len(lines) - 1) * line / 2
    return [
        Line(text, round(first if index == 0 else line, 2))
        for index, text in enumerate(lines)
    ]


def label_room(labels, *, least, most, pad=14, size=SIZE):
    """Room for a column of `labels`: the widest label's width (and `pad`),
    at least `least` and at most `most` (longer labels then wrap)."""
    widest = max((text_width(label, size=size) for label in labels), default=0)
    return math.ceil(min(most, max(least, widest + pad)))
