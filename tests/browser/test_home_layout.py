"""The home page's featured stories fill their rows edge to edge at every
width (no hole beside the last one), and the wheel says that a story can be
in several streams."""

import pytest
from playwright.sync_api import expect

from tests.factories import ensure_streams, make_community, make_story


@pytest.mark.parametrize("width", [1280, 900, 700, 375])
def test_the_featured_grid_has_no_hole(new_page, live_server, transactional_db, width):
    ensure_streams()
    community = make_community()
    for index in range(3):
        make_story(title=f"Featured {index}", is_featured=True, community=community)
    page = new_page({"width": width, "height": 900})
    page.goto("/")
    grid = page.locator(".card-grid--featured")
    expect(grid.locator("> li")).to_have_count(3)
    box = grid.bounding_box()
    rows = {}
    for item in grid.locator("> li").all():
        item_box = item.bounding_box()
        rows.setdefault(round(item_box["y"]), []).append(item_box)
    for items in rows.values():
        left = min(b["x"] for b in items)
        right = max(b["x"] + b["width"] for b in items)
        assert abs(left - box["x"]) < 2 and abs(right - (box["x"] + box["width"])) < 2


def test_the_wheel_says_a_story_can_be_in_several_streams(
    new_page, live_server, transactional_db
):
    ensure_streams()
    make_story(streams=["plan", "learn"])
    page = new_page()
    page.goto("/")
    expect(page.locator("#wheel-caption")).to_contain_text(
        "A story can be in several streams"
    )


@pytest.mark.parametrize("width", [1280, 900, 375])
def test_the_six_latest_stories_fill_whole_rows(
    new_page, live_server, transactional_db, width
):
    ensure_streams()
    community = make_community()
    for index in range(6):
        make_story(title=f"Latest {index}", community=community)
    page = new_page({"width": width, "height": 900})
    page.goto("/")
    items = page.locator(".card-grid--latest > li")
    expect(items).to_have_count(6)
    rows = {}
    for item in items.all():
        rows.setdefault(round(item.bounding_box()["y"]), []).append(item)
    per_row = {len(row) for row in rows.values()}
    assert len(per_row) == 1, f"rows of {sorted(len(r) for r in rows.values())}"
    assert 6 % per_row.pop() == 0
