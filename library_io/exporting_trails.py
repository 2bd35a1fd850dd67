"""What only the library's own people see of its stories, and so what a
public export leaves out: their authors, revisions, audit trail, comments,
flags and citations, by story id, as a mixin of the exporter in
`library_io.exporting`, whose `person` it uses."""

from collections import defaultdict

from lessons.models import Citation
from library_io.layout import when
from library_io.ordering import canonical, grouped
from stories.models import Story, StoryComment, StoryEvent, StoryFlag, StoryRevision


class StoryTrailExporter:
    """The trail each story leaves behind it in the library, read for a full
    export only."""

    def story_trails(self, stories):
        """What only the library's own people see: authors, revisions, the
        audit trail, comments, flags and citations, by story id."""
        authors = self.story_authors(stories)
        revisions, revision_numbers = self.story_revisions(stories)
        return {
            "authors": authors,
            "revision_numbers": revision_numbers,
            "revisions": revisions,
            "events": self.story_events(stories),
            "comments": self.story_comments(stories),
            "flags": self.story_flags(stories),
            "citations": self.story_citations(stories),
        }

    def story_authors(self, stories):
        authors = defaultdict(list)
        for row in Story.authors.through.objects.filter(story__in=stories).values(
            "story_id", "user_id"
        ):
            authors[row["story_id"]].append(self.person(row["user_id"]))
        return authors

    def story_revisions(self, stories):
        """The revisions by story id, and each revision's number by its id."""
        revisions, numbers = defaultdict(list), {}
        for row in (
            StoryRevision.objects.filter(story__in=stories)
            .order_by("story", "number")
            .values()
        ):
            numbers[row["id"]] = row["number"]
            revisions[row["story_id"]].append(
                {
                    "number": row["number"],
                    "kind": row["kind"],
                    "author": self.person(row["author_id"]),
                    "signed_off_by": self.person(row["signed_off_by_id"]),
                    "created_at": when(row["created_at"]),
                    "data": canonical(row["data"]),
                }
            )
        return revisions, numbers

    def story_events(self, stories):
        return grouped(
            (
                {
                    "story_id": row["story_id"],
                    "action": row["action"],
                    "from_status": row["from_status"],
                    "to_status": row["to_status"],
                    "note": row["note"],
                    "actor": self.person(row["actor_id"]),
                    "created_at": when(row["created_at"]),
                }
                for row in StoryEvent.objects.filter(story__in=stories)
                .order_by("created_at", "pk")
                .values()
            ),
            "story_id",
        )

    def story_comments(self, stories):
        return grouped(
            (
                {
                    "story_id": row["story_id"],
                    "author": self.person(row["author_id"]),
                    "body": row["body"],
                    "created_at": when(row["created_at"]),
                }
                for row in StoryComment.objects.filter(story__in=stories)
                .order_by("created_at", "pk")
                .values()
            ),
            "story_id",
        )

    def story_flags(self, stories):
        return grouped(
            (
                {
                    "story_id": row["story_id"],
                    "reporter": self.person(row["reporter_id"]),
                    "reason": row["reason"],
                    "created_at": when(row["created_at"]),
                    "resolved_at": when(row["resolved_at"]),
                    "resolved_by": self.person(row["resolved_by_id"]),
                }
                for row in StoryFlag.objects.filter(story__in=stories)
                .order_by("created_at", "pk")
                .values()
            ),
            "story_id",
        )

    def story_citations(self, stories):
        return grouped(
            (
                {
                    "story_id": row["story_id"],
                    "theme": row["theme__slug"],
                    "created_at": when(row["created_at"]),
                }
                for row in sorted(
                    Citation.objects.filter(story__in=stories).values(
                        "story_id", "theme__slug", "created_at"
                    ),
                    # the story's own citation (no theme) first, on any database
                    key=lambda row: (
                        row["theme__slug"] is not None,
                        row["theme__slug"],
                    ),
                )
            ),
            "story_id",
        )
