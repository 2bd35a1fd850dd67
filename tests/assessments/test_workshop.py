"""Running an assessment as a workshop: the lead starts it and splits it
into groups, members write their stream's answers (saved as they go, with a
conflict instead of an overwrite), the lead closes it and it is read-only."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from assessments import services
from assessments.models import Answer, Assessment, Group, Status
from framework.models import Practice, Stream
from framework.services import version_copy, version_publish
from tests.assessments.conftest import login
from tests.factories import make_assessment

pytestmark = pytest.mark.django_db

START = reverse("assessments:new")


def start_data(community, **changes):
    return {
        "community": community.pk,
        "title": "Leadership table, March",
        "held_on": "2026-03-12",
        "participants": "Lee, Mo and the table",
    } | changes


def answers_for(group, level=3, **changes):
    """The group form's POST, every practice at `level`."""
    data = {"revision": group.revision}
    for practice in Practice.objects.filter(
        version=group.assessment.version, stream=group.stream
    ):
        prefix = f"p{practice.pk}"
        data |= {
            f"{prefix}-level": level,
            f"{prefix}-evidence": f"Evidence for {practice.name}",
            f"{prefix}-target_level": "",
            f"{prefix}-target_date": "",
        }
    return data | changes


def group_of(assessment, slug):
    return assessment.groups.get(stream__slug=slug)


# starting


def test_a_lead_starts_an_assessment_with_a_group_per_stream(
    client, community, lead, framework
):
    response = login(client, lead).post(START, start_data(community))
    assessment = Assessment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == assessment.get_absolute_url()
    assert (assessment.community, assessment.version, assessment.status) == (
        community,
        framework,
        Status.OPEN,
    )
    assert assessment.held_on == date(2026, 3, 12)
    assert assessment.started_by == lead
    assert sorted(g.stream.slug for g in assessment.groups.all()) == sorted(
        Stream.objects.values_list("slug", flat=True)
    )
    page = client.get(assessment.get_absolute_url()).content.decode()
    assert "Leadership table, March" in page and "The whole table" in page


@pytest.mark.parametrize("who", ["member", "core", "funder", "outsider", "pending"])
def test_only_a_lead_may_start_one(client, community, who, request):
    user = request.getfixturevalue(who)
    login(client, user)
    assert client.get(START).status_code == 403
    assert client.post(START, start_data(community)).status_code == 403
    assert not Assessment.objects.exists()


def test_signed_out_the_start_page_asks_to_log_in(client, community):
    response = client.get(START)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_lead_cant_start_one_for_a_community_they_dont_lead(
    client, community, lead, outsider
):
    other = outsider.memberships.get().community
    response = login(client, lead).post(START, start_data(other))
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Assessment.objects.exists()


def test_a_bad_start_keeps_what_was_typed_with_the_message_by_the_field(
    client, community, lead, framework
):
    data = start_data(community, title="", held_on="1999-02-01")
    response = login(client, lead).post(START, data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "This field is required." in page
    assert "Give the day of the workshop, from 2000 on." in page
    assert "Lee, Mo and the table" in page and 'value="1999-02-01"' in page
    assert not Assessment.objects.exists()


def test_the_day_of_the_workshop_is_typed_day_first(client, community, lead, framework):
    login(client, lead)
    form = client.get(START).content.decode()
    assert 'type="text" name="held_on"' in form
    assert "The day of the workshop. Day first, like 14/03/2025." in form
    response = client.post(START, start_data(community, held_on="12/03/2026"))
    assessment = Assessment.objects.get()
    assert response.status_code == 302 and assessment.held_on == date(2026, 3, 12)
    assert "12 March 2026" in client.get(assessment.get_absolute_url()).content.decode()


@pytest.mark.parametrize("typed", ["03/31/2026", "the twelfth"])
def test_a_date_not_day_first_is_refused_beside_the_field(
    client, community, lead, framework, typed
):
    response = login(client, lead).post(START, start_data(community, held_on=typed))
    page = response.content.decode()
    assert response.status_code == 400
    beside = page.split('id="id_held_on_error"', 1)[1].split("</ul>", 1)[0]
    assert "Enter the date day first, like 14/03/2025." in beside
    assert f'value="{typed}"' in page and "Lee, Mo and the table" in page
    assert not Assessment.objects.exists()


# groups


def test_the_lead_splits_a_stream_between_two_groups_and_removes_one(
    client, community, lead, member
):
    assessment = make_assessment(community, lead=lead)
    plan = Stream.objects.get(slug="plan")
    url = reverse("assessments:group-add", args=[assessment.pk])
    login(client, lead)
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"stream": plan.pk, "name": "Table 2", "member": member.pk}
    )
    assert response.status_code == 302
    added = assessment.groups.get(name="Table 2")
    assert (added.stream, added.member) == (plan, member)
    again = client.post(url, {"stream": plan.pk, "name": "table 2"})
    assert again.status_code == 400
    assert "Plan already has a group called" in again.content.decode()
    assert 'value="table 2"' in again.content.decode()
    remove = reverse("assessments:group-remove", args=[assessment.pk, added.pk])
    assert client.post(remove).status_code == 302
    assert not assessment.groups.filter(name="Table 2").exists()
    # the last group of a stream stays
    only = group_of(assessment, "plan")
    client.post(reverse("assessments:group-remove", args=[assessment.pk, only.pk]))
    assert Group.objects.filter(pk=only.pk).exists()


def test_a_group_is_written_by_a_member_of_the_community_only(
    client, community, lead, outsider
):
    assessment = make_assessment(community, lead=lead)
    url = reverse("assessments:group-add", args=[assessment.pk])
    plan = Stream.objects.get(slug="plan")
    response = login(client, lead).post(
        url, {"stream": plan.pk, "name": "Visitors", "member": outsider.pk}
    )
    assert response.status_code == 400
    assert not assessment.groups.filter(name="Visitors").exists()


@pytest.mark.parametrize("who", ["member", "core"])
def test_only_the_lead_splits_and_removes_groups(client, community, lead, who, request):
    assessment = make_assessment(community, lead=lead)
    group = group_of(assessment, "plan")
    login(client, request.getfixturevalue(who))
    url = reverse("assessments:group-add", args=[assessment.pk])
    assert client.get(url).status_code == 403
    plan = Stream.objects.get(slug="plan")
    assert client.post(url, {"stream": plan.pk, "name": "X"}).status_code == 403
    remove = reverse("assessments:group-remove", args=[assessment.pk, group.pk])
    assert client.post(remove).status_code == 403
    assert assessment.groups.count() == 5


# answers


def test_a_member_saves_as_they_go_and_marks_the_stream_done(
    client, community, lead, member
):
    assessment = make_assessment(community, lead=lead)
    group = group_of(assessment, "monitor")
    practices = list(
        Practice.objects.filter(version=assessment.version, stream__slug="monitor")
    )
    first = practices[0]
    login(client, member)
    assert client.get(group.get_absolute_url()).status_code == 200
    partial = answers_for(group, level="")
    partial |= {
        f"p{first.pk}-level": 2,
        f"p{first.pk}-target_level": 3,
        f"p{first.pk}-target_date": "2027-03-01",
    }
    response = client.post(group.get_absolute_url(), partial | {"save": "1"})
    assert response.status_code == 302
    assert response["Location"] == group.get_absolute_url()
    saved = Answer.objects.get(group=group, practice=first)
    assert (saved.level, saved.target_level, saved.target_date) == (
        2,
        3,
        date(2027, 3, 1),
    )
    assert Answer.objects.filter(group=group, level=None).count() == len(practices) - 1
    group.refresh_from_db()
    assert (group.revision, group.is_done, group.saved_by) == (1, False, member)
    page = client.get(group.get_absolute_url()).content.decode()
    assert f"Evidence for {first.name}" in page and 'value="1"' in page
    response = client.post(group.get_absolute_url(), answers_for(group) | {"done": "1"})
    assert response["Location"] == assessment.get_absolute_url()
    group.refresh_from_db()
    assert group.is_done and group.revision == 2
    assert set(Answer.objects.filter(group=group).values_list("level", flat=True)) == {
        3
    }


def test_marking_done_needs_a_level_for_every_practice_and_keeps_what_was_typed(
    client, community, lead, member
):
    assessment = make_assessment(community, lead=lead)
    group = group_of(assessment, "learn")
    practice = Practice.objects.filter(
        version=assessment.version, stream__slug="learn"
    ).first()
    data = answers_for(group) | {f"p{practice.pk}-level": "", "done": "1"}
    data[f"p{practice.pk}-evidence"] = "Half-way through our reflection cycle"
    response = login(client, member).post(group.get_absolute_url(), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Choose a level to mark the stream done." in page
    assert "Half-way through our reflection cycle" in page
    group.refresh_from_db()
    assert (group.revision, group.is_done) == (0, False)
    assert not Answer.objects.filter(group=group).exists()


def test_a_target_below_where_you_stand_or_a_date_without_a_target_is_refused(
    client, community, lead, member
):
    assessment = make_assessment(community, lead=lead)
    group = group_of(assessment, "plan")
    one, two = Practice.objects.filter(version=assessment.version, stream__slug="plan")[
        :2
    ]
    data = answers_for(group, level=3) | {
        f"p{one.pk}-target_level": 2,
        f"p{two.pk}-target_date": "2027-01-01",
    }
    response = login(client, member).post(group.get_absolute_url(), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "A target is where you aim to be: at or above where you stand." in page
    assert "Choose the level the date is a target for." in page
    assert 'value="2027-01-01"' in page
    assert not Answer.objects.filter(group=group).exists()


def test_a_target_date_is_typed_day_first_and_shown_day_first(
    client, community, lead, member
):
    assessment = make_assessment(community, lead=lead)
    group = group_of(assessment, "plan")
    one = Practice.objects.filter(version=assessment.version, stream__slug="plan")[0]
    target = {f"p{one.pk}-target_level": 4, f"p{one.pk}-target_date": "1/3/27"}
    response = login(client, member).post(
        group.get_absolute_url(), answers_for(group, level=3) | target
    )
    assert response.status_code == 302
    assert Answer.objects.get(group=group, practice=one).target_date == date(2027, 3, 1)
    page = client.get(group.get_absolute_url()).content.decode()
    assert f'name="p{one.pk}-target_date" value="01/03/2027"' in page

    group.refresh_from_db()
    target[f"p{one.pk}-target_date"] = "12/31/2027"
    data = answers_for(group, level=3) | target
    response = client.post(group.get_absolute_url(), data)
    page = response.content.decode()
    assert response.status_code == 400
    beside = page.split(f'id="id_p{one.pk}-target_date_error"', 1)[1].split("</ul>")[0]
    assert "Enter the date day first, like 14/03/2025." in beside
    assert f'name="p{one.pk}-target_date" value="12/31/2027"' in page
    assert Answer.objects.get(group=group, practice=one).target_date == date(2027, 3, 1)


def test_a_level_out_of_range_is_a_message_not_an_error(
    client, community, lead, member
):
    assessment = make_assessment(community, lead=lead)
    group = group_of(assessment, "plan")
    practice = Practice.objects.filter(
        version=assessment.version, stream__slug="plan"
    ).first()
    data = answers_for(group) | {f"p{practice.pk}-level": "9"}
    response = login(client, member).post(group.get_absolute_url(), data)
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_two_people_saving_the_same_stream_get_a_conflict_not_an_overwrite(
    client, community, lead, member, member2
):
    assessment = make_assessment(community, lead=lead)
    group = group_of(assessment, "evaluate")
    loaded = answers_for(group, level=2)  # both load revision 0
    first = login(client, member).post(group.get_absolute_url(), loaded)
    assert first.status_code == 302
    practice = Practice.objects.filter(
        version=assessment.version, stream__slug="evaluate"
    ).first()
    second_data = answers_for(group, level=4) | {
        f"p{practice.pk}-evidence": "Our own account of the evaluation"
    }
    response = login(client, member2).post(group.get_absolute_url(), second_data)
    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone saved this stream while you were working" in page
    assert "Mo Member" in page  # who saved first
    assert "Our own account of the evaluation" in page  # nothing typed is lost
    assert set(Answer.objects.filter(group=group).values_list("level", flat=True)) == {
        2
    }
    # saving again from the conflict page keeps the second person's answers
    assert 'name="revision" value="1"' in page
    again = client.post(group.get_absolute_url(), second_data | {"revision": "1"})
    assert again.status_code == 302
    assert set(Answer.objects.filter(group=group).values_list("level", flat=True)) == {
        4
    }


@pytest.mark.parametrize("who", ["core", "funder", "outsider"])
def test_nobody_outside_the_community_writes_answers(
    client, community, lead, who, request
):
    assessment = make_assessment(community, lead=lead, close=False)
    group = group_of(assessment, "plan")
    login(client, request.getfixturevalue(who))
    response = client.post(group.get_absolute_url(), answers_for(group))
    assert response.status_code == (403 if who == "core" else 404)
    assert not Answer.objects.filter(group=group).exists()


# closing


def test_the_lead_closes_only_when_every_stream_is_done(client, community, lead):
    assessment = make_assessment(community, lead=lead)
    services.group_save(
        group=group_of(assessment, "plan"),
        actor=lead,
        revision=0,
        answers={
            p.pk: {"level": 3}
            for p in assessment.version.practices.filter(stream__slug="plan")
        },
        done=True,
    )
    close = reverse("assessments:close", args=[assessment.pk])
    response = login(client, lead).post(close, follow=True)
    page = response.content.decode()
    assert (
        "Every stream must be done first; still at work: "
        "Monitor, Evaluate, Learn, Communicate." in page
    )
    assessment.refresh_from_db()
    assert assessment.is_open
    for group in assessment.groups.filter(done_at=None):
        services.group_save(
            group=group,
            actor=lead,
            revision=0,
            answers={
                p.pk: {"level": 2}
                for p in assessment.version.practices.filter(stream=group.stream)
            },
            done=True,
        )
    assert client.post(close).status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == Status.CLOSED and assessment.closed_at
    assert client.post(close).status_code == 302  # a double click changes nothing


@pytest.mark.parametrize("who", ["member", "core"])
def test_only_the_lead_closes(client, community, lead, who, request):
    assessment = make_assessment(community, lead=lead, levels=3)
    login(client, request.getfixturevalue(who))
    assert (
        client.post(reverse("assessments:close", args=[assessment.pk])).status_code
        == 403
    )
    assessment.refresh_from_db()
    assert assessment.is_open


def test_a_closed_assessment_is_read_only(client, community, lead, member):
    assessment = make_assessment(community, lead=lead, levels=3, close=True)
    group = group_of(assessment, "plan")
    login(client, member)
    page = client.get(group.get_absolute_url()).content.decode()
    assert "The assessment is closed: its answers can't change." in page
    assert "<form" not in page.split("<main", 1)[1].split("</main>")[0]
    response = client.post(group.get_absolute_url(), answers_for(group, level=1))
    assert response.status_code == 403
    assert set(Answer.objects.filter(group=group).values_list("level", flat=True)) == {
        3
    }
    login(client, lead)
    plan = Stream.objects.get(slug="plan")
    add = reverse("assessments:group-add", args=[assessment.pk])
    client.post(add, {"stream": plan.pk, "name": "Late"})
    assert not assessment.groups.filter(name="Late").exists()
    with pytest.raises(services.AssessmentError):
        services.group_save(
            group=group, actor=lead, revision=group.revision, answers={}
        )


# sharing


def test_the_lead_shares_a_closed_assessment_and_takes_it_back(
    client, community, lead, member
):
    open_one = make_assessment(community, lead=lead)
    share = reverse("assessments:share", args=[open_one.pk])
    login(client, lead)
    response = client.post(share, {"shared": "1"}, follow=True)
    assert "Close the assessment before sharing it." in response.content.decode()
    open_one.refresh_from_db()
    assert not open_one.is_shared
    closed = make_assessment(community, lead=lead, levels=3, close=True)
    share = reverse("assessments:share", args=[closed.pk])
    client.post(share, {"shared": "1"})
    closed.refresh_from_db()
    assert closed.is_shared
    login(client, member)
    assert client.post(share, {"shared": "0"}).status_code == 403
    closed.refresh_from_db()
    assert closed.is_shared
    login(client, lead)
    client.post(share, {"shared": "0"})
    closed.refresh_from_db()
    assert not closed.is_shared


def test_a_new_framework_version_leaves_an_old_assessment_its_practices(
    community, lead
):
    old = make_assessment(community, lead=lead, levels=3, close=True)
    draft = version_copy(version=old.version)
    renamed = draft.practices.filter(stream__slug="plan").first()
    renamed.name = "Renamed practice"
    renamed.save()
    version_publish(version=draft)
    new = make_assessment(community, lead=lead, levels=2)
    assert new.version == draft and old.version != draft
    old_names = set(
        Answer.objects.filter(group__assessment=old).values_list(
            "practice__name", flat=True
        )
    )
    assert "Renamed practice" not in old_names


# saving as one types (the page's script; the form works without it)


def autosave_url(group):
    return reverse("assessments:group-autosave", args=[group.assessment_id, group.pk])


def test_the_page_s_script_saves_as_one_types_and_never_marks_done(
    client, community, lead, member
):
    assessment = make_assessment(community, lead=lead)
    group = group_of(assessment, "plan")
    login(client, member)
    page = client.get(group.get_absolute_url()).content.decode()
    assert f'data-autosave="{autosave_url(group)}"' in page
    assert "js/autosave.js" in page
    response = client.post(autosave_url(group), answers_for(group) | {"done": "1"})
    assert response.status_code == 200
    assert response.json()["revision"] == 1
    assert response.json()["message"].startswith("Saved at ")
    group.refresh_from_db()
    assert group.revision == 1 and not group.is_done
    assert set(Answer.objects.filter(group=group).values_list("level", flat=True)) == {
        3
    }


def test_the_script_s_save_says_why_it_did_not_save(client, community, lead, member):
    assessment = make_assessment(community, lead=lead)
    group = group_of(assessment, "plan")
    practice = assessment.version.practices.filter(stream__slug="plan").first()
    login(client, member)
    bad = answers_for(group) | {f"p{practice.pk}-target_level": 1}
    response = client.post(autosave_url(group), bad)
    assert response.status_code == 400
    assert "Press Save to see which" in response.json()["message"]
    client.post(autosave_url(group), answers_for(group))  # revision 0 -> 1
    stale = client.post(autosave_url(group), answers_for(group, level=2))
    assert stale.status_code == 409
    assert "Mo Member saved this stream meanwhile" in stale.json()["message"]
    assert set(Answer.objects.filter(group=group).values_list("level", flat=True)) == {
        3
    }


@pytest.mark.parametrize("who", ["core", "outsider"])
def test_the_script_s_save_is_refused_like_the_form(
    client, community, lead, who, request
):
    assessment = make_assessment(community, lead=lead)
    group = group_of(assessment, "plan")
    login(client, request.getfixturevalue(who))
    response = client.post(autosave_url(group), answers_for(group))
    assert response.status_code == (403 if who == "core" else 404)
    assert client.get(autosave_url(group)).status_code == 405
    assert not Answer.objects.filter(group=group).exists()


def test_the_admin_shows_an_assessment_read_only(client, community, lead):
    admin_user = get_user_model().objects.create_superuser(
        "root", "root@example.org", "a-long-test-password"
    )
    assessment = make_assessment(community, lead=lead, levels=2)
    client.force_login(admin_user)
    url = reverse("admin:assessments_assessment_change", args=[assessment.pk])
    page = client.get(url).content.decode()
    assert "Leadership table workshop" in page and 'name="title"' not in page
    client.post(url, {"title": "Changed"})
    assessment.refresh_from_db()
    assert assessment.title == "Leadership table workshop"
    listing = client.get(reverse("admin:assessments_assessment_changelist"))
    assert "Riverbend Together" in listing.content.decode()
    assert client.get(reverse("admin:assessments_assessment_add")).status_code == 403
