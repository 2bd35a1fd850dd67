"""export_library and import_library: the library outlives its host.

A rich library is exported, the database emptied and the media moved to a new
folder (a new host), the export imported and exported again: the two exports
must be identical, file for file and byte for byte.
"""

import io
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from taggit.models import Tag, TaggedItem

from assessments.models import Answer, Assessment
from assessments.models import Status as AssessmentStatus
from assessments.services import (
    WHOLE_TABLE,
    assessment_close,
    assessment_share,
    assessment_start,
    group_add,
    group_save,
)
from communities.models import (
    Community,
    Invitation,
    JoinRequest,
    Membership,
    User,
    hash_token,
)
from curation.models import Collection, CollectionEvent, CollectionItem
from framework.models import FrameworkVersion, Practice, Stream
from framework.services import version_copy
from lessons.models import Citation, Lesson, Theme
from library_io.exporting import export_library
from library_io.importing import LIBRARY_APPS, import_library, rows_in_the_way
from library_io.layout import LibraryError
from spaces.documents import clean_document
from spaces.models import (
    Resource,
    ResourceTag,
    Session,
    Space,
    SpaceJoinRequest,
    SpaceMember,
    SpaceRole,
)
from spaces.services import resource_save
from stories.images import clean_image, rendition_name
from stories.models import (
    EditorImage,
    Status,
    Story,
    StoryComment,
    StoryEvent,
    StoryFlag,
    StoryRevision,
)
from stories.services import editor_image_add, record_revision, snapshot_of
from stories.workflow import story_transition
from tests.factories import (
    ensure_streams,
    make_assessment,
    make_collection,
    make_community,
    make_core,
    make_image,
    make_member,
    make_story,
    make_user,
    png_bytes,
)

pytestmark = pytest.mark.django_db

# In everything only the library's own people may see; never in a public export.
MARKER = "qx7-hidden-zebra"
# In the assessments' titles, participants, group names and evidence.
ASSESSED = "kw3-quiet-heron"
PASSWORD = "a-long-test-password"  # tests.factories.make_user's
PEOPLE = {
    # username: (email, name)
    "casey-core-k2": ("casey.core@example.org", "Casey Corewright"),
    "lee-lead-k2": ("lee.lead@example.org", "Lee Leadbetter"),
    "ari-author-k2": ("Ari.Author@Example.org", "Āwhina Ari-Authorson"),
    "pat-pending-k2": ("pat.pending@example.org", "Pat Pendleton"),
}


@pytest.fixture
def media(settings, tmp_path):
    """The first host's media folder; `new_host` moves to another."""
    settings.MEDIA_ROOT = tmp_path / "media-first-host"
    return settings


def new_host(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media-new-host"


def person(username, **fields):
    email, name = PEOPLE[username]
    return {"username": username, "email": email, "name": name, **fields}


def build_library():
    """Every kind of row the library has, with something hidden in each place
    a public export must not look."""
    streams = {stream.slug: stream for stream in ensure_streams()}
    now = timezone.now()
    core = make_core(**person("casey-core-k2", is_staff=True))
    # the framework's first version (the migrations'), and a draft of the next
    draft = version_copy(version=FrameworkVersion.objects.get(number=1))
    Practice.objects.filter(version=draft, name="A shared agenda").update(
        name="A shared agenda, revisited", emerging=f"Being talked about {MARKER}"
    )
    home = make_community(slug="home-town", name="Home Town", place="Home")
    other = make_community(slug="far-place", name="Far Place", state="WA")
    lead = make_member(home, role="lead", **person("lee-lead-k2"))
    author = make_member(home, **person("ari-author-k2"))
    pending = make_user(approved=False, **person("pat-pending-k2"))
    editors = Group.objects.create(name="Editors")
    editors.permissions.add(Permission.objects.get(codename="change_story"))
    lead.groups.add(editors)
    lead.user_permissions.add(Permission.objects.get(codename="add_theme"))
    JoinRequest.objects.create(
        user=pending, community=other, message=f"Let me in {MARKER}"
    )
    JoinRequest.objects.create(
        user=author,
        community=other,
        status=JoinRequest.Status.DECLINED,
        decided_by=core,
        decided_at=now,
    )
    Invitation.objects.create(
        email="invitee@example.org",
        community=home,
        role="lead",
        token_hash=hash_token("the-invitation-token"),
        created_by=core,
        expires_at=now + timedelta(days=7),
    )

    public = make_story(
        community=home,
        streams=("learn", "plan"),
        tags=("Data", "shared"),
        title="An open story",
        slug="an-open-story",
        body="# Heard\r\n\r\nÜnïcode ✓ and a line that ends here\n",
        storytellers="The Home Town parents",
        what_worked="Listening.",
        year=2024,
    )
    public.authors.add(author, lead)
    make_image(public)
    make_image(public, cover=False, alt_text="A second picture", credit="Ari")
    upload = ContentFile(png_bytes(colour="#a4461b"), name="diagram.png")
    diagram = editor_image_add(owner=author, clean=clean_image(upload))
    public.body += f"\n![A diagram](/media/{diagram.image.name})\n"
    public.save()
    diagram.stories.add(public)
    record_revision(public, author, snapshot_of(public))
    staged = record_revision(
        public,
        author,
        {**snapshot_of(public), "body": f"An unpublished edit {MARKER}"},
        StoryRevision.Kind.STAGED,
    )
    StoryRevision.objects.filter(pk=staged.pk).update(signed_off_by=lead)
    Story.objects.filter(pk=public.pk).update(staged_revision=staged)
    story_transition(story=public, actor=core, action="archive", note=MARKER)
    story_transition(story=public, actor=core, action="republish")
    StoryComment.objects.create(story=public, author=core, body=f"Between us {MARKER}")
    StoryFlag.objects.create(
        story=public,
        reporter=lead,
        reason=f"A worry {MARKER}",
        resolved_at=now,
        resolved_by=core,
    )

    # in the workflow: approved, not published
    approved = make_story(
        community=home,
        status=Status.DRAFT,
        consent=True,
        title=f"On its way {MARKER}",
        tags=(f"{MARKER}-draft",),
    )
    approved.authors.add(author)
    for actor, action in [
        (author, "submit"),
        (core, "send_for_signoff"),
        (author, "sign_off"),
    ]:
        story_transition(story=approved, actor=actor, action=action)
    Story.objects.filter(pk=approved.pk).update(claimed_by=core)
    members_only = make_story(
        community=other,
        visibility="collective",
        streams=("communicate",),
        title=f"For members {MARKER}",
        body=f"Members only {MARKER}",
        tags=(f"{MARKER}-tag", "shared"),
    )
    make_image(members_only)
    hidden_upload = ContentFile(png_bytes(colour="#7a3587"), name="hidden.png")
    editor_image_add(owner=core, clean=clean_image(hidden_upload)).stories.add(
        members_only
    )
    make_story(community=other, status=Status.WITHDRAWN, summary=MARKER)

    data = Theme.objects.create(
        name="Data people use", slug="data-people-use", description="Plainly."
    )
    trust = Theme.objects.create(name="Trust", slug="trust")
    lesson = Lesson.objects.create(
        story=public,
        statement="Ask for less data, more often.",
        kind="works",
        stream=streams["monitor"],
        condition="shared_measurement",
        practice=Practice.objects.get(version__number=1, name="A few shared measures"),
        created_by=core,
    )
    lesson.themes.set([data, trust])
    Lesson.objects.create(
        story=public, statement="Nobody read the report.", kind="doesnt_work",
        stream=streams["communicate"], position=1,
    )  # fmt: skip
    Lesson.objects.create(
        story=members_only, statement=f"Hidden {MARKER}", kind="enabling",
        stream=streams["learn"], created_by=core,
    ).themes.add(trust)  # fmt: skip
    Citation.objects.create(story=public)
    Citation.objects.create(story=public, theme=data)

    shown = make_collection(
        stories=[public, members_only], title="Open collection", slug="open-one"
    )
    Collection.objects.filter(pk=shown.pk).update(curator=core)
    CollectionItem.objects.filter(story=members_only).update(note=MARKER)
    CollectionItem.objects.filter(story=public).update(
        added_by=core, note="Why: it is honest.", notified_at=now
    )
    make_collection(stories=[public], visibility="link", title=f"Link {MARKER}")
    make_collection(
        stories=[members_only], visibility="collective", title=f"Members {MARKER}"
    )
    make_collection(published=False, title=f"Draft {MARKER}")
    build_assessments(home, lead, author)
    build_spaces(lead, author, core)
    return public


def build_spaces(lead, author, core):
    """A community of practice with a facilitator and a member, a request to
    join that was approved and one waiting: its members' own, so MARKER."""
    space = Space.objects.create(
        name=f"Evaluation practice {MARKER}",
        slug="evaluation-practice",
        purpose=f"Methods and measures. {MARKER}",
    )
    SpaceMember.objects.create(space=space, user=lead, role=SpaceRole.FACILITATOR)
    SpaceMember.objects.create(space=space, user=author)
    SpaceJoinRequest.objects.create(
        space=space,
        user=author,
        message=f"Let me in {MARKER}",
        status=SpaceJoinRequest.Status.APPROVED,
        decided_by=lead,
        decided_at=timezone.now(),
    )
    SpaceJoinRequest.objects.create(space=space, user=core, message="Me too")
    Session.objects.create(
        space=space,
        title=f"Measures that last {MARKER}",
        starts_at=datetime(2027, 1, 11, 23, 0, tzinfo=UTC),
        duration=90,
        video_link="https://meet.example.org/evaluation",
        agenda="1. Welcome",
        notes=f"We learnt {MARKER}",
        created_by=lead,
    )
    Session.objects.create(
        space=space, title="Later", starts_at=datetime(2027, 2, 1, tzinfo=UTC)
    )
    lead.time_zone = "Australia/Perth"
    lead.save(update_fields=["time_zone"])
    evaluate = Stream.objects.get(slug="evaluate")
    values = {"title": f"Measures {MARKER}", "description": "Ours.", "link": ""}
    resource_save(
        space=space,
        actor=author,
        values={**values, "stream": evaluate},
        tags=["measures", f"tag {MARKER}"],
        document=clean_document(
            SimpleUploadedFile("kept.csv", b"measure,since\nattendance,2019\n")
        ),
    )
    link = {"title": "A link", "description": "", "link": "https://example.org/a"}
    resource_save(space=space, actor=lead, values={**link, "stream": evaluate}, tags=[])


def answers_to(group, level, evidence, **fields):
    """Every practice of the group's stream at `level`, as group_save takes
    them."""
    practices = Practice.objects.filter(
        version=group.assessment.version, stream=group.stream
    )
    return {
        practice.pk: {"level": level, "evidence": evidence, **fields}
        for practice in practices
    }


def build_assessments(home, lead, author):
    """Home Town's two assessments: one still open with a few answers, made
    first but held later; one closed and shared, with targets and two groups
    on the learn stream."""
    still_open = make_assessment(
        home, lead=lead, title=f"Still at it {ASSESSED}", held_on=date(2025, 6, 2)
    )
    plan = still_open.groups.get(stream__slug="plan")
    agenda = Practice.objects.get(version__number=1, name="A shared agenda")
    voice = agenda.version.practices.get(name="Community voice in setting priorities")
    answers = {
        agenda.pk: {
            "level": 2,
            "evidence": f"Talked {ASSESSED}",
            "target_level": 3,
            "target_date": date(2026, 1, 31),
        },
        voice.pk: {"level": None, "evidence": "Not yet."},
    }
    group_save(group=plan, actor=author, revision=0, answers=answers)

    closed = assessment_start(
        community=home,
        actor=lead,
        title=f"The 2025 workshop {ASSESSED}",
        held_on=date(2025, 3, 14),
        participants=f"The backbone, two parents {ASSESSED}",
    )
    learn = Stream.objects.get(slug="learn")
    group_add(
        assessment=closed,
        actor=lead,
        stream=learn,
        name=f"Table 2 {ASSESSED}",
        member=author,
    )
    target = {"target_level": 4, "target_date": date(2026, 6, 30)}
    for group in closed.groups.all():
        level = 2 if group.member else 3
        answers = answers_to(group, level, f"Done {ASSESSED}", **target)
        group_save(group=group, actor=lead, revision=0, answers=answers, done=True)
    table_2 = closed.groups.get(member=author)
    answers = answers_to(table_2, 1, "Thought again.", target_level=None)
    group_save(group=table_2, actor=author, revision=1, answers=answers, done=True)
    assessment_close(assessment=closed, actor=lead)
    assessment_share(assessment=closed, actor=lead, shared=True)


def library_models():
    models = [Group, Stream, FrameworkVersion, Practice]
    for label in LIBRARY_APPS:
        models += apps.get_app_config(label).get_models()
    return models


def row_counts():
    return {model.__name__: model.objects.count() for model in library_models()}


def empty_the_database():
    """What a new host's migrated database holds: the streams and the
    framework's first version, nothing else."""
    for model in [Space, ResourceTag, Assessment, CollectionEvent, CollectionItem,
                  Collection, StoryEvent, Story, TaggedItem, Tag, Theme, EditorImage,
                  Invitation, JoinRequest, Membership, Community, User,
                  Group]:  # fmt: skip
        model.objects.all().delete()
    FrameworkVersion.objects.exclude(number=1).delete()  # the migrations' only
    assert rows_in_the_way() == {}


def assert_timestamps_are_automatic_again():
    """The import keeps the export's times only while it runs."""
    assert Story._meta.get_field("created_at").auto_now_add
    assert Story._meta.get_field("updated_at").auto_now
    assert Membership._meta.get_field("created_at").auto_now_add


def read_folder(root):
    """Every file of an export, by its path in the folder: library.json parsed,
    without its export time; the rest as bytes."""
    files = {}
    for path in sorted(Path(root).rglob("*")):
        if path.is_file():
            files[path.relative_to(root).as_posix()] = path.read_bytes()
    library = json.loads(files.pop("library.json"))
    library.pop("exported_at")
    return library, files


def test_an_export_imported_on_a_new_host_exports_the_same(tmp_path, media):
    public = build_library()
    seeded = Stream.objects.get(slug="plan").tagline
    Stream.objects.filter(slug="plan").update(tagline="Plan it together, our way.")
    before = row_counts()
    created_at = Story.objects.get(slug=public.slug).created_at
    said = io.StringIO()
    call_command("export_library", tmp_path / "first", stdout=said)
    assert "4 stories, 4 accounts, 3 lessons, 4 collections" in said.getvalue()

    empty_the_database()
    Stream.objects.filter(slug="plan").update(tagline=seeded)  # as migrate made it
    new_host(media, tmp_path)
    call_command("import_library", tmp_path / "first", stdout=said)
    assert "Imported 4 stories" in said.getvalue()
    assert row_counts() == before
    assert Stream.objects.get(slug="plan").tagline == "Plan it together, our way."
    assert_timestamps_are_automatic_again()
    call_command("export_library", tmp_path / "second", stdout=said)

    first, first_files = read_folder(tmp_path / "first")
    second, second_files = read_folder(tmp_path / "second")
    assert first == second
    assert first_files == second_files
    assert first["format"] == "p2s-library" and first["format_version"] == 5
    assert first["counts"]["assessments"] == 2
    assert first["counts"]["assessment_groups"] == 11  # 5 open, 5 + 1 closed
    assert first["counts"]["assessment_answers"] == 2 + 15 + 3
    assert first["counts"]["stories"] == 4 and first["counts"]["revisions"] == 2
    assert first["counts"]["spaces"] == 1
    assert first["counts"]["space_members"] == 2
    assert first["counts"]["space_join_requests"] == 2
    assert first["counts"]["space_sessions"] == 2
    assert first["counts"]["space_resources"] == 2
    shared = Resource.objects.get(kind="csv")
    assert default_storage.open(shared.file.name).read().startswith(b"measure,since")
    assert sorted(shared.tags.names()) == ["measures", f"tag {MARKER}"]
    assert first_files[f"files/{shared.file.name}"].startswith(b"measure,since")
    assert Space.objects.get().members.get(role="facilitator").user.username == (
        "lee-lead-k2"
    )
    assert first["counts"]["images"] == 3 and first["counts"]["editor_images"] == 2

    story = Story.objects.get(slug=public.slug)
    assert story.created_at == created_at
    assert story.body.startswith("# Heard\r\n\r\nÜnïcode ✓")
    assert first_files["stories/an-open-story.md"] == story.body.encode()
    assert story.staged_revision.kind == StoryRevision.Kind.STAGED
    assert [link.stream.slug for link in story.ordered_stream_links] == [
        "learn", "plan"]  # fmt: skip
    assert story.primary_stream.slug == "learn"
    assert set(story.authors.values_list("username", flat=True)) == {
        "ari-author-k2", "lee-lead-k2"}  # fmt: skip
    assert User.objects.get(username="casey-core-k2").is_core_team
    lead = User.objects.get(username="lee-lead-k2")
    assert lead.has_perm("stories.change_story") and lead.has_perm("lessons.add_theme")
    # the images are in the new host's storage, with their renditions
    for image in story.images.all():
        assert default_storage.exists(image.image.name)
        assert default_storage.exists(rendition_name(image.image.name, "card"))
    assert default_storage.exists(story.editor_images.get().image.name)
    if connection.vendor == "postgresql":
        assert not Story.objects.filter(search_vector=None).exists()


def test_the_imported_library_serves_its_pages_and_images(client, tmp_path, media):
    public = build_library()
    export_library(tmp_path / "export")
    empty_the_database()
    new_host(media, tmp_path)
    import_library(tmp_path / "export")

    page = client.get(reverse("stories:detail", args=[public.slug]))
    assert page.status_code == 200
    assert "An open story" in page.content.decode()
    story = Story.objects.get(slug=public.slug)
    assert client.get(story.cover.card["url"]).status_code == 200
    assert client.get(f"/media/{story.editor_images.get().image.name}").status_code == (
        200
    )


def test_import_refuses_a_database_that_is_not_empty(tmp_path, media):
    build_library()
    export_library(tmp_path / "export")
    before = row_counts()
    with pytest.raises(CommandError, match="isn't empty.*stories"):
        call_command("import_library", tmp_path / "export")
    assert row_counts() == before

    empty_the_database()
    make_user(username="first-admin")  # e.g. createsuperuser before importing
    with pytest.raises(LibraryError, match="holds 1 users"):
        import_library(tmp_path / "export")
    assert not Story.objects.exists()


def test_a_public_export_holds_only_what_a_visitor_sees(tmp_path, media):
    public = build_library()
    call_command("export_library", tmp_path / "open", "--public-only")
    library, files = read_folder(tmp_path / "open")
    everything = [json.dumps(library, ensure_ascii=False).encode(), *files.values()]

    forbidden = [MARKER, "@example.org", "md5$", "pbkdf2"]
    for username, (email, name) in PEOPLE.items():
        forbidden += [username, email, name]
    for text in forbidden:
        assert not any(text.casefold().encode() in part.lower() for part in everything)

    assert library["public_only"] is True
    assert {
        "accounts",
        "groups",
        "memberships",
        "join_requests",
        "invitations",
    }.isdisjoint(library)
    assert [story["slug"] for story in library["stories"]] == [public.slug]
    story = library["stories"][0]
    for private in ["authors", "revisions", "events", "comments", "flags",
                    "citations", "claimed_by", "staged_revision"]:  # fmt: skip
        assert private not in story
    assert story["storytellers"] == "The Home Town parents"
    assert [lesson["statement"] for lesson in story["lessons"]] == [
        "Ask for less data, more often.", "Nobody read the report."]  # fmt: skip
    assert all("created_by" not in lesson for lesson in story["lessons"])
    assert [lesson["practice"] for lesson in story["lessons"]] == [
        {"version": 1, "name": "A few shared measures"}, None]  # fmt: skip
    assert [tag["name"] for tag in library["tags"]] == ["Data", "shared"]
    assert [c["slug"] for c in library["collections"]] == ["open-one"]
    collection = library["collections"][0]
    assert [item["story"] for item in collection["items"]] == [public.slug]
    assert {event["story"] for event in collection["events"]} <= {public.slug, None}
    assert "curator" not in collection and "share_token" not in collection
    # the public story's two images and the diagram in its text; nothing else
    images = sorted(name for name in files if name.startswith("images/"))
    assert len(images) == 3
    assert [image["file"] for image in library["editor_images"]] == [
        name for name in images if name.startswith("images/uploads/")]  # fmt: skip
    assert {c["slug"] for c in library["communities"]} == {"home-town", "far-place"}
    assert len(library["themes"]) == 2 and len(library["streams"]) == 5
    # the framework as published, not the core team's draft of its next version
    assert [v["number"] for v in library["framework_versions"]] == [1]
    assert len(library["framework_versions"][0]["practices"]) == 15


def test_a_public_export_is_open_data_not_a_backup(tmp_path, media):
    build_library()
    export_library(tmp_path / "open", public_only=True)
    empty_the_database()
    with pytest.raises(LibraryError, match="public-only export"):
        import_library(tmp_path / "open")


def test_with_accounts_people_keep_their_logins(client, tmp_path, media):
    build_library()
    call_command("export_library", tmp_path / "export", "--with-accounts")
    library, _ = read_folder(tmp_path / "export")
    assert all(account["password"] for account in library["accounts"])
    empty_the_database()
    new_host(media, tmp_path)
    import_library(tmp_path / "export")

    response = client.post(
        reverse("accounts:login"),
        {"username": "ari.author@example.org", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert Invitation.objects.filter(
        token_hash=hash_token("the-invitation-token")
    ).exists()


def test_without_accounts_nobody_can_log_in_until_they_reset(client, tmp_path, media):
    build_library()
    export_library(tmp_path / "export")
    library, _ = read_folder(tmp_path / "export")
    assert not any("password" in account for account in library["accounts"])
    assert not any("token_hash" in invitation for invitation in library["invitations"])
    empty_the_database()
    import_library(tmp_path / "export")

    assert not any(user.has_usable_password() for user in User.objects.all())
    response = client.post(
        reverse("accounts:login"),
        {"username": "ari.author@example.org", "password": PASSWORD},
    )
    assert response.status_code == 200
    # the old invitation link no longer works; the invitation is still listed
    invitation = Invitation.objects.get()
    assert invitation.token_hash != hash_token("the-invitation-token")
    assert invitation.email == "invitee@example.org"


def test_export_refuses_a_folder_that_is_not_empty(tmp_path, media):
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "notes.txt").write_text("mine")
    with pytest.raises(CommandError, match="not an empty folder"):
        call_command("export_library", tmp_path / "used")
    with pytest.raises(CommandError):
        call_command(
            "export_library", tmp_path / "both", "--public-only", "--with-accounts"
        )


def rewrite(root, change):
    path = Path(root) / "library.json"
    library = json.loads(path.read_text())
    change(library)
    path.write_text(json.dumps(library))


def damage(case, change, message):
    return pytest.param(change, message, id=case)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        damage("newer", lambda lib: lib.update(format_version=6), "format version 6"),
        damage(
            "not-ours", lambda lib: lib.update(format="other"), "isn't a p2s-library"
        ),
        damage(
            "body-up",
            lambda lib: lib["stories"][0].update(body_file="../../secrets.md"),
            "outside the export folder",
        ),
        damage(
            "body-absolute",
            lambda lib: lib["stories"][0].update(body_file="/etc/passwd"),
            "outside the export folder",
        ),
        damage(
            "image-up",
            lambda lib: lib["editor_images"][0].update(file="images/../library.json"),
            "isn't named as the library names images",
        ),
        damage(
            "image-up-2",
            lambda lib: lib["stories"][0]["images"][0].update(
                file="images/stories/../../x.png"
            ),
            "isn't named as the library names images",
        ),
        damage(
            "shared-file-up",
            lambda lib: lib["spaces"][0]["resources"][0].update(
                file="files/../library.json"
            ),
            "isn't a shared file's name",
        ),
        damage(
            "shared-file-kind",
            lambda lib: lib["spaces"][0]["resources"][0].update(kind="pdf"),
            "isn't a shared file's name",
        ),
        damage(
            "field-missing", lambda lib: lib["stories"][0].pop("title"), "malformed"
        ),
        damage(
            "unknown-key",
            lambda lib: lib["stories"][0].update(community="nowhere"),
            "community 'nowhere' isn't in the export",
        ),
        damage(
            "unknown-practice",
            lambda lib: lib["assessments"][0]["groups"][0]["answers"][0][
                "practice"
            ].update(name="Nowhere"),
            r"practice \(1, 'Nowhere'\) isn't in the export",
        ),
        damage(
            "unknown-version",
            lambda lib: lib["assessments"][0].update(version=9),
            "framework version 9 isn't in the export",
        ),
        damage(
            "bad-day",
            lambda lib: lib["assessments"][0].update(held_on="14 March"),
            "malformed",
        ),
    ],
)
def test_import_refuses_a_damaged_export(tmp_path, media, change, message):
    build_library()
    export_library(tmp_path / "export")
    empty_the_database()
    new_host(media, tmp_path)
    rewrite(tmp_path / "export", change)
    with pytest.raises(LibraryError, match=message):
        import_library(tmp_path / "export")
    assert rows_in_the_way() == {}
    assert_timestamps_are_automatic_again()
    # nothing is left behind in the new host's storage either
    assert not any(Path(media.MEDIA_ROOT).rglob("*.*"))


def test_an_export_from_before_the_framework_was_kept_imports_and_keeps_it(
    tmp_path, media
):
    build_library()
    export_library(tmp_path / "export")
    empty_the_database()
    new_host(media, tmp_path)

    def as_format_1(library):
        del library["framework_versions"]
        library["format_version"] = 1

    rewrite(tmp_path / "export", as_format_1)
    import_library(tmp_path / "export")
    assert list(FrameworkVersion.objects.values_list("number", flat=True)) == [1]
    assert FrameworkVersion.objects.current().practices.count() == 15


def test_an_export_of_format_2_without_assessments_imports(tmp_path, media):
    build_library()
    export_library(tmp_path / "export")
    empty_the_database()
    new_host(media, tmp_path)

    def as_format_2(library):
        del library["assessments"]
        for key in ["assessments", "assessment_groups", "assessment_answers"]:
            del library["counts"][key]
        library["format_version"] = 2

    rewrite(tmp_path / "export", as_format_2)
    import_library(tmp_path / "export")
    assert not Assessment.objects.exists()
    assert Story.objects.count() == 4
    assert FrameworkVersion.objects.get(number=2).practices.count() == 15


def test_an_export_of_format_4_without_sessions_or_time_zones_imports(tmp_path, media):
    build_library()
    export_library(tmp_path / "export", with_accounts=True)
    empty_the_database()
    new_host(media, tmp_path)

    def as_format_4(library):
        for space in library["spaces"]:
            del space["sessions"]
            del space["resources"]
        for account in library["accounts"]:
            del account["time_zone"]
        del library["counts"]["space_sessions"]
        del library["counts"]["space_resources"]
        library["format_version"] = 4

    rewrite(tmp_path / "export", as_format_4)
    import_library(tmp_path / "export")
    assert Space.objects.get().members.count() == 2
    assert not Session.objects.exists()
    assert set(get_user_model().objects.values_list("time_zone", flat=True)) == {""}


def test_sessions_travel_with_a_full_export(tmp_path, media):
    build_library()
    export_library(tmp_path / "export", with_accounts=True)
    library, _ = read_folder(tmp_path / "export")
    [space] = library["spaces"]
    first, later = space["sessions"]  # by their time
    assert first["title"] == f"Measures that last {MARKER}"
    assert first["starts_at"] == "2027-01-11T23:00:00.000000+00:00"
    assert (first["duration"], first["created_by"]) == (90, "lee-lead-k2")
    assert later["created_by"] is None
    empty_the_database()
    new_host(media, tmp_path)
    import_library(tmp_path / "export")
    session = Session.objects.get(title=first["title"])
    assert session.starts_at == datetime(2027, 1, 11, 23, 0, tzinfo=UTC)
    assert session.notes == f"We learnt {MARKER}"
    assert session.created_by.username == "lee-lead-k2"
    assert session.created_by.time_zone == "Australia/Perth"


def test_assessments_travel_with_a_full_export(tmp_path, media):
    build_library()
    export_library(tmp_path / "export", with_accounts=True)
    library, _ = read_folder(tmp_path / "export")
    closed, still_open = library["assessments"]  # by day held, not by age
    assert closed["held_on"] == "2025-03-14" and closed["status"] == "closed"
    assert (closed["community"], closed["version"]) == ("home-town", 1)
    assert closed["started_by"] == "lee-lead-k2"
    streams = [s.slug for s in Stream.objects.order_by("order")]
    assert [g["stream"] for g in closed["groups"]] == sorted(
        [*streams, "learn"], key=streams.index
    )
    learn = [g for g in closed["groups"] if g["stream"] == "learn"]
    assert [g["name"] for g in learn] == [f"Table 2 {ASSESSED}", WHOLE_TABLE]
    assert learn[0]["member"] == "ari-author-k2" and learn[1]["member"] is None
    assert (learn[0]["revision"], learn[0]["saved_by"]) == (2, "ari-author-k2")
    assert still_open["groups"][0]["answers"][0] == {
        "practice": {"version": 1, "name": "A shared agenda"},
        "level": 2,
        "evidence": f"Talked {ASSESSED}",
        "target_level": 3,
        "target_date": "2026-01-31",
    }
    exported = {a.title: (a.created_at, a.closed_at) for a in Assessment.objects.all()}
    empty_the_database()
    new_host(media, tmp_path)
    import_library(tmp_path / "export")

    shared = Assessment.objects.get(title__startswith="The 2025 workshop")
    assert (shared.status, shared.is_shared) == (AssessmentStatus.CLOSED, True)
    assert shared.participants == f"The backbone, two parents {ASSESSED}"
    assert shared.started_by.username == "lee-lead-k2"
    assert shared.version.number == 1 and shared.community.slug == "home-town"
    assert {a.title: (a.created_at, a.closed_at) for a in Assessment.objects.all()} == (
        exported
    )
    table_2 = shared.groups.get(stream__slug="learn", member__isnull=False)
    assert table_2.member.username == "ari-author-k2"
    assert table_2.revision == 2 and table_2.saved_by.username == "ari-author-k2"
    assert table_2.is_done and table_2.saved_at is not None
    assert set(table_2.answers.values_list("level", "target_level")) == {(1, None)}
    whole = shared.groups.get(stream__slug="monitor")
    assert whole.answers.count() == 3 and whole.member is None
    assert set(
        whole.answers.values_list("level", "evidence", "target_level", "target_date")
    ) == {(3, f"Done {ASSESSED}", 4, date(2026, 6, 30))}
    assert all(a.practice.version_id == shared.version_id for a in Answer.objects.all())

    still_open = Assessment.objects.get(status=AssessmentStatus.OPEN)
    assert not still_open.is_shared and still_open.closed_at is None
    assert still_open.held_on == date(2025, 6, 2)
    plan = still_open.groups.get(stream__slug="plan")
    assert plan.revision == 1 and not plan.is_done
    assert list(plan.answers.values_list("practice__name", "level")) == [
        ("A shared agenda", 2),
        ("Community voice in setting priorities", None),
    ]
    assert not still_open.groups.exclude(pk=plan.pk).filter(answers__isnull=False)
    assert still_open.groups.exclude(pk=plan.pk).filter(saved_at=None).count() == 4


def test_a_public_export_holds_no_trace_of_the_assessments(tmp_path, media):
    build_library()
    assert Answer.objects.filter(evidence__contains=ASSESSED).exists()
    call_command("export_library", tmp_path / "open", "--public-only")
    files = [path for path in (tmp_path / "open").rglob("*") if path.is_file()]
    assert files
    for path in files:
        content = path.read_bytes()
        for text in [ASSESSED, WHOLE_TABLE, "2025-03-14", "2026-06-30"]:
            assert text.encode() not in content, (path, text)
    library = json.loads((tmp_path / "open" / "library.json").read_text())
    assert "assessments" not in library
    assert not [key for key in library["counts"] if "assess" in key or "answer" in key]
    assert "spaces" not in library  # nor a count of them
    assert not [key for key in library["counts"] if "space" in key]


def test_import_refuses_a_database_that_holds_an_assessment(tmp_path, media):
    build_library()
    export_library(tmp_path / "export")
    empty_the_database()
    make_assessment(make_community(slug="already-here"))
    User.objects.all().delete()  # the assessment outlives the lead who started it
    with pytest.raises(LibraryError, match="1 communities, 1 assessments and more"):
        import_library(tmp_path / "export")
    assert not Story.objects.exists()


def test_the_frameworks_draft_travels_with_a_full_export(tmp_path, media):
    build_library()
    export_library(tmp_path / "export")
    empty_the_database()
    new_host(media, tmp_path)
    import_library(tmp_path / "export")
    draft = FrameworkVersion.objects.get(number=2)
    assert not draft.is_published
    assert draft.practices.filter(name="A shared agenda, revisited").exists()
    assert FrameworkVersion.objects.current().number == 1


def jpeg_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (32, 18), "#22703a").save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<svg onload=alert(1)>", "isn't an image the library takes"),
        (png_bytes(size=(400, 300))[:80], "can't be decoded"),  # cut short
        (jpeg_bytes(), "JPEG image; the library takes PNG"),
    ],
    ids=["svg", "truncated", "jpeg-as-png"],
)
def test_import_refuses_a_file_that_is_not_the_image_it_claims(
    tmp_path, media, content, message
):
    build_library()
    export_library(tmp_path / "export")
    empty_the_database()
    new_host(media, tmp_path)
    library, files = read_folder(tmp_path / "export")
    name = next(name for name in files if name.startswith("images/stories/"))
    (tmp_path / "export" / name).write_bytes(content)
    with pytest.raises(LibraryError, match=message):
        import_library(tmp_path / "export")
    assert rows_in_the_way() == {}
    assert not any(Path(media.MEDIA_ROOT).rglob("*.*"))


def test_import_refuses_a_shared_file_that_is_not_what_its_record_says(tmp_path, media):
    build_library()
    export_library(tmp_path / "export")
    empty_the_database()
    new_host(media, tmp_path)
    library, files = read_folder(tmp_path / "export")
    name = next(name for name in files if name.startswith("files/resources/"))
    (tmp_path / "export" / name).write_bytes(b"MZ\x90\x00\x00 a program")
    with pytest.raises(LibraryError, match="can't be shared here"):
        import_library(tmp_path / "export")
    assert rows_in_the_way() == {}
    assert not any(Path(media.MEDIA_ROOT).rglob("*.*"))


def test_an_image_file_lost_from_storage_is_left_out_with_a_warning(tmp_path, media):
    public = build_library()
    lost = public.images.get(is_cover=False).image.name
    default_storage.delete(lost)
    result = export_library(tmp_path / "export")
    assert result.warnings == [f"The image file {lost} is missing; left out."]
    library, files = read_folder(tmp_path / "export")
    assert f"images/{lost}" not in files
    assert library["counts"]["images"] == 2
    empty_the_database()
    import_library(tmp_path / "export")
    assert Story.objects.get(slug=public.slug).images.count() == 1
