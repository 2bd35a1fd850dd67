"""What the synthesis tests share: a small library whose every number is
known, and readers of the page's tables and the CSV."""

import csv
import io
from html.parser import HTMLParser

import pytest

from communities.models import State
from lessons.models import Condition, Kind
from stories.models import Status, Visibility
from tests.factories import make_community, make_lesson, make_story, make_theme


class _Tables(HTMLParser):
    """Every <table> on a page as {caption: [[cell text, ...], ...]}."""

    def __init__(self):
        super().__init__()
        self.tables, self._rows, self._cell, self._caption = {}, None, None, None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._rows, self._caption = [], ""
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("td", "th", "caption") and self._rows is not None:
            self._cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._rows[-1].append(self._cell.strip())
            self._cell = None
        elif tag == "caption":
            self._caption, self._cell = self._cell.strip(), None
        elif tag == "table":
            self.tables[self._caption] = self._rows
            self._rows = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data


def tables(response):
    assert response.status_code == 200
    parser = _Tables()
    parser.feed(response.content.decode())
    return parser.tables


def table_dict(rows):
    """Body rows keyed by their first cell, header row dropped."""
    return {row[0]: row[1:] for row in rows[1:]}


def csv_rows(response):
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(content)))


@pytest.fixture
def library():
    """Readable: a public NSW story (2023) and a Collective-only WA story (2024).
    Hidden: a draft, a submitted and an archived story, with lessons too."""
    nsw = make_community(name="Harbour Hills", state=State.NSW)
    wa = make_community(name="Pilbara Partners", state=State.WA)
    trust = make_theme(name="Trust takes time")
    data = make_theme(name="Shared data")
    make_theme(name="Quiet theme")
    public = make_story(title="Public story", community=nsw, year=2023)
    collective = make_story(
        title="Collective story",
        community=wa,
        year=2024,
        visibility=Visibility.COLLECTIVE,
        streams=("learn",),
    )
    make_lesson(public, themes=[trust, data], condition=Condition.COMMON_AGENDA)
    make_lesson(public, kind=Kind.DOESNT_WORK, themes=[trust])
    make_lesson(public, stream="learn", kind=Kind.ENABLING)
    make_lesson(collective, stream="learn", themes=[trust])
    for status in (Status.DRAFT, Status.SUBMITTED, Status.ARCHIVED):
        hidden = make_story(
            title=f"Hidden {status}", community=wa, year=2020, status=status
        )
        make_lesson(hidden, themes=[trust, data], statement=f"Secret {status}")
        make_lesson(hidden, stream="learn", kind=Kind.ENABLING, themes=[data])
    return {"public": public, "collective": collective, "trust": trust}
