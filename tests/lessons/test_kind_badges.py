"""A lesson's kind badge (static/css/site.css, `.kind--…`) outside the
synthesis: grey and white like the synthesis's kinds, so it is never taken
for a stream (the streams' hues are site.css's `--<stream>` variables and
each stream's own colour), told apart by its glyph and its border, and its
text reads at WCAG AA."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from framework.models import Stream
from lessons.chart_colours import PALETTE, contrast_ratio
from lessons.models import Kind
from tests.factories import ensure_streams

pytestmark = pytest.mark.django_db

CSS = (Path(settings.BASE_DIR) / "static" / "css" / "site.css").read_text()
RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
HEX = re.compile(r"#[0-9a-fA-F]{6}\b")
# `.kind` and `.kind--works` (and their ::before), not `.kind-patterns`
KIND_SELECTOR = re.compile(r"\.kind(?![\w-])|\.kind--")
MEDIA = re.compile(r"@media[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}")


def rules(selector_pattern):
    """{selector: declarations} of every rule on screen (outside @media
    blocks: print's own are black on white) whose selector matches."""
    screen = MEDIA.sub("", re.sub(r"/\*.*?\*/", "", CSS, flags=re.S))
    found = {}
    for selector, body in RULE.findall(screen):
        if selector_pattern.search(selector := selector.strip()):
            found[selector] = body.strip()
    return found


def variables():
    root = rules(re.compile(r"^:root$"))[":root"]
    return dict(re.findall(r"--([\w-]+):\s*([^;]+);", root))


def resolved(value):
    """A declared colour with its `var(--x)` replaced by the variable's value."""
    names = variables()
    return re.sub(r"var\(--([\w-]+)\)", lambda m: names[m[1]], value).strip()


def declaration(body, name):
    """The value that wins: the last one declared (the ones before it are
    fallbacks for older browsers)."""
    values = re.findall(rf"(?:^|;)\s*{name}:\s*([^;]+)", body)
    return values[-1].strip() if values else None


def chroma(colour):
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return max(red, green, blue) - min(red, green, blue)  # 0 for a grey


def stream_colours():
    ensure_streams()
    slugs = list(Stream.objects.values_list("slug", flat=True))
    in_css = {variables()[slug].lower() for slug in slugs}
    in_database = {
        colour.lower() for colour in Stream.objects.values_list("colour", flat=True)
    }
    return slugs, in_css | in_database


def test_the_kind_badges_use_no_stream_colour_and_are_greys():
    slugs, colours = stream_colours()
    assert len(colours) >= 5
    assert {colour.lower() for colour in PALETTE} <= colours  # the synthesis's too
    kinds = rules(KIND_SELECTOR)
    assert {f".kind--{kind}::before" for kind in Kind.values} <= set(kinds)
    for selector, body in kinds.items():
        for slug in slugs:
            assert f"var(--{slug})" not in body, selector
        for colour in HEX.findall(resolved(body)):
            assert colour.lower() not in colours, (selector, colour)
            assert chroma(colour) < 0.12, (selector, colour)  # no hue at all


def test_each_kind_has_its_own_glyph_and_border_and_reads_at_aa():
    kinds = rules(KIND_SELECTOR)
    base = kinds[".kind"]
    text = resolved(declaration(base, "color"))
    glyphs, borders = set(), set()
    for kind in Kind.values:
        own = kinds.get(f".kind--{kind}", "")
        background = resolved(
            declaration(own, "background") or declaration(base, "background")
        )
        assert contrast_ratio(text, background) >= 4.5, kind
        border = declaration(own, "border-style") or "solid"
        borders.add(border)
        glyph = declaration(kinds[f".kind--{kind}::before"], "content")
        assert glyph and glyph.endswith('/ ""'), kind  # not read out: the name is
        glyphs.add(glyph)
    assert len(glyphs) == len(borders) == len(Kind.values)
    edge = resolved(re.search(r"border:\s*\S+\s+\S+\s+([^;]+)", base)[1])
    assert contrast_ratio(edge, resolved(declaration(base, "background"))) >= 3
