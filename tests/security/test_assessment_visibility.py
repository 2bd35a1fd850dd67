"""An assessment belongs to its community: its members and the core team see
it; the whole Collective only once the community shares it (closed); a
visitor or a pending account never. Every page of it is checked for every
kind of viewer, and the library's public surfaces for any trace of it.

A unique MARKER is in the assessment's title, participants, group name and
evidence, so "absent" can't pass by coincidence; the positive cells (a
member, the lead, the core team) prove the probes see it when it is there."""

import pytest
from django.test import Client
from django.urls import reverse

from assessments import services
from framework.models import Stream
from tests.factories import (
    make_assessment,
    make_community,
    make_core,
    make_member,
    make_story,
    make_user,
)

pytestmark = pytest.mark.django_db

MARKER = "Zq4Mirelune"
VIEWERS = ["anonymous", "pending", "outsider", "funder", "member", "lead", "core"]
OWN = {"member", "lead", "core"}  # see every assessment of the community


def world():
    community = make_community(name="Saltbush Shire", state="SA")
    lead = make_member(community, role="lead")
    people = {
        "lead": lead,
        "member": make_member(community),
        "pending": make_member(community, approved=False),
        "outsider": make_member(make_community(name="Far Away", state="WA")),
        "funder": make_user(approved=True),
        "core": make_core(),
    }
    assessments = {}
    for kind in ("open", "closed", "shared"):
        assessment = make_assessment(
            community,
            lead=lead,
            title=f"{MARKER} {kind} assessment",
            levels=None if kind == "open" else 1,
            evidence=f"{MARKER} evidence",
            close=kind != "open",
            shared=kind == "shared",
        )
        if kind == "open":
            services.group_add(
                assessment=assessment,
                actor=lead,
                stream=Stream.objects.get(slug="plan"),
                name=f"{MARKER} table",
            )
        assessment.participants = f"{MARKER} people"
        assessment.save(update_fields=["participants"])
        assessments[kind] = assessment
    make_story(community=community, streams=["plan"])  # the gap pages' evidence
    return people, assessments


def pages(assessment):
    group = assessment.groups.first()
    practice = assessment.version.practices.first()
    pk = assessment.pk
    return [
        reverse("assessments:detail", args=[pk]),
        reverse("assessments:print", args=[pk]),
        reverse("assessments:csv", args=[pk]),
        reverse("assessments:group", args=[pk, group.pk]),
        reverse("assessments:gap", args=[pk, practice.pk]),
    ]


def sees(viewer, kind):
    if viewer in OWN:
        return True
    return kind == "shared" and viewer in ("outsider", "funder")


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.mark.parametrize("viewer", VIEWERS)
def test_every_page_of_an_assessment_for_every_viewer(viewer):
    people, assessments = world()
    client = Client()
    if viewer != "anonymous":
        client.force_login(people[viewer])
    failures = []
    for kind, assessment in assessments.items():
        for url in pages(assessment):
            response = client.get(url)
            if sees(viewer, kind):
                if response.status_code != 200 or MARKER not in body(response):
                    failures.append(f"{kind} {url}: {response.status_code}, not shown")
                cache = response.get("Cache-Control", "")
                if "no-store" not in cache or "private" not in cache:
                    failures.append(f"{kind} {url}: kept by caches ({cache})")
            elif viewer == "anonymous":
                if (
                    response.status_code != 302
                    or "/accounts/login/" not in response["Location"]
                ):
                    failures.append(f"{kind} {url}: {response.status_code}")
            elif response.status_code != 404 or MARKER in body(response):
                failures.append(f"{kind} {url}: {response.status_code}, leaks")
        listed = client.get(reverse("assessments:list"))
        shown = listed.status_code == 200 and assessment.title in body(listed)
        if shown != sees(viewer, kind):
            failures.append(f"{kind} in the list: {shown}")
    assert not failures, "\n".join(failures)


PUBLIC_SURFACES = [
    "/",
    "/stories/",
    "/stories/?q=" + MARKER,
    "/communities/",
    "/themes/",
    "/collections/",
    "/synthesis/",
    "/me/",
    "/feeds/stories/",
    "/feeds/streams/plan/",
    "/sitemap.xml",
    "/sitemap-stories.xml",
    "/robots.txt",
]


@pytest.mark.parametrize("viewer", ["anonymous", "funder", "outsider", "core"])
def test_no_other_page_feed_sitemap_or_count_carries_an_assessment(viewer):
    people, assessments = world()
    client = Client()
    if viewer != "anonymous":
        client.force_login(people[viewer])
    community = assessments["open"].community
    urls = [*PUBLIC_SURFACES, community.get_absolute_url()]
    leaks = []
    for url in urls:
        response = client.get(url)
        text = body(response)
        for echo in (f"Search: {MARKER}", f'value="{MARKER}"', f"“{MARKER}”"):
            text = text.replace(echo, "")  # the search says what was asked
        if response.status_code == 200 and MARKER.lower() in text.lower():
            leaks.append(url)
    assert not leaks


def test_a_pending_member_of_the_community_sees_no_assessment_and_no_link():
    people, assessments = world()
    client = Client()
    client.force_login(people["pending"])
    page = body(client.get(reverse("assessments:list")))
    assert MARKER not in page
    assert "Self-assessment" not in body(client.get("/"))


def test_the_national_picture_is_the_core_team_s_and_names_only_who_shared():
    people, assessments = world()
    quiet = make_community(name="Quiet Creek", state="SA")
    make_assessment(quiet, levels=1, close=True)
    client = Client()
    for viewer in ("member", "lead", "funder", "outsider"):
        client.force_login(people[viewer])
        assert client.get(reverse("assessments:national")).status_code == 403
    client.logout()
    assert client.get(reverse("assessments:national")).status_code == 302
    client.force_login(people["core"])
    page = body(client.get(reverse("assessments:national")))
    assert "Saltbush Shire" in page  # shared its latest closed assessment
    assert "Quiet Creek" not in page  # counted, never named
    assert "2 of 2" in page and "2 communities" in page
