"""The exporter's stories and what grows from them: the themes and tags they
use, each story's record with its streams, tags, images and lessons (and,
unless the export is public, the trail that `library_io.exporting_trails`
reads), then the images in their text and the collections that gather them,
as a mixin of the exporter in `library_io.exporting`, whose `stories`,
`person`, `private`, `story_trails`, `write_body` and `copy_image` it uses."""

from collections import defaultdict
from functools import cached_property

from django.contrib.contenttypes.models import ContentType
from taggit.models import Tag, TaggedItem

from communities.models import Community
from curation.models import (
    READER_HISTORY,
    Collection,
    CollectionEvent,
    CollectionItem,
)
from lessons.models import Lesson, Theme
from library_io.layout import when
from library_io.ordering import grouped, sorted_by
from stories.models import EditorImage, Story, StoryImage, StoryStream


class StoryExporter:
    """The stories and everything that points at them, each story's record
    written with its body as Markdown beside it and its images copied."""

    # what the library knows ---------------------------------------------------------

    def themes(self):
        return sorted_by(
            "slug",
            (
                {**row, "created_at": when(row["created_at"])}
                for row in Theme.objects.values(
                    "slug", "name", "description", "created_at"
                )
            ),
        )

    def tags(self):
        tags = Tag.objects.all()
        if self.public_only:
            story_type = ContentType.objects.get_for_model(Story)
            tags = tags.filter(
                pk__in=TaggedItem.objects.filter(
                    content_type=story_type, object_id__in=self.stories.values("pk")
                ).values("tag_id")
            )
        return sorted_by("name", tags.values("name", "slug"))

    def story_records(self):
        stories = self.stories
        by_story = self.streams_tags_and_images(stories)
        by_story["lessons"] = self.lessons(stories)
        private = defaultdict(dict)
        if not self.public_only:
            private.update(self.story_trails(stories))
        taken = set()
        columns = [
            field.attname
            for field in Story._meta.concrete_fields
            if field.name != "search_vector"
        ]
        return [
            self.story_record(story, self.write_body(story, taken), by_story, private)
            for story in sorted_by("slug", stories.values(*columns))
        ]

    def streams_tags_and_images(self, stories):
        """The stories' stream links, tag names and image rows, by story id."""
        story_type = ContentType.objects.get_for_model(Story)
        streams = grouped(
            StoryStream.objects.filter(story__in=stories)
            .order_by("-is_primary", "stream__order")
            .values("story_id", "stream__slug", "is_primary"),
            "story_id",
        )
        tags = grouped(
            TaggedItem.objects.filter(
                content_type=story_type, object_id__in=stories.values("pk")
            ).values("object_id", "tag__name"),
            "object_id",
        )
        images = grouped(
            StoryImage.objects.filter(story__in=stories)
            .order_by("-is_cover", "position", "pk")
            .values(
                "story_id",
                "image",
                "width",
                "height",
                "alt_text",
                "credit",
                "caption",
                "is_cover",
                "position",
            ),
            "story_id",
        )
        return {"streams": streams, "tags": tags, "images": images}

    def story_record(self, story, body, by_story, private):
        """One story's record: `by_story` holds what every export gives of it,
        `private` what only a full export does."""
        pk = story["id"]
        record = {
            "slug": story["slug"],
            "title": story["title"],
            "summary": story["summary"],
            "body_file": body,
            "community": self.community_slugs[story["community_id"]],
        }
        self.private(record, authors=sorted(private["authors"].get(pk, [])))
        record.update(
            storytellers=story["storytellers"],
            streams=[
                {"stream": link["stream__slug"], "primary": link["is_primary"]}
                for link in by_story["streams"].get(pk, [])
            ],
            tags=sorted(row["tag__name"] for row in by_story["tags"].get(pk, [])),
            what_worked=story["what_worked"],
            what_didnt=story["what_didnt"],
            conditions=story["conditions"],
            year=story["year"],
            visibility=story["visibility"],
            status=story["status"],
            consent=story["consent"],
            is_featured=story["is_featured"],
            is_demo=story["is_demo"],
            created_at=when(story["created_at"]),
            updated_at=when(story["updated_at"]),
            published_at=when(story["published_at"]),
        )
        self.private(
            record,
            status_changed_at=when(story["status_changed_at"]),
            publish_at=when(story["publish_at"]),
            version=story["version"],
            claimed_by=self.person(story["claimed_by_id"]),
            staged_revision=private["revision_numbers"].get(
                story["staged_revision_id"]
            ),
        )
        record["images"] = self.image_records(by_story["images"].get(pk, []))
        for part in ["revisions", "events", "comments", "flags", "citations"]:
            if not self.public_only:
                record[part] = private[part].get(pk, [])
        record["lessons"] = by_story["lessons"].get(pk, [])
        return record

    @cached_property
    def community_slugs(self):
        return dict(Community.objects.values_list("pk", "slug"))

    def image_records(self, rows):
        records = []
        for row in rows:
            file = self.copy_image(row.pop("image"))
            if file is not None:
                records.append({"file": file, **row})
        return records

    def lessons(self, stories):
        lessons = Lesson.objects.filter(story__in=stories)
        themes = defaultdict(list)
        for row in Lesson.themes.through.objects.filter(lesson__in=lessons).values(
            "lesson_id", "theme__slug"
        ):
            themes[row["lesson_id"]].append(row["theme__slug"])
        by_story = defaultdict(list)
        for row in lessons.order_by("position", "pk").values(
            "id",
            "story_id",
            "statement",
            "kind",
            "stream__slug",
            "condition",
            "practice__version__number",
            "practice__version__published_at",
            "practice__name",
            "position",
            "created_by_id",
            "created_at",
            "updated_at",
        ):
            record = {
                "statement": row["statement"],
                "kind": row["kind"],
                "stream": row["stream__slug"],
                "condition": row["condition"],
                "themes": sorted(themes.get(row["id"], [])),
                "practice": self.practice_of(row),
                "position": row["position"],
            }
            self.private(record, created_by=self.person(row["created_by_id"]))
            record.update(
                created_at=when(row["created_at"]), updated_at=when(row["updated_at"])
            )
            by_story[row["story_id"]].append(record)
        return by_story

    def practice_of(self, row):
        """A lesson's practice by its version's number and its name; none in a
        public export when its version is a draft (which that export leaves
        out)."""
        draft = row["practice__version__published_at"] is None
        if row["practice__name"] is None or (self.public_only and draft):
            return None
        return {
            "version": row["practice__version__number"],
            "name": row["practice__name"],
        }

    # images in the text and collections ---------------------------------------------

    def editor_images(self):
        images = EditorImage.objects.all()
        links = Story.editor_images.through.objects.filter(story__in=self.stories)
        if self.public_only:
            images = images.filter(pk__in=links.values("editorimage_id"))
        slugs = defaultdict(list)
        for row in links.values("editorimage_id", "story__slug"):
            slugs[row["editorimage_id"]].append(row["story__slug"])
        records = []
        for row in sorted_by("image", images.values()):
            file = self.copy_image(row["image"])
            if file is None:
                continue
            record = {"file": file}
            self.private(record, owner=self.person(row["owner_id"]))
            record.update(
                width=row["width"],
                height=row["height"],
                stories=sorted(slugs.get(row["id"], [])),
                created_at=when(row["created_at"]),
            )
            records.append(record)
        return records

    def collections(self):
        collections = Collection.objects.all()
        items = CollectionItem.objects.filter(collection__in=collections)
        events = CollectionEvent.objects.filter(collection__in=collections)
        if self.public_only:
            collections = Collection.objects.visible_to(None)
            items = items.filter(story__in=self.stories)
            events = events.visible_to(None).filter(action__in=READER_HISTORY)
        by_collection = self.collection_items(items)
        history = self.collection_events(events)
        records = []
        for row in sorted_by("slug", collections.values()):
            record = {
                "slug": row["slug"],
                "title": row["title"],
                "introduction": row["introduction"],
            }
            self.private(record, curator=self.person(row["curator_id"]))
            record["visibility"] = row["visibility"]
            self.private(record, share_token=row["share_token"])
            record.update(
                published_at=when(row["published_at"]),
                created_at=when(row["created_at"]),
                updated_at=when(row["updated_at"]),
                items=by_collection.get(row["id"], []),
                events=history.get(row["id"], []),
            )
            records.append(record)
        return records

    def collection_items(self, items):
        """The collections' items, by collection id."""
        by_collection = defaultdict(list)
        for row in items.order_by("position", "pk").values(
            "collection_id",
            "story__slug",
            "position",
            "note",
            "added_by_id",
            "created_at",
            "notified_at",
        ):
            record = {
                "story": row["story__slug"],
                "position": row["position"],
                "note": row["note"],
            }
            self.private(record, added_by=self.person(row["added_by_id"]))
            record["created_at"] = when(row["created_at"])
            self.private(record, notified_at=when(row["notified_at"]))
            by_collection[row["collection_id"]].append(record)
        return by_collection

    def collection_events(self, events):
        """The collections' history, by collection id."""
        history = defaultdict(list)
        for row in events.order_by("created_at", "pk").values(
            "collection_id",
            "action",
            "story__slug",
            "story_title",
            "actor_id",
            "created_at",
        ):
            record = {
                "action": row["action"],
                "story": row["story__slug"],
                "story_title": row["story_title"],
            }
            self.private(record, actor=self.person(row["actor_id"]))
            record["created_at"] = when(row["created_at"])
            history[row["collection_id"]].append(record)
        return history
