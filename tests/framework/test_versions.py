"""The self-assessment's framework as data: its first version as the
migrations load it, drafts copied from a version and published, and the
admin that never lets a published version change."""

import pytest
from django.contrib.auth.models import Permission

from framework.models import FrameworkVersion, Level, Practice, Stream
from framework.services import FrameworkError, version_copy, version_publish
from tests.factories import make_core, make_user

pytestmark = pytest.mark.django_db

ADMIN = "/admin/framework/frameworkversion/"


def first():
    return FrameworkVersion.objects.get(number=1)


def test_every_database_has_a_first_version_for_all_five_streams():
    version = FrameworkVersion.objects.current()
    assert version == first() and version.is_published
    assert "starting draft" in version.name and "refine" in version.notes
    streams = {stream.slug: 0 for stream in Stream.objects.all()}
    for practice in version.practices.select_related("stream"):
        streams[practice.stream.slug] += 1
        assert practice.name and practice.description
        assert [label for _, label, _ in practice.levels] == Level.labels
        assert all(text.strip() for _, _, text in practice.levels)
    assert streams == {slug: 3 for slug in streams}


def test_a_copy_is_a_draft_and_editing_it_leaves_the_version_it_came_from():
    draft = version_copy(version=first())
    assert (draft.number, draft.is_published) == (2, False)
    assert FrameworkVersion.objects.current() == first()
    copied = draft.practices.get(name="A shared agenda")
    copied.emerging = "Partners have started to talk."
    copied.save()
    original = first().practices.get(name="A shared agenda")
    assert original.emerging.startswith("A few partners have begun")
    assert draft.practices.count() == first().practices.count() == 15


def test_publishing_a_draft_makes_it_the_one_new_assessments_use():
    draft = version_copy(version=first())
    assert version_publish(version=draft) is True
    assert FrameworkVersion.objects.current() == draft
    assert version_publish(version=draft) is False  # already published
    assert first().is_published  # kept, for the assessments made with it


def test_a_draft_missing_a_stream_or_a_level_is_not_published():
    draft = version_copy(version=first())
    draft.practices.filter(stream__slug="learn").delete()
    Practice.objects.filter(version=draft, name="A shared agenda").update(embedded=" ")
    with pytest.raises(FrameworkError) as refused:
        version_publish(version=draft)
    assert "Learn has no practice yet." in str(refused.value)
    assert "“A shared agenda” doesn't describe all four levels." in str(refused.value)
    draft.refresh_from_db()
    assert not draft.is_published


def test_the_admin_shows_a_published_version_read_only(admin_client):
    version = first()
    page = admin_client.get(f"{ADMIN}{version.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "A shared agenda" in html
    assert 'name="practices-0-name"' not in html  # no field to change
    refused = admin_client.post(f"{ADMIN}{version.pk}/change/", {"name": "Changed"})
    assert refused.status_code == 403
    assert first().name.endswith("(starting draft)")
    assert admin_client.get(f"{ADMIN}add/").status_code == 403


def test_the_admin_copies_a_version_and_its_draft_can_be_edited(admin_client):
    response = admin_client.post(
        ADMIN, {"action": "copy_as_draft", "_selected_action": [first().pk]}
    )
    assert response.status_code == 302
    draft = FrameworkVersion.objects.get(number=2)
    assert not draft.is_published and draft.practices.count() == 15
    page = admin_client.get(f"{ADMIN}{draft.pk}/change/").content.decode()
    assert 'name="practices-0-name"' in page
    admin_client.post(ADMIN, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.is_published


def test_the_admin_refuses_to_publish_an_incomplete_draft_and_says_why(admin_client):
    draft = version_copy(version=first())
    draft.practices.filter(stream__slug="monitor").delete()
    response = admin_client.post(
        ADMIN, {"action": "publish", "_selected_action": [draft.pk]}, follow=True
    )
    assert "Monitor has no practice yet." in response.content.decode()
    draft.refresh_from_db()
    assert not draft.is_published


def test_only_those_given_the_permission_copy_or_publish(client):
    staff = make_user(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_frameworkversion"))
    client.force_login(staff)
    assert client.get(ADMIN).status_code == 200
    client.post(ADMIN, {"action": "copy_as_draft", "_selected_action": [first().pk]})
    assert FrameworkVersion.objects.count() == 1
    client.force_login(make_core())  # the core team, not staff: no admin
    assert client.get(ADMIN).status_code == 302
