"""The synthesis charts' colours, each checked against the page: marks reach
3:1 against the white background (WCAG 1.4.11) and text reaches 4.5:1 against
whatever it sits on (WCAG 1.4.3).

Two families that must never be mistaken for each other:
- the streams' hues (the site's stream palette, static/css/site.css), used to
  shade the streams-by-themes grid;
- the kinds of lesson, drawn in the site's greys, each with its own pattern
  (solid, stripes, dots), so a kind is told by its marks as well as its shade
  and no kind looks like a stream."""

import re
from dataclasses import dataclass

PAPER = "#ffffff"
INK = "#1b1f24"
INK_SOFT = "#4a5360"
BLACK = "#000000"
OUTLINE = "#6b7480"  # the form-field border: 4.8:1 on white
# The site's stream palette (static/css/site.css): every one is >= 4.5:1 on white.
PALETTE = ("#1d5a96", "#22703a", "#7a3587", "#a4461b", "#a3234f")
BAR = PALETTE[0]
BAR_CONTRAST = 3.0
TEXT_CONTRAST = 4.5
HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def _channel(value):
    value /= 255
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def luminance(colour):
    """Relative luminance of a #rrggbb colour (WCAG 2.2)."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(red) + 0.7152 * _channel(green) + 0.0722 * _channel(blue)


def contrast_ratio(first, second):
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def usable_colour(colour, fallback, *, against=PAPER, minimum=BAR_CONTRAST):
    """`colour` when it is a #rrggbb that stands out from `against`, else `fallback`."""
    if isinstance(colour, str) and HEX.match(colour):
        if contrast_ratio(colour, against) >= minimum:
            return colour.lower()
    return fallback


def text_on(*fills):
    """The ink, white or black: whichever reads best on every one of `fills`
    (a pattern's ground and marks); always >= 4.5:1 on a single fill."""

    def least(text):
        return min(contrast_ratio(text, fill) for fill in fills)

    return max((INK, PAPER, BLACK), key=least)


def mix(colour, share, base=PAPER):
    """`share` (0..1) of `colour` laid over `base`, as #rrggbb."""
    channels = []
    for i in (1, 3, 5):
        top, bottom = int(colour[i : i + 2], 16), int(base[i : i + 2], 16)
        channels.append(round(bottom + (top - bottom) * share))
    return "#" + "".join(f"{c:02x}" for c in channels)


@dataclass(frozen=True)
class Swatch:
    """How one series is painted: a ground colour and, unless solid, marks of
    a second colour over it in a pattern (an SVG <pattern> the page defines
    once, `pattern_id`)."""

    key: str
    ground: str
    marks: str = ""
    pattern: str = "solid"  # solid | stripes | dots

    @property
    def pattern_id(self):
        return f"swatch-{self.key}"

    @property
    def paint(self):
        """What an SVG `fill` says for it."""
        return self.ground if self.pattern == "solid" else f"url(#{self.pattern_id})"

    @property
    def colours(self):
        return (self.ground, self.marks) if self.marks else (self.ground,)

    @property
    def text(self):
        """The text colour that reads on both its ground and its marks."""
        return text_on(*self.colours)


# works: solid ink; doesn't work: ink stripes on slate; enabling: ink dots on
# grey. Every ground and mark is >= 4.5:1 on white, and white text reads on
# each (16:1, 7.6:1, 4.8:1), so a number can sit anywhere on a part.
KIND_SWATCHES = {
    "works": Swatch("works", INK),
    "doesnt_work": Swatch("doesnt_work", INK_SOFT, INK, "stripes"),
    "enabling": Swatch("enabling", OUTLINE, INK, "dots"),
}
