"""A community of practice's sessions (/practice/<space>/sessions/): each
reader sees a session's time in their own Australian zone, daylight saving
included; only the space's members and the core team see a session at all
(its video link, agenda and notes); its facilitators and the core team plan
and write up sessions; and a session, or the space's every session, goes
into a reader's calendar as an .ics file."""

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from communities.models import State
from spaces import calendar
from spaces.models import Session, Space, SpaceMember, SpaceRole
from tests.conftest import count_h1
from tests.factories import make_community, make_core, make_member, make_user
from tests.spaces.conftest import signed_in

pytestmark = pytest.mark.django_db

# 10:00 in Sydney on Tuesday 12 January 2027 (daylight saving: AEDT, UTC+11)
SUMMER = datetime(2027, 1, 11, 23, 0, tzinfo=UTC)
# 10:00 in Sydney on Tuesday 13 July 2027 (standard time: AEST, UTC+10)
WINTER = datetime(2027, 7, 13, 0, 0, tzinfo=UTC)
LINK = "https://meet.example.org/p2s-evaluation"


@pytest.fixture
def session(space, facilitator):
    return Session.objects.create(
        space=space,
        title="Measuring what matters",
        starts_at=SUMMER,
        duration=90,
        video_link=LINK,
        agenda="1. Welcome\n2. Our measures, compared",
        notes="We *learnt* that co-designed measures last.",
        created_by=facilitator,
    )


def in_state(state, space=None, role=SpaceRole.MEMBER):
    """An approved member of a community in `state`, in `space` if given."""
    user = make_member(make_community(state=state))
    if space is not None:
        SpaceMember.objects.create(space=space, user=user, role=role)
    return user


def session_urls(space, session):
    slug, pk = space.slug, session.pk
    return [
        f"/practice/{slug}/sessions/",
        f"/practice/{slug}/sessions/{pk}/",
        f"/practice/{slug}/sessions/{pk}/calendar.ics",
        f"/practice/{slug}/calendar.ics",
        f"/practice/{slug}/sessions/new/",
        f"/practice/{slug}/sessions/{pk}/edit/",
    ]


def form_data(**overrides):
    data = {
        "title": "Funding cycles and evidence",
        "day": "02/02/2027",
        "time": "10:00",
        "time_zone": "Australia/Sydney",
        "duration": "60",
        "video_link": LINK,
        "agenda": "- What funders ask for",
        "notes": "",
    }
    return {**data, **overrides}


# each reader's own time ----------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "moment", "shown"),
    [
        (State.NSW, SUMMER, "Tuesday 12 January 2027, 10:00 am to 11:30 am AEDT"),
        (State.VIC, SUMMER, "Tuesday 12 January 2027, 10:00 am to 11:30 am AEDT"),
        (State.QLD, SUMMER, "Tuesday 12 January 2027, 9:00 am to 10:30 am AEST"),
        (State.SA, SUMMER, "Tuesday 12 January 2027, 9:30 am to 11:00 am ACDT"),
        (State.NT, SUMMER, "Tuesday 12 January 2027, 8:30 am to 10:00 am ACST"),
        (State.WA, SUMMER, "Tuesday 12 January 2027, 7:00 am to 8:30 am AWST"),
        (State.TAS, WINTER, "Tuesday 13 July 2027, 10:00 am to 11:30 am AEST"),
        (State.QLD, WINTER, "Tuesday 13 July 2027, 10:00 am to 11:30 am AEST"),
        (State.SA, WINTER, "Tuesday 13 July 2027, 9:30 am to 11:00 am ACST"),
        (State.WA, WINTER, "Tuesday 13 July 2027, 8:00 am to 9:30 am AWST"),
    ],
)
def test_a_member_sees_the_time_in_their_own_states_zone(
    space, session, state, moment, shown
):
    Session.objects.filter(pk=session.pk).update(starts_at=moment)
    reader = in_state(state, space)
    response = signed_in(reader).get(session.get_absolute_url())
    assert response.status_code == 200
    assert shown in response.content.decode()
    # and so on the space's own page and its sessions page
    for url in [space.get_absolute_url(), f"/practice/{space.slug}/sessions/"]:
        assert shown in signed_in(reader).get(url).content.decode()


def test_the_session_page_gives_the_time_in_every_state(space, session, insider):
    page = signed_in(insider).get(session.get_absolute_url()).content.decode()
    for place, time in [
        ("Perth (Western Australia)", "7:00 am to 8:30 am AWST"),
        ("Adelaide (South Australia)", "9:30 am to 11:00 am ACDT"),
        ("Darwin (Northern Territory)", "8:30 am to 10:00 am ACST"),
        ("Hobart (Tasmania)", "10:00 am to 11:30 am AEDT"),
    ]:
        assert f'<th scope="row">{place}</th>' in page
        assert time in page
    # its machine-readable start carries the reader's offset
    assert 'datetime="2027-01-12T10:00+11:00"' in page


def test_a_readers_own_choice_of_zone_outranks_their_communitys(space, session):
    reader = in_state(State.NSW, space)
    client = signed_in(reader)
    response = client.post(
        "/accounts/time-zone/",
        {"time_zone": "Australia/Perth", "next": session.get_absolute_url()},
    )
    assert response.status_code == 302
    assert response["Location"] == session.get_absolute_url()
    reader.refresh_from_db()
    assert reader.time_zone == "Australia/Perth"
    page = client.get(session.get_absolute_url()).content.decode()
    assert "7:00 am to 8:30 am AWST" in page
    assert "Times are in Perth time." in page


def test_without_a_choice_or_a_community_times_are_sydneys(space, session, insider):
    assert insider.shown_time_zone == settings.TIME_ZONE == "Australia/Sydney"
    page = signed_in(insider).get(session.get_absolute_url()).content.decode()
    assert "10:00 am to 11:30 am AEDT" in page


def test_the_time_zone_page_shows_the_current_zone_and_refuses_others(member):
    client = signed_in(member)
    page = client.get("/accounts/time-zone/")
    assert page.status_code == 200
    assert count_h1(page) == 1
    assert '<option value="Australia/Sydney" selected>' in page.content.decode()
    refused = client.post("/accounts/time-zone/", {"time_zone": "Europe/London"})
    assert refused.status_code == 400
    assert "Select a valid choice" in refused.content.decode()
    member.refresh_from_db()
    assert member.time_zone == ""


def test_the_time_zone_page_never_sends_a_reader_off_the_site(member):
    response = signed_in(member).post(
        "/accounts/time-zone/",
        {"time_zone": "Australia/Darwin", "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/time-zone/"


def test_visitors_are_asked_to_sign_in_for_the_time_zone(client):
    response = client.post("/accounts/time-zone/", {"time_zone": "Australia/Perth"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))


# who may see a session -----------------------------------------------------------


def test_visitors_are_asked_to_sign_in_for_every_session_page(client, space, session):
    for url in session_urls(space, session):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse(settings.LOGIN_URL))


@pytest.mark.parametrize("who", ["pending", "outsider"])
def test_nobody_outside_the_space_finds_its_sessions(space, session, who):
    reader = make_user(approved=who != "pending")
    client = signed_in(reader)
    for url in session_urls(space, session):
        assert client.get(url).status_code == 404, url
    for url in [
        f"/practice/{space.slug}/sessions/new/",
        f"{session_urls(space, session)[1]}delete/",
    ]:
        assert client.post(url, form_data()).status_code == 404, url
    assert list(Session.objects.values_list("title", flat=True)) == [session.title]
    if who == "outsider":  # who may list the space still sees no session of it
        page = client.get(space.get_absolute_url()).content.decode()
        assert session.title not in page
        assert LINK not in page
        assert "Practice sessions" not in page


def test_a_member_sees_the_link_agenda_and_notes_but_may_not_edit(
    space, session, insider
):
    client = signed_in(insider)
    response = client.get(session.get_absolute_url())
    assert response.status_code == 200
    assert count_h1(response) == 1
    page = response.content.decode()
    assert f'href="{LINK}"' in page
    assert "<li>Our measures, compared</li>" in page
    assert "We <em>learnt</em> that co-designed measures last." in page
    assert "Edit the session" not in page
    for url in session_urls(space, session)[4:]:
        assert client.get(url).status_code == 403, url
    edit = session_urls(space, session)[5]
    assert client.post(edit, form_data(title="Mine now")).status_code == 403
    assert client.post(f"{session_urls(space, session)[1]}delete/").status_code == 403
    assert client.post(session_urls(space, session)[4], form_data()).status_code == 403
    assert list(Session.objects.values_list("title", flat=True)) == [session.title]


def test_a_member_of_another_space_finds_no_session_here(space, session):
    other = Space.objects.create(name="Communications", slug="comms", purpose="")
    reader = make_user()
    SpaceMember.objects.create(space=other, user=reader, role=SpaceRole.FACILITATOR)
    client = signed_in(reader)
    # nor through the other space's address
    assert client.get(f"/practice/comms/sessions/{session.pk}/").status_code == 404
    for url in session_urls(space, session):
        assert client.get(url).status_code == 404, url


def test_notes_go_through_the_one_sanitising_renderer(space, session, insider):
    Session.objects.filter(pk=session.pk).update(
        notes="## Heard\n\n<script>alert(1)</script> [x](javascript:alert(2))",
        agenda="<img src=x onerror=alert(3)>",
    )
    page = signed_in(insider).get(session.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "javascript:alert(2)" not in page
    assert "<img src=x" not in page
    # the notes' own headings sit below the page's "Notes"
    assert '<h2 id="notes-heading">Notes</h2>' in page and "<h3>Heard</h3>" in page


# the space's page and its sessions -----------------------------------------------


def test_the_space_page_shows_coming_and_recent_sessions(space, facilitator, insider):
    now = timezone.now()
    for days in range(1, 9):  # eight held, one a day
        Session.objects.create(
            space=space, title=f"Held {days}", starts_at=now - timedelta(days=days)
        )
    Session.objects.create(
        space=space, title="Under way", starts_at=now - timedelta(minutes=20)
    )
    Session.objects.create(
        space=space, title="Next week", starts_at=now + timedelta(days=7)
    )
    page = signed_in(insider).get(space.get_absolute_url()).content.decode()
    coming = page.index("Coming up")
    past = page.index("Past sessions")
    assert coming < page.index("Under way") < page.index("Next week") < past
    assert past < page.index("Held 1<") < page.index("Held 5<")
    assert "Held 6<" not in page  # the rest are on the sessions page
    assert 'href="/practice/learning/sessions/">All 8 past sessions</a>' in page
    assert "Plan a session" not in page
    everything = signed_in(insider).get("/practice/learning/sessions/").content.decode()
    assert all(f"Held {days}<" in everything for days in range(1, 9))
    assert (
        "Plan a session"
        in signed_in(facilitator).get(space.get_absolute_url()).content.decode()
    )


def test_the_space_and_sessions_pages_keep_to_their_query_budgets(
    space, facilitator, insider, django_assert_max_num_queries
):
    now = timezone.now()
    Session.objects.bulk_create(
        Session(
            space=space, title=f"Session {n}", starts_at=now + timedelta(days=n - 30)
        )
        for n in range(60)
    )
    client = signed_in(facilitator)
    client.get(space.get_absolute_url())  # the session and account, once
    with django_assert_max_num_queries(12):
        assert client.get(space.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(8):
        response = client.get("/practice/learning/sessions/")
    assert response.status_code == 200
    assert response.content.decode().count('class="session-list__item"') == 25
    with django_assert_max_num_queries(8):
        assert client.get("/practice/learning/calendar.ics").status_code == 200


# planning and writing up ---------------------------------------------------------


def test_a_facilitator_plans_a_session_in_their_own_time(space, facilitator, insider):
    client = signed_in(facilitator)
    form = client.get(f"/practice/{space.slug}/sessions/new/")
    assert form.status_code == 200
    assert count_h1(form) == 1
    data = form_data(time="9:30 am", time_zone="Australia/Perth", duration="90")
    response = client.post(f"/practice/{space.slug}/sessions/new/", data)
    session = Session.objects.get()
    assert response.status_code == 302
    assert response["Location"] == session.get_absolute_url()
    # 9:30 in Perth (UTC+8) is 01:30 UTC
    assert session.starts_at == datetime(2027, 2, 2, 1, 30, tzinfo=UTC)
    assert (session.duration, session.video_link, session.created_by) == (
        90,
        LINK,
        facilitator,
    )
    # a member in Sydney reads it as 12:30 pm daylight time
    page = signed_in(insider).get(session.get_absolute_url()).content.decode()
    assert "Tuesday 2 February 2027, 12:30 pm to 2:00 pm AEDT" in page


def test_a_facilitator_writes_up_the_notes_and_the_time_stays(
    space, session, facilitator
):
    reader = in_state(State.WA, space, SpaceRole.FACILITATOR)
    client = signed_in(reader)
    edit = f"/practice/{space.slug}/sessions/{session.pk}/edit/"
    form = client.get(edit).content.decode()
    # the form shows the time on the editor's own clock
    assert 'value="12/01/2027"' in form
    assert 'value="07:00"' in form
    assert '<option value="Australia/Perth" selected>' in form
    data = form_data(
        title=session.title, day="12/01/2027", time="07:00",
        time_zone="Australia/Perth", duration="90", notes="## What we heard\n\nA lot.",
    )  # fmt: skip
    assert client.post(edit, data).status_code == 302
    session.refresh_from_db()
    assert session.starts_at == SUMMER
    assert session.notes.startswith("## What we heard")


def test_the_core_team_plans_in_any_space_and_deletes(space, session):
    core = make_core()
    client = signed_in(core)
    assert client.get(session.get_absolute_url()).status_code == 200
    response = client.post(f"/practice/{space.slug}/sessions/new/", form_data())
    assert response.status_code == 302
    assert Session.objects.count() == 2
    response = client.post(f"/practice/{space.slug}/sessions/{session.pk}/delete/")
    assert response["Location"] == space.get_absolute_url()
    assert list(Session.objects.values_list("title", flat=True)) == [
        "Funding cycles and evidence"
    ]
    assert (
        client.get(f"/practice/{space.slug}/sessions/{session.pk}/delete/").status_code
        == 405
    )


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"title": ""}, "title", "This field is required."),
        ({"day": "31/02/2027"}, "day", "Enter the date day first"),
        ({"time": "25:00"}, "time", "Enter the time like 09:30 or 2:30 pm."),
        # clocks go forward at 2 am on the first Sunday of October in Sydney
        ({"day": "03/10/2027", "time": "2:30 am"}, "time",
         "The clocks change then in Sydney"),
        ({"video_link": "http://meet.example.org/x"}, "video_link",
         "Enter a valid URL."),
        ({"video_link": "javascript:alert(1)"}, "video_link", "Enter a valid URL."),
        ({"duration": "7"}, "duration", "Select a valid choice."),
        ({"time_zone": "Europe/London"}, "time_zone", "Select a valid choice."),
        ({"notes": "[" * 5000}, "notes", "square brackets"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_beside_its_field_and_kept(
    space, facilitator, change, field, message
):
    data = form_data(**change, agenda="Kept & <typed>")
    response = signed_in(facilitator).post(
        f"/practice/{space.slug}/sessions/new/", data
    )
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page  # beside its field
    assert "Kept &amp; &lt;typed&gt;</textarea>" in page
    assert not Session.objects.exists()


def test_a_time_that_exists_in_perth_is_fine_when_sydneys_clocks_change(
    space, facilitator
):
    data = form_data(day="03/10/2027", time="2:30 am", time_zone="Australia/Perth")
    response = signed_in(facilitator).post(
        f"/practice/{space.slug}/sessions/new/", data
    )
    assert response.status_code == 302
    assert Session.objects.get().starts_at == datetime(2027, 10, 2, 18, 30, tzinfo=UTC)


# calendar files ------------------------------------------------------------------


def unfolded(content):
    text = content.decode()
    assert "\n" not in text.replace("\r\n", "")  # every line ends CRLF
    lines = text.split("\r\n")
    assert lines[-1] == ""
    assert all(len(line.encode()) <= 75 for line in lines)
    return text.replace("\r\n ", "").split("\r\n")[:-1]


def test_a_session_goes_into_a_members_calendar(space, session, insider):
    Session.objects.filter(pk=session.pk).update(title="Measures, money; and more")
    response = signed_in(insider).get(
        f"/practice/{space.slug}/sessions/{session.pk}/calendar.ics"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="learning-2027-01-11.ics"'
    )
    assert (
        "no-store" in response["Cache-Control"]
        or "max-age=0" in response["Cache-Control"]
    )
    lines = unfolded(response.content)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert f"UID:practice-session-{session.pk}@testserver" in lines
    assert "DTSTART:20270111T230000Z" in lines
    assert "DTEND:20270112T003000Z" in lines
    assert (
        "SUMMARY:Measures\\, money\\; and more (Strategic learning and evaluation)"
        in lines
    )
    assert f"LOCATION:{LINK}" in lines
    [description] = [line for line in lines if line.startswith("DESCRIPTION:")]
    assert "1. Welcome\\n2. Our measures\\, compared" in description
    assert f"Video link: {LINK}" in description
    assert "learnt" not in response.content.decode()  # never the notes


def test_a_spaces_calendar_holds_its_every_session_and_no_other(
    space, session, insider
):
    Session.objects.create(space=space, title="Later", starts_at=WINTER)
    other = Space.objects.create(name="Communications", slug="comms", purpose="")
    Session.objects.create(space=other, title="Elsewhere", starts_at=WINTER)
    response = signed_in(insider).get(f"/practice/{space.slug}/calendar.ics")
    assert response.status_code == 200
    lines = unfolded(response.content)
    assert lines.count("BEGIN:VEVENT") == 2
    assert "X-WR-CALNAME:Strategic learning and evaluation" in lines
    assert "Elsewhere" not in response.content.decode()


def test_calendar_text_is_escaped_and_folded_without_splitting_a_character():
    line = (
        "SUMMARY:"
        + calendar.escape("Yarning circle, Ngunnawal country; “kids first”\\ ") * 4
    )
    folded = calendar.fold(line)
    pieces = folded.split("\r\n")
    assert all(len(piece.encode()) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert "".join(piece[1:] if n else piece for n, piece in enumerate(pieces)) == line
    assert calendar.escape("a,b;c\\d\r\ne") == "a\\,b\\;c\\\\d\\ne"


def test_the_services_refuse_whoever_calls_them_without_the_right(
    space, session, insider
):
    from django.core.exceptions import PermissionDenied

    from spaces import services

    values = {name: getattr(session, name) for name in services.SESSION_FIELDS}
    with pytest.raises(PermissionDenied):
        services.session_save(space=space, actor=insider, values=values)
    with pytest.raises(PermissionDenied):
        services.session_delete(session=session, actor=insider)
    other = Space.objects.create(name="Communications", slug="comms", purpose="")
    with pytest.raises(PermissionDenied):  # a session moved between spaces
        services.session_save(
            space=other, actor=make_core(), values=values, session=session
        )
    assert Session.objects.get().space == space
