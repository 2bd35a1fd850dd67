"""The demo library that `make run` loads (this is the one test that uses it)."""

import zoneinfo
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from assessments.models import Answer, Assessment, Group
from assessments.results import compare, previous_of, results_of
from communities.models import Community, State
from curation.models import Collection, CollectionEvent, CollectionItem
from curation.models import Visibility as Shown
from demo.load import DEMO_ACCOUNTS, DEMO_PASSWORD
from framework.models import Practice, Stream
from lessons.models import Kind, Lesson, Theme
from spaces.models import (
    Resource,
    Session,
    Space,
    SpaceJoinRequest,
    SpaceMember,
    SpaceRole,
)
from stories.models import (
    Status,
    Story,
    StoryEvent,
    StoryImage,
    StoryRevision,
    Visibility,
)

User = get_user_model()

pytestmark = pytest.mark.django_db
# logins go through django-axes, which needs the request they come with
REQUEST = RequestFactory().post("/accounts/login/")

FACTS = [
    "graphic recorder",
    "priority areas",
    "Parent Cafe in a box",
    "action teams",
    "self-assessment",
    "communities of practice",
    "London",
    "local learning and employment network",
]


@pytest.fixture
def demo():
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "Demo loaded" in out.getvalue()


def test_demo_covers_the_library(demo):
    published = Story.objects.published()
    public = published.filter(visibility=Visibility.PUBLIC)
    assert published.count() >= 15
    assert public.count() >= 15
    primaries = set(
        public.filter(story_streams__is_primary=True).values_list(
            "story_streams__stream__slug", flat=True
        )
    )
    assert primaries == set(Stream.objects.values_list("slug", flat=True))
    communities = Community.objects.filter(stories__in=public).distinct()
    assert communities.count() >= 5
    states = set(communities.values_list("state", flat=True))
    assert State.OUTSIDE in states
    assert len(states - {State.OUTSIDE}) >= 4
    assert published.filter(visibility=Visibility.COLLECTIVE).exists()
    for story in public:
        assert story.tags.exists(), story
        assert story.has_reflections, story
        assert story.images.filter(is_cover=True).exists(), story
        assert story.is_demo and story.community.is_demo
    assert StoryImage.objects.filter(alt_text="").count() == 0
    text = " ".join(f"{s.title} {s.summary} {s.body}" for s in published).lower()
    for fact in FACTS:
        assert fact.lower() in text, fact


def test_demo_has_stories_in_every_state_with_their_history(demo, client):
    statuses = set(Story.objects.values_list("status", flat=True))
    assert statuses == set(Status.values)
    assert Story.objects.filter(status=Status.APPROVED).exclude(publish_at=None)
    client.force_login(authenticate(REQUEST, username="core", password=DEMO_PASSWORD))
    for story in Story.objects.all():
        assert story.revisions.count() == 1, story
        if story.status != Status.DRAFT:
            last = story.events.last()
            assert last.to_status == story.status, story
        response = client.get(story.get_review_url())
        assert response.status_code == 200, story
    asked = Story.objects.get(status=Status.CHANGES_REQUESTED)
    assert asked.events.last().note  # the note shows on the member's /me/
    member = authenticate(REQUEST, username="member", password=DEMO_PASSWORD)
    client.force_login(member)
    html = client.get("/me/").content.decode()
    assert "Changes requested" in html and "Waiting for your sign-off" in html


def test_demo_images_are_real_jpegs(demo):
    image = StoryImage.objects.first()
    with image.image.open("rb") as handle:
        assert handle.read(3) == b"\xff\xd8\xff"
    assert (image.width, image.height) == (1200, 675)


def test_demo_accounts_log_in_with_their_roles(demo):
    for username in DEMO_ACCOUNTS:
        user = authenticate(REQUEST, username=username, password=DEMO_PASSWORD)
        assert user is not None and user.is_approved, username
    core = authenticate(REQUEST, username="core", password=DEMO_PASSWORD)
    assert core.is_staff and core.groups.filter(name="Core team").exists()
    member = authenticate(
        REQUEST, username="member@example.org", password=DEMO_PASSWORD
    )
    assert not member.is_staff and member.memberships.get().role == "member"
    lead = authenticate(REQUEST, username="lead", password=DEMO_PASSWORD)
    assert lead.memberships.get().role == "lead"
    assert lead.memberships.get().community == member.memberships.get().community
    funder = authenticate(REQUEST, username="funder", password=DEMO_PASSWORD)
    assert funder.is_collective_member and not funder.memberships.exists()


def test_loading_twice_changes_nothing(demo):
    def counts():
        return (Story.objects.count(), StoryImage.objects.count(),
                StoryEvent.objects.count(), StoryRevision.objects.count(),
                Theme.objects.count(), Lesson.objects.count(),
                Collection.objects.count(), CollectionItem.objects.count(),
                CollectionEvent.objects.count(), Assessment.objects.count(),
                Group.objects.count(), Answer.objects.count(),
                Lesson.objects.exclude(practice=None).count(),
                SpaceMember.objects.count(), SpaceJoinRequest.objects.count(),
                Session.objects.count(), Resource.objects.count(),
                User.objects.count())  # fmt: skip

    before = counts()
    token = Collection.objects.get(visibility=Shown.LINK).share_token
    call_command("load_demo", stdout=StringIO())
    assert counts() == before
    # a share link already handed out keeps working
    assert Collection.objects.get(visibility=Shown.LINK).share_token == token


def test_demo_has_themes_and_lessons_of_every_kind_and_stream(demo):
    assert Theme.objects.count() >= 5
    published = Lesson.objects.filter(story__status=Status.PUBLISHED)
    assert published.count() >= 20
    assert set(published.values_list("kind", flat=True)) == set(Kind.values)
    assert set(published.values_list("stream__slug", flat=True)) == set(
        Stream.objects.values_list("slug", flat=True)
    )
    for theme in Theme.objects.all():
        stories = published.filter(themes=theme).values("story").distinct()
        assert stories.count() >= 2, theme
    # a Collective-only story's lessons exist, for the visibility rule to hide
    assert published.filter(story__visibility=Visibility.COLLECTIVE).exists()


def test_demo_has_a_published_collection_of_each_visibility(demo, client):
    collections = {c.visibility: c for c in Collection.objects.published()}
    assert set(collections) == set(Shown.values)
    assert Collection.objects.count() == 3
    for collection in collections.values():
        stories = [item.story for item in collection.items.all()]
        assert len(stories) >= 4, collection
        assert all(story.status == Status.PUBLISHED for story in stories)
        assert all(item.note for item in collection.items.all()), collection
        added = collection.events.filter(action="added").count()
        assert added == len(stories), collection
    # the public and the link-only collections hold public stories only
    for visibility in [Shown.PUBLIC, Shown.LINK]:
        held = {item.story.visibility for item in collections[visibility].items.all()}
        assert held == {"public"}, visibility
    held = {i.story.visibility for i in collections[Shown.COLLECTIVE].items.all()}
    assert "collective" in held
    public = collections[Shown.PUBLIC]
    collective = collections[Shown.COLLECTIVE]
    shared = collections[Shown.LINK]
    assert client.get(public.get_absolute_url()).status_code == 200
    members_only = client.get(collective.get_absolute_url())  # says so, no more
    assert members_only.status_code == 403
    assert collective.title not in members_only.content.decode()
    assert client.get(shared.get_absolute_url()).status_code == 404
    response = client.get(shared.get_share_url())
    assert response.status_code == 200
    assert len(response.context["items"]) == shared.items.count()
    funder = authenticate(REQUEST, username="funder", password=DEMO_PASSWORD)
    client.force_login(funder)
    response = client.get(collective.get_absolute_url())
    assert response.status_code == 200
    assert len(response.context["items"]) == collective.items.count()
    history = [e.action for e in response.context["history"]]
    assert history.count("added") == collective.items.count()
    assert history.count("published") == 1


def login(client, username):
    user = authenticate(REQUEST, username=username, password=DEMO_PASSWORD)
    client.force_login(user)
    return user


def home_assessments():
    """The demo assessments of the community the demo lead leads."""
    lead = get_user_model().objects.get(username="lead")
    return Assessment.objects.filter(community=lead.memberships.get().community)


def test_demo_lead_has_two_closed_assessments_a_year_apart(demo):
    assessments = home_assessments()
    earlier, later = assessments.closed().order_by("held_on")
    assert assessments.count() == 3 and assessments.filter(status="open").count() == 1
    assert 350 <= (later.held_on - earlier.held_on).days <= 380
    assert not earlier.is_shared and later.is_shared  # both states show
    assert previous_of(later) == earlier
    practices = Practice.objects.filter(version=later.version)
    for assessment in [earlier, later]:
        answers = Answer.objects.filter(group__assessment=assessment)
        assert not answers.filter(level=None).exists(), assessment
        assert not answers.filter(evidence="").exists(), assessment
        answered = set(answers.values_list("practice", flat=True))
        assert answered == set(practices.values_list("pk", flat=True)), assessment
        assert assessment.closed_at.date() > assessment.held_on
    assert Answer.objects.filter(group__assessment=earlier).exclude(target_level=None)


def test_the_later_assessment_shows_a_year_of_change(demo):
    earlier, later = home_assessments().closed().order_by("held_on")
    results = results_of(later)
    changes = compare(results, results_of(earlier))
    assert len(changes) == len(results.practices)
    met = [change.target_met for change in changes if change.target_met is not None]
    assert True in met and False in met
    moved = [change.moved for change in changes]
    assert sum(m > 0 for m in moved) >= 3 and 0 in moved and min(moved) < 0
    assert results.gaps and results.strengths and results.disagreements
    # two groups took a stream and disagreed by two levels or more
    disagreed = results.disagreements[0]
    assert len({answer.group for answer in disagreed.answers}) == 2
    assert disagreed.spread >= 2


def test_the_open_assessment_is_at_work_in_groups(demo):
    assessment = home_assessments().get(status="open")
    groups = list(assessment.groups.all())
    assert {group.is_done for group in groups} == {True, False}
    member = get_user_model().objects.get(username="member")
    written = [group for group in groups if group.member == member]
    assert written and not written[0].is_done and written[0].saved_by == member
    assert any(group.name != "The whole table" for group in groups)
    results = results_of(assessment)
    levels = [practice.level for practice in results.practices.values()]
    assert None in levels and sum(level is not None for level in levels) >= 8
    assert not Answer.objects.filter(group__assessment=assessment, evidence="")


def test_demo_lessons_are_tied_to_practices_of_their_stream(demo):
    tied = Lesson.objects.exclude(practice=None).select_related("practice")
    assert 3 <= tied.count() <= 6
    for lesson in tied:
        assert lesson.practice.stream_id == lesson.stream_id, lesson


def test_the_demo_assessment_pages_answer_the_lead(demo, client):
    login(client, "lead")
    assessments = list(home_assessments())
    for assessment in assessments:
        for name in ["detail", "print", "csv"]:
            url = reverse(f"assessments:{name}", args=[assessment.pk])
            assert client.get(url).status_code == 200, url
    assert client.get(reverse("assessments:list")).status_code == 200
    opened = home_assessments().get(status="open")
    for group in opened.groups.all():
        assert client.get(group.get_absolute_url()).status_code == 200, group
    later = home_assessments().closed().order_by("held_on").last()
    tied = []
    for gap in results_of(later).gaps:
        url = reverse("assessments:gap", args=[later.pk, gap.practice.pk])
        response = client.get(url)
        assert response.status_code == 200, url
        if response.context["evidence"].tied:
            tied.append(gap)
            assert "tied to this practice" in response.content.decode()
    assert tied  # a gap the core team has tied lessons to


def test_the_demo_shares_the_later_assessment_only(demo, client):
    earlier, later = home_assessments().closed().order_by("held_on")
    login(client, "funder")
    assert client.get(later.get_absolute_url()).status_code == 200
    assert client.get(earlier.get_absolute_url()).status_code == 404
    login(client, "member")
    group = home_assessments().get(status="open").groups.get(member__username="member")
    assert client.get(group.get_absolute_url()).status_code == 200


@override_settings(P2S_DEMO_ALLOWED=False)
def test_demo_never_loads_in_production():
    with pytest.raises(CommandError):
        call_command("load_demo", stdout=StringIO())
    assert Story.objects.count() == 0


def test_production_settings_do_not_allow_the_demo():
    import os
    import subprocess
    import sys

    from django.conf import settings

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "p2s.settings.production",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "load_demo"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "not allowed" in result.stderr


def test_the_collectives_three_communities_of_practice(demo):
    """The lead facilitates two spaces and sees the member's request to join
    one; the member belongs to another."""
    assert list(Space.objects.values_list("name", flat=True)) == [
        "Communications and engagement",
        "Funding and policy advocacy",
        "Strategic learning and evaluation",
    ]
    lead, member = (
        User.objects.get(username="lead"),
        User.objects.get(username="member"),
    )
    facilitated = Space.objects.filter(
        members__user=lead, members__role=SpaceRole.FACILITATOR
    )
    assert facilitated.count() == 2
    client = Client()
    client.force_login(lead)
    learning = Space.objects.get(slug="strategic-learning-and-evaluation")
    html = client.get(learning.get_absolute_url()).content.decode()
    assert "Asking to join" in html and "Morgan (community member)" in html
    client.force_login(member)
    mine = client.get("/practice/").context["mine"]
    assert [space.slug for space in mine] == ["communications-and-engagement"]
    # the other people of the spaces can't sign in
    assert not User.objects.get(username="demo-rowan").has_usable_password()


def test_each_space_has_sessions_held_and_coming(demo):
    """Every space has a session held, with its notes, and one coming, with
    its agenda and video link; the member reads the Communications one in
    their own community's time."""
    now = timezone.now()
    for space in Space.objects.all():
        held = space.sessions.filter(starts_at__lt=now)
        coming = space.sessions.filter(starts_at__gt=now)
        assert held.exclude(notes="").exists(), space
        assert coming.exclude(agenda="").exclude(video_link="").exists(), space
    member = User.objects.get(username="member")
    session = Session.objects.get(title="Consent, photos and children: what we check")
    client = Client()
    client.force_login(member)
    response = client.get(session.get_absolute_url())
    assert response.status_code == 200
    shown = session.starts_at.astimezone(zoneinfo.ZoneInfo(member.shown_time_zone))
    assert f"{shown.hour % 12 or 12}:{shown:%M}" in response.content.decode()
    # the lead is not in that space: its sessions are not theirs to see
    client.force_login(User.objects.get(username="lead"))
    assert client.get(session.get_absolute_url()).status_code == 404


def test_each_space_shares_resources_and_a_file_reaches_only_its_members(demo):
    for space in Space.objects.all():
        assert space.resources.exists(), space
    measures = Resource.objects.get(title="Measures we kept")
    assert (measures.kind, measures.filename) == ("csv", "measures-we-kept.csv")
    url = f"/practice/{measures.space.slug}/resources/{measures.pk}/file/"
    client = Client()
    client.force_login(User.objects.get(username="lead"))  # facilitates it
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"measure,kept since")
    client.force_login(User.objects.get(username="member"))  # not in it
    assert client.get(url).status_code == 404
