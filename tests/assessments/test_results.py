"""What an assessment's results say and show: the standing of each stream
(wheel and table), gaps, strengths, where the table disagreed, a year on,
a gap's evidence through the one read rule, the print view and the CSV,
each within its query budget."""

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from assessments import services
from assessments.evidence import evidence_for
from assessments.results import compare, previous_of, results_of
from framework.models import Stream
from framework.services import version_copy, version_publish
from lessons.models import Kind
from stories.models import Status, Visibility
from tests.assessments.conftest import login
from tests.factories import (
    make_assessment,
    make_community,
    make_lesson,
    make_story,
    make_theme,
)

pytestmark = pytest.mark.django_db

AGENDA, VOICE, ALIGNED = (
    "A shared agenda",
    "Community voice in setting priorities",
    "Partners and resources aligned",
)


def practice(assessment, name):
    return assessment.version.practices.get(name=name)


def second_group(assessment, actor, slug, levels, name="Table 2"):
    """Another group on a stream, every practice at `levels[name]` (or 3)."""
    group = services.group_add(
        assessment=assessment,
        actor=actor,
        stream=Stream.objects.get(slug=slug),
        name=name,
    )
    services.group_save(
        group=group,
        actor=actor,
        revision=0,
        answers={
            p.pk: {"level": levels.get(p.name, 3), "evidence": "Our view"}
            for p in assessment.version.practices.filter(stream__slug=slug)
        },
        done=True,
    )
    return group


def test_gaps_strengths_and_disagreements(community, lead):
    assessment = make_assessment(
        community,
        lead=lead,
        levels={AGENDA: 4, VOICE: 1, ALIGNED: 3, "A few shared measures": 3},
        targets={ALIGNED: 4, "A few shared measures": 3},
    )
    second_group(assessment, lead, "plan", {AGENDA: 2, VOICE: 1, ALIGNED: 3})
    results = results_of(assessment)
    agenda = results.practices[(practice(assessment, AGENDA).stream_id, AGENDA)]
    assert (agenda.level, agenda.spread, agenda.disagreed) == (3.0, 2, True)
    gaps = {p.practice.name for p in results.gaps}
    strengths = {p.practice.name for p in results.strengths}
    assert VOICE in gaps  # the lowest level
    assert ALIGNED in gaps  # 3, below its target of 4
    assert "A few shared measures" in strengths  # a target of 3 met
    assert AGENDA not in gaps | strengths  # 4 and 2 make 3, with no target
    assert {p.practice.name for p in results.disagreements} == {AGENDA}
    plan = next(s for s in results.streams if s.stream.slug == "plan")
    assert plan.standing == round((3.0 + 1.0 + 3.0) / 3, 1)
    assert len(plan.groups) == 2


def test_the_results_page_draws_the_wheel_and_gives_the_same_figures(
    client, community, lead, member, django_assert_max_num_queries
):
    assessment = make_assessment(
        community, lead=lead, levels={AGENDA: 4, VOICE: 2}, close=False
    )
    login(client, member)
    with django_assert_max_num_queries(20):
        response = client.get(assessment.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<h1") == 1
    assert '<svg viewBox="0 0 400 400"' in page and 'role="img"' in page
    wheel = response.context["wheel"]
    assert [s.stream.slug for s in wheel][0] == "plan"
    assert wheel[0].value == 3.0 and wheel[0].filled  # (4 + 2) / 2, ALIGNED open
    assert all(s.value is None and not s.filled for s in wheel[1:])
    assert "Plan 3.0; Monitor not answered" in page  # the caption
    assert "<td>3.0 <span" in page  # the table
    gap = reverse(
        "assessments:gap", args=[assessment.pk, practice(assessment, VOICE).pk]
    )
    assert gap in page


def test_the_results_page_keeps_its_query_budget_however_many_groups(
    client, community, lead, django_assert_max_num_queries
):
    previous = make_assessment(
        community, lead=lead, levels=2, close=True, held_on=date(2025, 3, 1)
    )
    assessment = make_assessment(community, lead=lead, levels=3)
    for index in range(8):
        second_group(assessment, lead, "learn", {}, name=f"Group {index}")
    login(client, lead)
    with django_assert_max_num_queries(20):
        response = client.get(assessment.get_absolute_url())
    assert response.status_code == 200
    assert response.context["previous"] == previous


def test_a_year_on_shows_what_moved_and_which_targets_were_met(client, community, lead):
    before = make_assessment(
        community,
        lead=lead,
        title="March 2025",
        held_on=date(2025, 3, 10),
        levels={"*": 3, AGENDA: 2, VOICE: 2, ALIGNED: 3},
        targets={AGENDA: 3, VOICE: 4},
        close=True,
    )
    now = make_assessment(
        community,
        lead=lead,
        title="March 2026",
        held_on=date(2026, 3, 9),
        levels={"*": 3, AGENDA: 3, VOICE: 2, ALIGNED: 2},
        close=True,
    )
    assert previous_of(now) == before and previous_of(before) is None
    changes = {
        c.now.practice.name: c for c in compare(results_of(now), results_of(before))
    }
    assert (changes[AGENDA].moved, changes[AGENDA].target_met) == (1.0, True)
    assert (changes[VOICE].moved, changes[VOICE].target_met) == (0.0, False)
    assert (changes[ALIGNED].moved, changes[ALIGNED].target_met) == (-1.0, None)
    page = login(client, lead).get(now.get_absolute_url()).content.decode()
    assert "Compared with" in page and "March 2025" in page
    assert "Up 1.0" in page and "Down 1.0" in page and "No change" in page
    assert "3: met" in page and "4: not yet" in page


def test_a_new_framework_version_still_compares_by_practice_name(community, lead):
    before = make_assessment(
        community, lead=lead, levels=2, close=True, held_on=date(2025, 3, 1)
    )
    draft = version_copy(version=before.version)
    version_publish(version=draft)
    now = make_assessment(community, lead=lead, levels=3, held_on=date(2026, 3, 1))
    assert now.version != before.version
    changes = compare(results_of(now), results_of(before))
    assert len(changes) == 15 and {c.moved for c in changes} == {1.0}


def test_a_gap_leads_to_the_strongest_readable_evidence_first(
    client, community, lead, member, django_assert_max_num_queries
):
    assessment = make_assessment(community, lead=lead, levels=1, close=True)
    voice = practice(assessment, VOICE)
    theme = make_theme(name="Listening to families")
    places = [make_community(state=state) for state in ("NSW", "NSW", "QLD", "TAS")]
    tied = make_story(community=places[0], streams=["plan"], title="Tied and working")
    make_lesson(tied, stream="plan", practice=voice, kind=Kind.WORKS, themes=[theme])
    make_lesson(tied, stream="plan", practice=voice, kind=Kind.ENABLING)
    same_state = make_story(community=places[1], streams=["plan"], title="Also NSW")
    make_lesson(same_state, stream="plan", practice=voice, kind=Kind.WORKS)
    hard = make_story(community=places[2], streams=["plan"], title="Hard lesson")
    make_lesson(hard, stream="plan", practice=voice, kind=Kind.DOESNT_WORK)
    make_story(community=places[3], streams=["plan"], title="Plan, nothing codified")
    draft = make_story(
        community=places[3],
        streams=["plan"],
        status=Status.DRAFT,
        title="Draft not for readers",
    )
    make_lesson(draft, stream="plan", practice=voice, statement="A draft's lesson")
    collective = make_story(
        community=places[3],
        streams=["plan"],
        visibility=Visibility.COLLECTIVE,
        title="For the Collective",
    )
    make_story(community=places[3], streams=["monitor"], title="Another stream")
    url = reverse("assessments:gap", args=[assessment.pk, voice.pk])
    login(client, member)
    with django_assert_max_num_queries(20):
        response = client.get(url)
    page = response.content.decode()
    evidence = response.context["evidence"]
    titles = [s.title for s in evidence.stories]
    assert evidence.tied
    # strongest first; then a state not yet shown before a second NSW story
    assert titles[:2] == ["Tied and working", "Hard lesson"]
    assert set(titles) == {
        "Tied and working",
        "Also NSW",
        "Hard lesson",
        "Plan, nothing codified",
        "For the Collective",
    }
    assert [lesson.kind for lesson in evidence.lessons][-1] == Kind.DOESNT_WORK
    assert evidence.weight["communities"] == 3 and evidence.weight["states"] == 2
    assert [t.name for t in evidence.themes] == ["Listening to families"]
    assert "Draft not for readers" not in page and "A draft's lesson" not in page
    assert "Another stream" not in page
    assert page.count("<h1") == 1
    # said of the community (a member of the Collective may read it too), and
    # why more stories are listed than the lessons' count of stories
    assert f"{community.name} stands at 1.0 of 4" in page
    assert "First the stories whose lessons speak to this practice" in page
    # a member of the Collective reads Collective-only stories; the rule decides
    assert collective.title in page


def test_until_a_lesson_is_tied_the_stream_s_lessons_serve(community, lead, member):
    assessment = make_assessment(community, lead=lead, levels=1, close=True)
    story = make_story(community=make_community(), streams=["plan"])
    make_lesson(story, stream="plan", statement="Untied but of the stream")
    evidence = evidence_for(practice(assessment, AGENDA), member)
    assert not evidence.tied
    assert [lesson.statement for lesson in evidence.lessons] == [
        "Untied but of the stream"
    ]
    assert evidence.stories == [story]


def test_a_gap_of_another_version_s_practice_is_a_404(client, community, lead):
    assessment = make_assessment(community, lead=lead, levels=1, close=True)
    draft = version_copy(version=assessment.version)
    version_publish(version=draft)
    other = draft.practices.first()
    login(client, lead)
    url = reverse("assessments:gap", args=[assessment.pk, other.pk])
    assert client.get(url).status_code == 404


def test_the_csv_holds_every_answer_safely(client, community, lead, member):
    assessment = make_assessment(
        community, lead=lead, levels=2, evidence='=HYPERLINK("x")', targets={AGENDA: 3}
    )
    services.group_add(
        assessment=assessment,
        actor=lead,
        stream=Stream.objects.get(slug="plan"),
        name="Table 2",
    )
    response = login(client, member).get(
        reverse("assessments:csv", args=[assessment.pk])
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:4] == ["stream", "practice", "group", "level"]
    assert len(rows) == 1 + 15 + 3  # every practice once, plan's three again
    agenda = next(r for r in rows if r[1] == AGENDA and r[2] == "The whole table")
    assert agenda[3:5] == ["2", "Emerging"] and agenda[6] == "3"
    assert agenda[5] == '\'=HYPERLINK("x")'  # a spreadsheet won't run it
    unanswered = next(r for r in rows if r[2] == "Table 2")
    assert unanswered[3:] == ["", "", "", "", ""]


def test_the_print_view_gives_each_stream_its_own_page(client, community, lead, member):
    assessment = make_assessment(
        community, lead=lead, levels=3, evidence="Our evidence", close=True
    )
    page = login(client, member).get(reverse("assessments:print", args=[assessment.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and html.count("<h1") == 1
    assert html.count('class="document__stream"') == 5
    assert "Our evidence" in html and "noindex" in html
    css = (Path(settings.BASE_DIR) / "static" / "css" / "print.css").read_text()
    assert "size: A4" in css and ".document__stream { break-before: page;" in css


def test_the_list_shows_what_each_viewer_may_see_within_its_budget(
    client, community, lead, outsider, django_assert_max_num_queries
):
    for index in range(6):
        make_assessment(community, lead=lead, title=f"Workshop {index}")
    elsewhere = outsider.memberships.get().community
    make_assessment(elsewhere, title="Theirs, unshared", levels=2, close=True)
    login(client, lead)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("assessments:list"))
    page = response.content.decode()
    assert page.count("Workshop ") == 6 and "Theirs, unshared" not in page
    assert "Start an assessment" in page


def test_the_national_picture_counts_gaps_by_practice_and_state_within_its_budget(
    client, core, django_assert_max_num_queries
):
    for index, state in enumerate(["VIC", "VIC", "QLD", "SA"]):
        place = make_community(name=f"Place {index}", state=state)
        make_assessment(place, levels=2, held_on=date(2025, 1, 1), close=True)
        make_assessment(
            place,
            levels={"*": 3, VOICE: 1} | ({AGENDA: 4} if index else {}),
            held_on=date(2026, 1, 1),
            close=True,
            shared=index == 0,
        )  # the latest counts; the unanswered practices are not counted
    login(client, core)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("assessments:national"))
    picture = response.context["picture"]
    assert picture.communities == 4
    assert [code for code, _ in picture.states] == ["QLD", "SA", "VIC"]
    voice, agenda = (
        picture.practices[0],
        next(p for p in picture.practices if p.name == AGENDA),
    )
    assert (voice.name, voice.gaps, voice.assessed, voice.share) == (VOICE, 4, 4, 100)
    assert voice.state_counts == [1, 1, 2]
    assert [c.name for c in voice.named] == ["Place 0"]
    assert (agenda.gaps, agenda.assessed) == (0, 4)
    aligned = next(p for p in picture.practices if p.name == ALIGNED)
    assert aligned.gaps == 0  # a gap in 2025 everywhere: only the latest counts
    assert len(picture.practices) == 15
