import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from communities.models import Invitation, JoinRequest, Membership
from communities.services import invitation_create
from tests.factories import make_community, make_core, make_member, make_user

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "a-long-test-password"


def sign_up(client, **overrides):
    data = {
        "name": "Ngaire Example",
        "email": "Ngaire@Example.org",
        "organisation": "Harbour Playgroup",
        "password1": "kites-over-the-bay-42",
        "password2": "kites-over-the-bay-42",
        "community": "",
        "message": "",
    } | overrides
    return client.post(reverse("accounts:signup"), data, follow=False)


# Sign up --------------------------------------------------------------------------


def test_sign_up_makes_a_pending_account_and_asks_to_join(
    client, django_capture_on_commit_callbacks
):
    community = make_community(name="Harbour Hills")
    lead = make_member(community, role="lead", email="lead@example.org")
    make_core(email="core@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(
            client, community=community.pk, message="I run the playgroup"
        )
    assert response.status_code == 302 and response["Location"] == reverse("me")
    user = User.objects.get(email="Ngaire@Example.org")
    assert not user.is_approved and user.name == "Ngaire Example"
    assert user.organisation == "Harbour Playgroup"
    request = JoinRequest.objects.get(user=user)
    assert request.community == community and request.status == "pending"
    assert request.message == "I run the playgroup"
    assert not Membership.objects.filter(user=user).exists()
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {lead.email, "core@example.org"}
    page = client.get(reverse("me"))
    assert b"waiting for approval" in page.content


def test_a_pending_account_reads_only_what_a_visitor_reads(client):
    from tests.factories import make_story

    story = make_story(visibility="collective")
    sign_up(client)
    assert client.get(story.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"email": "taken@EXAMPLE.org"}, "email", "already exists"),
        ({"email": "not-an-email"}, "email", "valid email"),
        ({"password1": "password", "password2": "password"}, "password1", "too common"),
        (
            {"password1": "12345678901", "password2": "12345678901"},
            "password1",
            "entirely numeric",
        ),
        ({"password2": "something-else-entirely"}, "password2", "don't match"),
        ({"name": ""}, "name", "required"),
        ({"name": "x" * 151}, "name", "at most 150"),
        ({"community": "99999"}, "community", "valid choice"),
    ],
)
def test_bad_sign_up_input_is_explained_beside_the_field(
    client, overrides, field, message
):
    make_user(email="taken@example.org")
    before = User.objects.count()
    response = sign_up(client, **overrides)
    assert response.status_code == 400
    html = response.content.decode()
    errors = response.context["form"].errors[field]
    assert any(message in error for error in errors), errors
    assert f'id="id_{field}_error"' in html
    assert User.objects.count() == before
    if field != "name":
        assert 'value="Ngaire Example"' in html  # what was typed comes back


def test_unicode_names_are_kept(client):
    name = "Āwhina 🌏 مريم\u200b " + "w" * 100
    assert sign_up(client, name=name).status_code == 302
    assert User.objects.get(email="Ngaire@Example.org").name == name


# Logging in and out ----------------------------------------------------------------


def test_log_in_by_email_in_any_case_and_out_by_post(client):
    make_user(email="Casey@Example.org", username="casey")
    response = client.post(
        reverse("accounts:login"),
        {"username": "casey@example.ORG", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert client.get(reverse("me")).status_code == 200
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("me")).status_code == 302


def test_wrong_password_is_a_clear_error(client):
    make_user(email="casey@example.org")
    response = client.post(
        reverse("accounts:login"), {"username": "casey@example.org", "password": "nope"}
    )
    assert response.status_code == 200
    assert b"don&#x27;t match an account" in response.content
    assert b'value="casey@example.org"' in response.content


def test_the_password_forms_label_their_fields_as_every_other_form(client):
    html = client.get(reverse("accounts:password_reset")).content.decode()
    assert '<label for="id_email">Email address</label>' in html
    client.force_login(make_user())
    html = client.get(reverse("accounts:password_change")).content.decode()
    for label in ["Old password", "New password", "New password confirmation"]:
        assert f">{label}</label>" in html and f">{label}:</label>" not in html


def test_password_reset_by_email(client):
    user = make_user(email="casey@example.org")
    response = client.post(
        reverse("accounts:password_reset"), {"email": "casey@example.org"}
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    page = client.get(link, follow=True)
    assert page.status_code == 200
    assert ">New password</label>" in page.content.decode()
    form_url = page.redirect_chain[-1][0]
    new = "a-brand-new-passphrase-77"
    done = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)


# Invitations ---------------------------------------------------------------------


def test_core_team_makes_single_use_invitation_links(client):
    community = make_community(name="Geelong")
    client.force_login(make_core())
    response = client.post(
        reverse("accounts:invitations"),
        {"email": "new@example.org", "community": community.pk, "role": "lead"},
    )
    assert response.status_code == 200
    link = response.context["link"]
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert len(token) >= 43  # 256 bits, url-safe
    invitation = Invitation.objects.get()
    assert token not in invitation.token_hash  # only the hash is stored
    visitor = Client()
    data = {
        "name": "New Lead",
        "email": "new@example.org",
        "organisation": "",
        "password1": "kites-over-the-bay-42",
        "password2": "kites-over-the-bay-42",
    }
    assert visitor.post(link, data).status_code == 302
    user = User.objects.get(email="new@example.org")
    assert user.is_approved
    assert Membership.objects.get(user=user).role == "lead"
    assert Client().get(link).status_code == 404  # single use
    data["email"] = "other@example.org"
    assert Client().post(link, data).status_code == 404
    assert not User.objects.filter(email="other@example.org").exists()


def test_expired_or_revoked_invitations_are_404(client):
    core = make_core()
    expired, token = invitation_create(email="a@example.org", actor=core)
    Invitation.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert client.get(reverse("accounts:invitation", args=[token])).status_code == 404
    revoked, token = invitation_create(email="b@example.org", actor=core)
    Invitation.objects.filter(pk=revoked.pk).update(revoked=True)
    assert client.get(reverse("accounts:invitation", args=[token])).status_code == 404
    assert (
        client.get(reverse("accounts:invitation", args=["made-up"])).status_code == 404
    )


def test_only_the_core_team_makes_invitations(client):
    url = reverse("accounts:invitations")
    assert client.get(url).status_code == 302  # to sign in
    client.force_login(make_user())
    assert client.get(url).status_code == 403
    assert (
        client.post(url, {"email": "x@example.org", "role": "member"}).status_code
        == 403
    )
    assert not Invitation.objects.exists()


# Join requests -------------------------------------------------------------------


def test_lead_approves_a_join_request_with_an_email(
    client, django_capture_on_commit_callbacks
):
    community = make_community(name="Harbour Hills")
    lead = make_member(community, role="lead")
    applicant = make_user(approved=False, email="new@example.org")
    join = JoinRequest.objects.create(user=applicant, community=community)
    client.force_login(lead)
    page = client.get(reverse("communities:join-requests", args=[community.slug]))
    assert page.status_code == 200 and str(applicant).encode() in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("communities:join-request", args=[join.pk]), {"decision": "approve"}
        )
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.is_approved
    assert Membership.objects.filter(user=applicant, community=community).exists()
    join.refresh_from_db()
    assert join.status == "approved" and join.decided_by == lead
    assert mail.outbox[-1].to == ["new@example.org"]
    assert "approved" in mail.outbox[-1].body
    # a second click changes nothing and sends nothing
    count = len(mail.outbox)
    client.post(
        reverse("communities:join-request", args=[join.pk]), {"decision": "decline"}
    )
    join.refresh_from_db()
    assert join.status == "approved" and len(mail.outbox) == count


def test_decline_sends_an_email_and_makes_no_membership(
    client, django_capture_on_commit_callbacks
):
    community = make_community()
    applicant = make_user(approved=False, email="new@example.org")
    join = JoinRequest.objects.create(user=applicant, community=community)
    client.force_login(make_core())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("communities:join-request", args=[join.pk]), {"decision": "decline"}
        )
    applicant.refresh_from_db()
    assert not applicant.is_approved
    assert not Membership.objects.filter(user=applicant).exists()
    assert "declined" in mail.outbox[-1].body


@pytest.mark.parametrize("who", ["member", "other-lead", "pending-lead", "anonymous"])
def test_only_the_lead_or_core_team_decides(client, who):
    community = make_community()
    applicant = make_user(approved=False)
    join = JoinRequest.objects.create(user=applicant, community=community)
    if who == "member":
        client.force_login(make_member(community))
    elif who == "other-lead":
        client.force_login(make_member(make_community(), role="lead"))
    elif who == "pending-lead":
        client.force_login(make_member(community, role="lead", approved=False))
    list_url = reverse("communities:join-requests", args=[community.slug])
    decide_url = reverse("communities:join-request", args=[join.pk])
    expected = 302 if who == "anonymous" else 403
    assert client.get(list_url).status_code == expected
    assert client.post(decide_url, {"decision": "approve"}).status_code == expected
    join.refresh_from_db()
    assert join.status == "pending"
    assert not Membership.objects.filter(user=applicant).exists()


def test_a_signed_in_person_asks_to_join_a_community(client):
    community = make_community(name="Logan")
    user = make_user(approved=True)
    client.force_login(user)
    response = client.post(
        reverse("communities:join", args=[community.slug]), {"message": "Hi"}
    )
    assert response.status_code == 302
    assert JoinRequest.objects.get(user=user).community == community
    client.post(
        reverse("communities:join", args=[community.slug]), {"message": "Again"}
    )
    assert JoinRequest.objects.filter(user=user).count() == 1


def test_the_next_parameter_cannot_leave_the_site(client):
    community = make_community()
    join = JoinRequest.objects.create(
        user=make_user(approved=False), community=community
    )
    client.force_login(make_core())
    response = client.post(
        reverse("communities:join-request", args=[join.pk]),
        {"decision": "approve", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("me")


def test_core_team_approves_pending_accounts(client):
    pending = make_user(approved=False)
    url = reverse("accounts:pending")
    client.force_login(make_user())
    assert client.post(url, {"user": pending.pk}).status_code == 403
    client.force_login(make_core())
    assert str(pending).encode() in client.get(url).content
    assert client.post(url, {"user": pending.pk}).status_code == 302
    pending.refresh_from_db()
    assert pending.is_approved


def test_email_is_unique_whatever_its_case():
    from django.db import IntegrityError

    make_user(email="same@example.org")
    with pytest.raises(IntegrityError):
        make_user(email="SAME@example.org")


def test_a_requests_reader_comes_with_their_core_team_standing_in_one_query(
    django_assert_num_queries,
):
    from communities.backends import EmailBackend

    core, member = make_core(), make_member(make_community())
    funder = make_user(approved=True)
    backend = EmailBackend()
    for user, core_team, shares in [
        (core, True, False),
        (member, False, True),
        (funder, False, False),
    ]:
        with django_assert_num_queries(1):  # and whether they may share a story
            loaded = backend.get_user(user.pk)
            assert loaded.is_core_team is core_team
            assert loaded.may_share_stories is shares
        assert (loaded.pk, loaded.email, loaded.is_approved) == (
            user.pk,
            user.email,
            user.is_approved,
        )
        assert backend.get_user(str(user.pk)) == user  # as the session holds it
    member.is_active = False
    member.save()
    assert backend.get_user(member.pk) is None
    assert backend.get_user(10**9) is None
    assert backend.get_user("not an id") is None
    assert backend.get_user(str(2**70)) is None  # beyond any database's ids


def test_a_readers_standing_is_read_afresh_on_every_request():
    """The account's query is built once per process, never its answer: a
    change to the core team or to a membership shows on the next request."""
    from django.contrib.auth.models import Group

    from communities.backends import EmailBackend, with_standing
    from communities.models import CORE_TEAM

    community = make_community()
    member = make_member(community)
    backend = EmailBackend()
    before = backend.get_user(member.pk)
    assert (before.is_core_team, before.may_share_stories) == (False, True)

    Group.objects.get_or_create(name=CORE_TEAM)[0].user_set.add(member)
    Membership.objects.filter(user=member).delete()
    after = backend.get_user(member.pk)
    assert (after.is_core_team, after.may_share_stories) == (True, False)

    # each call is a new query: reading one's rows keeps none for the next
    assert member in list(with_standing())
    Group.objects.get(name=CORE_TEAM).user_set.remove(member)
    assert backend.get_user(member.pk).is_core_team is False
