"""Reading an export folder into an empty database: every row and relation,
its timestamps kept, the images copied into storage with their renditions."""

import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from taggit.models import Tag

from assessments.models import Assessment
from common.cache import changes_library
from communities.models import Community, Invitation, JoinRequest, Membership, User
from curation.models import Collection
from discovery.search import refresh_search_vectors
from lessons.models import Citation, Lesson, Theme
from library_io.assessments import AssessmentLoader
from library_io.framework import FrameworkLoader
from library_io.importing_files import (
    image_files,
    make_renditions_of,
    read_bodies,
    remove_images,
    store_image,
)
from library_io.importing_people import PeopleLoader
from library_io.importing_stories import StoryLoader
from library_io.layout import FORMAT, FORMAT_VERSION, LIBRARY_JSON, LibraryError
from library_io.spaces import SpaceLoader, resource_files
from spaces.models import Resource, Session, Space, SpaceJoinRequest, SpaceMember
from stories.models import EditorImage, Story, StoryComment, StoryFlag, StoryRevision

BATCH = 1000
# Whatever of these holds a row makes the database "not empty". The streams
# aren't among them: the migrations make them, and the import replaces them.
LIBRARY_APPS = [
    "communities",
    "stories",
    "lessons",
    "curation",
    "assessments",
    "spaces",
    "taggit",
]


@dataclass
class ImportResult:
    counts: dict
    images: int = 0
    warnings: list = field(default_factory=list)


def read_library(path):
    """library.json of the folder `path`, checked to be an export this code
    can read into a database."""
    root = Path(path)
    try:
        with open(root / LIBRARY_JSON, encoding="utf-8") as handle:
            library = json.load(handle)
    except FileNotFoundError as missing:
        raise LibraryError(
            f"{root} holds no {LIBRARY_JSON}: it isn't an export, or the export "
            "didn't finish."
        ) from missing
    except (UnicodeDecodeError, json.JSONDecodeError) as broken:
        raise LibraryError(f"{LIBRARY_JSON} can't be read: {broken}") from broken
    if not isinstance(library, dict) or library.get("format") != FORMAT:
        raise LibraryError(f"{LIBRARY_JSON} isn't a {FORMAT} export.")
    version = library.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise LibraryError(
            f"This export is in format version {version}; this code reads up to "
            f"version {FORMAT_VERSION}. Import it with a newer release."
        )
    if library.get("public_only"):
        raise LibraryError(
            "This is a public-only export (open data): it has no accounts, "
            "revisions or history, so it can't restore a library. Import a full "
            "export."
        )
    return library


def rows_in_the_way():
    """How many rows of the library the database already holds, by model."""
    found = {}
    models = [Group]
    for label in LIBRARY_APPS:
        models += apps.get_app_config(label).get_models()
    for model in models:
        if not model._meta.proxy and (count := model._default_manager.count()):
            found[model] = count
    return found


def refuse_unless_empty():
    found = rows_in_the_way()
    if found:
        named = [User, Group, Community, Story, Theme, Tag, Collection, Assessment]
        listed = [
            f"{found[model]:,} {model._meta.verbose_name_plural}"
            for model in named
            if model in found
        ]
        more = " and more" if set(found) - set(named) else ""
        raise LibraryError(
            f"The database isn't empty: it holds {', '.join(listed)}{more}. "
            "import_library only reads into an empty database: make a new one, "
            "run `manage.py migrate`, then import."
        )


@changes_library
def import_library(path):
    """Read the export in the folder `path` into this (empty) database."""
    root = Path(path)
    library = read_library(root)
    refuse_unless_empty()
    with _malformed():
        bodies = read_bodies(root, library)
        files = {**image_files(root, library), **resource_files(root, library)}
    result = ImportResult(counts=library.get("counts", {}))
    copied = []
    try:
        for name, source in files.items():
            store_image(name, source)
            copied.append(name)
        make_renditions_of(name for name in copied if name.startswith("stories/"))
        with transaction.atomic(), _malformed():
            refuse_unless_empty()
            _Loader(library, bodies, result).load()
    except BaseException:
        remove_images(copied)
        raise
    result.images = len([name for name in copied if not name.startswith("resources/")])
    refresh_search_vectors()
    return result


@contextmanager
def _malformed():
    """A field missing or of the wrong kind in library.json, said as such."""
    try:
        yield
    except (KeyError, TypeError, ValueError) as malformed:
        raise LibraryError(f"{LIBRARY_JSON} is malformed: {malformed!r}") from malformed


TIMESTAMPED = [
    Membership,
    JoinRequest,
    Invitation,
    Theme,
    Story,
    StoryRevision,
    StoryComment,
    StoryFlag,
    Lesson,
    Citation,
    EditorImage,
    Collection,
    Assessment,
    Space,
    SpaceMember,
    SpaceJoinRequest,
    Session,
    Resource,
]


@contextmanager
def _timestamps_as_given():
    """bulk_create stamps `auto_now` and `auto_now_add` fields with the time of
    the import; while this lasts they keep the times given, the export's.
    (Setting them afterwards with bulk_update took longer than the rest of
    the import.) Safe in the import's own process, where nothing else saves
    rows meanwhile; put back however the import ends."""
    stamps = [
        stamp
        for model in TIMESTAMPED
        for stamp in model._meta.concrete_fields
        if getattr(stamp, "auto_now", False) or getattr(stamp, "auto_now_add", False)
    ]
    saved = [(stamp, stamp.auto_now, stamp.auto_now_add) for stamp in stamps]
    for stamp in stamps:
        stamp.auto_now = stamp.auto_now_add = False
    try:
        yield
    finally:
        for stamp, auto_now, auto_now_add in saved:
            stamp.auto_now, stamp.auto_now_add = auto_now, auto_now_add


class _Loader(
    PeopleLoader, FrameworkLoader, StoryLoader, AssessmentLoader, SpaceLoader
):
    """Creates the rows in dependency order with bulk_create, keeping natural
    key -> id maps to join them up. The rows themselves are made by the
    mixins: people and places first, then the stories that point at them,
    then the assessments and the communities of practice."""

    def __init__(self, library, bodies, result):
        self.library = library
        self.bodies = bodies
        self.result = result
        self.users = {}

    def create(self, model, objects):
        return model._default_manager.bulk_create(objects, batch_size=BATCH)

    def update(self, model, objects, fields):
        model._default_manager.bulk_update(objects, fields, batch_size=BATCH)

    def ref(self, mapping, key, what, *, optional=False):
        if key is None and optional:
            return None
        try:
            return mapping[key]
        except (KeyError, TypeError) as unknown:
            raise LibraryError(f"The {what} {key!r} isn't in the export.") from unknown

    def person(self, username):
        if username is None:
            return None
        return self.ref(self.users, username, "account")

    def load(self):
        self.streams()
        self.framework_versions()
        self.permissions = {
            f"{p.content_type.app_label}.{p.codename}": p.pk
            for p in Permission.objects.select_related("content_type")
        }
        with _timestamps_as_given():
            self.groups()
            self.accounts()
            self.communities()
            self.memberships()
            self.join_requests()
            self.invitations()
            self.themes()
            self.tags()
            self.stories()
            self.editor_images()
            self.collections()
            self.assessments()
            self.spaces()
