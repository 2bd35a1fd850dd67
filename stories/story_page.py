"""What a story's page gives its reader beyond the story itself: the
community's sign-off from the audit trail, and the ways to pass the story on
(plain links to the networks a communications team uses, with no script of
theirs on our pages and nothing that tracks the reader; an email; a
citation). Built from the story and its absolute address alone, so every
reader of a visibility class is given the same."""

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.db.models import OuterRef, Subquery
from django.utils import formats, timezone

from stories.feeds import SITE_NAME
from stories.models import StoryEvent, Visibility


def signed_off_at():
    """When the community signed a story off, from its audit trail (the
    latest sign-off, should there be more than one; None without one): an
    annotation, so the "signed off by … on …" mark is read with the story."""
    events = StoryEvent.objects.filter(story=OuterRef("pk"), action="sign_off")
    return Subquery(events.order_by("-created_at", "-pk").values("created_at")[:1])


@dataclass(frozen=True)
class ShareLink:
    network: str
    href: str


def share_links(story, address):
    """How to share `story`, whose page is at `address`: by email always; on
    the social networks only when it is public (a Collective-only story's
    link opens for signed-in members alone, so it isn't offered there)."""
    email = "mailto:?" + urlencode(
        {"subject": story.title, "body": f"{story.summary}\n\n{address}"},
        quote_via=quote,
    )
    links = [ShareLink("Email", email)]
    if story.visibility != Visibility.PUBLIC:
        return links
    return links + [
        ShareLink(
            "LinkedIn",
            _link("https://www.linkedin.com/sharing/share-offsite/", url=address),
        ),
        ShareLink(
            "Facebook", _link("https://www.facebook.com/sharer/sharer.php", u=address)
        ),
        ShareLink(
            "X (Twitter)",
            _link("https://twitter.com/intent/tweet", text=story.title, url=address),
        ),
        ShareLink(
            "Bluesky",
            _link("https://bsky.app/intent/compose", text=f"{story.title} {address}"),
        ),
    ]


def _link(base, **query):
    return f"{base}?{urlencode(query, quote_via=quote)}"


def citation(story, address, accessed):
    """A plain citation: community (year published). Title. Site. Published
    on; address (accessed on). `accessed` is today's date."""
    published = story.published_at and timezone.localtime(story.published_at)
    year = published.year if published else "n.d."
    parts = [
        f"{story.community.name} ({year}). {story.title}. {SITE_NAME}.",
        f"Published {_day(published)}." if published else "",
        f"{address} (accessed {_day(accessed)}).",
    ]
    return " ".join(part for part in parts if part)


def _day(moment):
    """3 March 2025: the day first, the month in words, as the pages show it."""
    return formats.date_format(moment, "j F Y")
