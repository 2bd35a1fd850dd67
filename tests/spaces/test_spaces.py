"""The communities of practice (/practice/): who may list a space, who may
see inside it, asking to join and deciding who joins; what each page shows,
who may not, and what the database holds after."""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from spaces import services
from spaces.models import Space, SpaceJoinRequest, SpaceMember, SpaceRole
from tests.conftest import count_h1
from tests.factories import make_core, make_user
from tests.spaces.conftest import signed_in

pytestmark = pytest.mark.django_db

INSIDE = 'Members <span class="count">'  # the members' list: inside only


def page(user, space):
    return signed_in(user).get(space.get_absolute_url())


# who may see what ----------------------------------------------------------------


def test_visitors_are_asked_to_sign_in_whether_or_not_a_space_exists(client, space):
    for url in ["/practice/", space.get_absolute_url(), "/practice/no-such-space/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse(settings.LOGIN_URL))


def test_a_pending_account_is_refused_the_list_and_finds_no_space(pending, space):
    client = signed_in(pending)
    assert client.get("/practice/").status_code == 403
    # a space it may not list is a 404, as one that doesn't exist
    assert client.get(space.get_absolute_url()).status_code == 404
    assert client.get("/practice/no-such-space/").status_code == 404
    response = client.post(f"/practice/{space.slug}/join/", {"message": "hi"})
    assert response.status_code == 404
    assert not SpaceJoinRequest.objects.exists()


def test_an_approved_member_lists_every_space_but_sees_inside_only_their_own(
    member, space, facilitator, insider
):
    other = Space.objects.create(name="Communications", slug="comms", purpose="Tell.")
    SpaceMember.objects.create(space=other, user=member)
    response = signed_in(member).get("/practice/")
    assert response.status_code == 200
    assert count_h1(response) == 1
    assert "no-store" in response["Cache-Control"]
    mine, others = response.context["mine"], response.context["others"]
    assert [s.slug for s in mine] == ["comms"]
    assert [s.slug for s in others] == ["learning"]
    html = response.content.decode()
    assert "Facilitated by Fran Facilitator" in html
    # how many belong is the inside of a space: shown for one's own only
    assert "1 member<" in html  # comms: the reader
    assert "2 members" not in html  # learning: its facilitator and Ines

    outside = page(member, space).content.decode()
    assert "Strategic learning and evaluation" in outside
    assert "Fran Facilitator (Backbone, Ipswich)" in outside
    assert "&lt;b&gt;data&lt;/b&gt;" in outside  # plain text, escaped
    assert INSIDE not in outside and "Ines Insider" not in outside
    assert "Ask to join" in outside

    inside = page(insider, space).content.decode()
    assert INSIDE in inside and "Ines Insider" in inside
    assert "Ask to join" not in inside
    assert "Asking to join" not in inside  # a member doesn't decide


def test_the_core_team_sees_inside_every_space_and_decides(space, insider):
    core = make_core()
    SpaceJoinRequest.objects.create(space=space, user=make_user(name="Asha Asker"))
    html = page(core, space).content.decode()
    assert INSIDE in html and "Ines Insider" in html
    assert "Asking to join" in html and "Asha Asker" in html
    assert "Ask to join" not in html
    listed = signed_in(core).get("/practice/").content.decode()
    assert "1 member<" in listed  # the core team sees every space's count


def test_a_space_never_shows_outside_the_signed_in_pages(client, space, facilitator):
    """Not in the home, browse, search, sitemap, feeds or robots: a space is
    named only to approved members, on its own pages."""
    for url in [
        "/",
        "/stories/",
        "/stories/?q=evaluation",
        "/sitemap.xml",
        "/feeds/stories/",
        "/robots.txt",
        "/communities/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert space.name not in body and "/practice/" not in body, url


def test_only_approved_members_are_offered_the_practice_link(
    client, member, pending, space
):
    assert "/practice/" not in client.get("/").content.decode()
    assert "/practice/" not in signed_in(pending).get("/").content.decode()
    assert 'href="/practice/"' in signed_in(member).get("/").content.decode()


# asking to join ----------------------------------------------------------------


def test_asking_to_join_keeps_one_request_and_tells_the_facilitators(
    member, space, facilitator, committed
):
    client = signed_in(member)
    with committed():
        response = client.post(
            f"/practice/{space.slug}/join/", {"message": "I evaluate playgroups."}
        )
    assert response.status_code == 302
    assert response["Location"] == space.get_absolute_url()
    asked = SpaceJoinRequest.objects.get()
    assert (asked.user, asked.space, asked.status) == (member, space, "pending")
    assert asked.message == "I evaluate playgroups."
    assert [m.to for m in mail.outbox] == [[facilitator.email]]
    assert "I evaluate playgroups." in mail.outbox[0].body

    with committed():
        client.post(f"/practice/{space.slug}/join/", {"message": "Again"})
    assert SpaceJoinRequest.objects.count() == 1  # asking twice is one request
    assert len(mail.outbox) == 1
    html = page(member, space).content.decode()
    assert "You asked to join on" in html and "Ask to join" not in html
    assert (
        "Your request to join is waiting" in client.get("/practice/").content.decode()
    )


def test_a_space_without_facilitators_tells_the_core_team(member, space, committed):
    core = make_core()
    with committed():
        services.join_request_create(user=member, space=space)
    assert [m.to for m in mail.outbox] == [[core.email]]


def test_a_note_too_long_comes_back_with_its_text_and_a_message(member, space):
    note = "x" * 1001
    response = signed_in(member).post(
        f"/practice/{space.slug}/join/", {"message": note}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert note in html  # nothing lost
    assert "Ensure this value has at most 1000 characters" in html
    assert not SpaceJoinRequest.objects.exists()


def test_a_member_asking_again_is_told_they_belong(insider, space):
    client = signed_in(insider)
    response = client.post(f"/practice/{space.slug}/join/", follow=True)
    assert "You are already a member of" in response.content.decode()
    assert not SpaceJoinRequest.objects.exists()


def test_asking_to_join_is_a_post(member, space):
    assert signed_in(member).get(f"/practice/{space.slug}/join/").status_code == 405


# deciding ------------------------------------------------------------------------


@pytest.fixture
def asked(space, member):
    return SpaceJoinRequest.objects.create(space=space, user=member, message="Hi")


def decide(user, asked, decision):
    url = reverse("spaces:decide", args=[asked.space.slug, asked.pk])
    return signed_in(user).post(url, {"decision": decision})


def test_a_facilitator_approves_once_and_the_member_is_in(
    facilitator, asked, member, space, committed
):
    with committed():
        response = decide(facilitator, asked, "approve")
    assert response.status_code == 302
    asked.refresh_from_db()
    assert (asked.status, asked.decided_by) == ("approved", facilitator)
    assert SpaceMember.objects.get(space=space, user=member).role == SpaceRole.MEMBER
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert INSIDE in page(member, space).content.decode()

    with committed():
        again = decide(facilitator, asked, "decline")  # a second click
    assert again.status_code == 302
    asked.refresh_from_db()
    assert asked.status == "approved" and len(mail.outbox) == 1


def test_a_facilitator_declines_and_nobody_joins(
    facilitator, asked, member, space, committed
):
    with committed():
        decide(facilitator, asked, "decline")
    asked.refresh_from_db()
    assert asked.status == "declined"
    assert not SpaceMember.objects.filter(user=member).exists()
    assert "declined" in mail.outbox[0].body


def test_only_facilitators_and_the_core_team_decide(asked, insider, space):
    outsider = make_user()
    assert decide(insider, asked, "approve").status_code == 403
    assert decide(outsider, asked, "approve").status_code == 403
    pending = make_user(approved=False)
    assert decide(pending, asked, "approve").status_code == 404
    asked.refresh_from_db()
    assert asked.status == "pending"
    assert decide(make_core(), asked, "approve").status_code == 302
    asked.refresh_from_db()
    assert asked.status == "approved"


def test_a_decision_must_be_approve_or_decline(facilitator, asked):
    assert decide(facilitator, asked, "maybe").status_code == 400
    asked.refresh_from_db()
    assert asked.status == "pending"


def test_a_request_of_another_space_is_not_found_here(facilitator, space):
    other = Space.objects.create(name="Other", slug="other", purpose="Other.")
    elsewhere = SpaceJoinRequest.objects.create(space=other, user=make_user())
    url = reverse("spaces:decide", args=[space.slug, elsewhere.pk])
    assert signed_in(facilitator).post(url, {"decision": "approve"}).status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.status == "pending"


def test_the_services_check_who_asks_and_who_decides(space, asked, insider):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.join_request_create(user=make_user(approved=False), space=space)
    with pytest.raises(services.AlreadyMember):
        services.join_request_create(user=insider, space=space)
    with pytest.raises(PermissionDenied):
        services.join_request_decide(join_request=asked, actor=insider, approve=True)


# budgets -------------------------------------------------------------------------


def test_the_list_reads_a_fixed_number_of_queries(
    member, django_assert_max_num_queries
):
    client = signed_in(member)
    for n in range(12):
        created = Space.objects.create(name=f"Space {n}", slug=f"s{n}", purpose="P.")
        SpaceMember.objects.create(
            space=created, user=make_user(), role=SpaceRole.FACILITATOR
        )
        if n % 2:
            SpaceMember.objects.create(space=created, user=member)
    client.get("/practice/")  # the navigation, kept for the class
    # session, account, the spaces (with mine, waiting and counts), their
    # facilitators
    with django_assert_max_num_queries(4):
        response = client.get("/practice/")
    assert len(response.context["mine"]) == 6 and len(response.context["others"]) == 6
