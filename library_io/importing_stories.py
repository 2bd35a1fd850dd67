"""The importer's stories and what grows from them: the themes and tags they
use, the stories with their streams, authors, tags, revisions, images, audit
trail, comments, flags, citations and lessons, then the images in their text
and the collections that gather them, as a mixin of the loader in
`library_io.importing`, whose `create`, `update`, `ref`, `person` and
`community` it uses."""

from django.contrib.contenttypes.models import ContentType
from taggit.models import Tag, TaggedItem

from curation.models import Collection, CollectionEvent, CollectionItem
from lessons.models import Citation, Lesson, Theme
from library_io.layout import parse_when, storage_name
from stories.models import (
    EditorImage,
    Story,
    StoryComment,
    StoryEvent,
    StoryFlag,
    StoryImage,
    StoryRevision,
    StoryStream,
)


class StoryLoader:
    """The stories and everything that points at them, loaded once the people
    and communities they point at are in."""

    # what the library knows ---------------------------------------------------------

    def themes(self):
        made = self.create(
            Theme,
            [
                Theme(
                    slug=row["slug"],
                    name=row["name"],
                    description=row["description"],
                    created_at=parse_when(row["created_at"]),
                )
                for row in self.library.get("themes", [])
            ],
        )
        self.theme_ids = {theme.slug: theme.pk for theme in made}

    def tags(self):
        rows = self.library.get("tags", [])
        made = self.create(
            Tag, [Tag(name=row["name"], slug=row["slug"]) for row in rows]
        )
        self.tag_ids = {tag.name: tag.pk for tag in made}

    def stories(self):
        rows = self.library.get("stories", [])
        stories = self.create(
            Story,
            [
                Story(
                    slug=row["slug"],
                    title=row["title"],
                    summary=row["summary"],
                    body=self.bodies[row["slug"]],
                    community_id=self.community(row["community"]),
                    storytellers=row["storytellers"],
                    what_worked=row["what_worked"],
                    what_didnt=row["what_didnt"],
                    conditions=row["conditions"],
                    year=row["year"],
                    visibility=row["visibility"],
                    status=row["status"],
                    consent=row["consent"],
                    is_featured=row["is_featured"],
                    is_demo=row["is_demo"],
                    created_at=parse_when(row["created_at"]),
                    updated_at=parse_when(row["updated_at"]),
                    published_at=parse_when(row["published_at"]),
                    status_changed_at=parse_when(row["status_changed_at"]),
                    publish_at=parse_when(row["publish_at"]),
                    version=row["version"],
                    claimed_by_id=self.person(row["claimed_by"]),
                )
                for row in rows
            ],
        )
        self.story_ids = {story.slug: story.pk for story in stories}
        pairs = list(zip(stories, rows, strict=True))
        self.story_links(pairs)
        self.staged_revisions(pairs, self.revisions(pairs))
        self.story_parts(pairs)
        self.lessons(pairs)

    def story(self, slug, *, optional=False):
        return self.ref(self.story_ids, slug, "story", optional=optional)

    def story_links(self, pairs):
        story_type = ContentType.objects.get_for_model(Story)
        streams, authors, tags = [], [], []
        for story, row in pairs:
            for link in row["streams"]:
                streams.append(
                    StoryStream(
                        story_id=story.pk,
                        stream_id=self.ref(self.stream_ids, link["stream"], "stream"),
                        is_primary=link["primary"],
                    )
                )
            for username in row["authors"]:
                authors.append(
                    Story.authors.through(
                        story_id=story.pk, user_id=self.person(username)
                    )
                )
            for name in row["tags"]:
                tags.append(
                    TaggedItem(
                        content_type=story_type,
                        object_id=story.pk,
                        tag_id=self.ref(self.tag_ids, name, "tag"),
                    )
                )
        self.create(StoryStream, streams)
        self.create(Story.authors.through, authors)
        self.create(TaggedItem, tags)

    def revisions(self, pairs):
        """Creates the revisions; returns (story id, number) -> revision id."""
        made = self.create(
            StoryRevision,
            [
                StoryRevision(
                    story_id=story.pk,
                    number=revision["number"],
                    author_id=self.person(revision["author"]),
                    kind=revision["kind"],
                    data=revision["data"],
                    signed_off_by_id=self.person(revision["signed_off_by"]),
                    created_at=parse_when(revision["created_at"]),
                )
                for story, row in pairs
                for revision in row["revisions"]
            ],
        )
        return {(revision.story_id, revision.number): revision.pk for revision in made}

    def staged_revisions(self, pairs, revisions):
        """Each story with a staged revision pointed at it, now both exist."""
        staged = []
        for story, row in pairs:
            if row["staged_revision"] is not None:
                story.staged_revision_id = self.ref(
                    revisions, (story.pk, row["staged_revision"]), "staged revision"
                )
                staged.append(story)
        self.update(Story, staged, ["staged_revision"])

    def story_parts(self, pairs):
        """Images, the audit trail, comments, flags and citations."""
        images, events, comments, flags, citations = [], [], [], [], []
        for story, row in pairs:
            images += [self.story_image(story, image) for image in row["images"]]
            events += [self.story_event(story, event) for event in row["events"]]
            comments += [self.story_comment(story, c) for c in row["comments"]]
            flags += [self.story_flag(story, flag) for flag in row["flags"]]
            citations += [self.citation(story, c) for c in row["citations"]]
        self.create(StoryImage, images)
        self.create(StoryEvent, events)
        self.create(StoryComment, comments)
        self.create(StoryFlag, flags)
        self.create(Citation, citations)

    def story_image(self, story, image):
        return StoryImage(
            story_id=story.pk,
            image=storage_name(image["file"]),
            width=image["width"],
            height=image["height"],
            alt_text=image["alt_text"],
            credit=image["credit"],
            caption=image["caption"],
            is_cover=image["is_cover"],
            position=image["position"],
        )

    def story_event(self, story, event):
        return StoryEvent(
            story_id=story.pk,
            actor_id=self.person(event["actor"]),
            action=event["action"],
            from_status=event["from_status"],
            to_status=event["to_status"],
            note=event["note"],
            created_at=parse_when(event["created_at"]),
        )

    def story_comment(self, story, comment):
        return StoryComment(
            story_id=story.pk,
            author_id=self.person(comment["author"]),
            body=comment["body"],
            created_at=parse_when(comment["created_at"]),
        )

    def story_flag(self, story, flag):
        return StoryFlag(
            story_id=story.pk,
            reporter_id=self.person(flag["reporter"]),
            reason=flag["reason"],
            created_at=parse_when(flag["created_at"]),
            resolved_at=parse_when(flag["resolved_at"]),
            resolved_by_id=self.person(flag["resolved_by"]),
        )

    def citation(self, story, citation):
        return Citation(
            story_id=story.pk,
            theme_id=self.ref(
                self.theme_ids, citation["theme"], "theme", optional=True
            ),
            created_at=parse_when(citation["created_at"]),
        )

    def lessons(self, pairs):
        lessons, rows = [], []
        for story, row in pairs:
            for lesson in row["lessons"]:
                lessons.append(
                    Lesson(
                        story_id=story.pk,
                        statement=lesson["statement"],
                        kind=lesson["kind"],
                        stream_id=self.ref(self.stream_ids, lesson["stream"], "stream"),
                        condition=lesson["condition"],
                        practice_id=self.practice_id(lesson.get("practice")),
                        position=lesson["position"],
                        created_by_id=self.person(lesson["created_by"]),
                        created_at=parse_when(lesson["created_at"]),
                        updated_at=parse_when(lesson["updated_at"]),
                    )
                )
                rows.append(lesson)
        lessons = self.create(Lesson, lessons)
        self.create(
            Lesson.themes.through,
            [
                Lesson.themes.through(
                    lesson_id=lesson.pk,
                    theme_id=self.ref(self.theme_ids, slug, "theme"),
                )
                for lesson, row in zip(lessons, rows, strict=True)
                for slug in row["themes"]
            ],
        )

    # images in the text and collections ---------------------------------------------

    def editor_images(self):
        rows = self.library.get("editor_images", [])
        made = self.create(
            EditorImage,
            [
                EditorImage(
                    owner_id=self.person(row["owner"]),
                    image=storage_name(row["file"]),
                    width=row["width"],
                    height=row["height"],
                    created_at=parse_when(row["created_at"]),
                )
                for row in rows
            ],
        )
        self.create(
            Story.editor_images.through,
            [
                Story.editor_images.through(
                    editorimage_id=image.pk, story_id=self.story(slug)
                )
                for image, row in zip(made, rows, strict=True)
                for slug in row["stories"]
            ],
        )

    def collections(self):
        rows = self.library.get("collections", [])
        collections = self.create(
            Collection,
            [
                Collection(
                    slug=row["slug"],
                    title=row["title"],
                    introduction=row["introduction"],
                    curator_id=self.person(row["curator"]),
                    visibility=row["visibility"],
                    share_token=row["share_token"],
                    published_at=parse_when(row["published_at"]),
                    created_at=parse_when(row["created_at"]),
                    updated_at=parse_when(row["updated_at"]),
                )
                for row in rows
            ],
        )
        items, events = [], []
        for collection, row in zip(collections, rows, strict=True):
            items += [
                CollectionItem(
                    collection_id=collection.pk,
                    story_id=self.story(item["story"]),
                    position=item["position"],
                    note=item["note"],
                    added_by_id=self.person(item["added_by"]),
                    created_at=parse_when(item["created_at"]),
                    notified_at=parse_when(item["notified_at"]),
                )
                for item in row["items"]
            ]
            events += [
                CollectionEvent(
                    collection_id=collection.pk,
                    story_id=self.story(event["story"], optional=True),
                    story_title=event["story_title"],
                    action=event["action"],
                    actor_id=self.person(event["actor"]),
                    created_at=parse_when(event["created_at"]),
                )
                for event in row["events"]
            ]
        self.create(CollectionItem, items)
        self.create(CollectionEvent, events)
