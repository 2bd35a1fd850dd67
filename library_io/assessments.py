"""The communities' self-assessments, with their groups and answers, to and
from a full export: `AssessmentExporter`, a mixin of the exporter, whose
`person` it uses, and `AssessmentLoader`, one of the loader, whose `create`,
`ref`, `person`, `community`, `stream_ids`, `version_ids` and `practice_ids`
it uses (library_io.exporting, .importing). An assessment is its
community's own, read only by the Collective: a public export never holds one,
nor says how many there are."""

from operator import itemgetter

from assessments.models import Answer, Assessment, Group
from library_io.layout import day, parse_day, parse_when, when
from library_io.ordering import grouped


class AssessmentExporter:
    """Every assessment by community, day and time started; each one's groups
    by stream and name; each group's answers in the framework's order."""

    def assessments(self):
        groups = self.assessment_groups()
        records = [
            {
                "community": row["community__slug"],
                "version": row["version__number"],
                "title": row["title"],
                "held_on": day(row["held_on"]),
                "participants": row["participants"],
                "status": row["status"],
                "is_shared": row["is_shared"],
                "started_by": self.person(row["started_by_id"]),
                "created_at": when(row["created_at"]),
                "closed_at": when(row["closed_at"]),
                "groups": groups.get(row["id"], []),
            }
            for row in Assessment.objects.order_by("pk").values(
                "id",
                "community__slug",
                "version__number",
                "title",
                "held_on",
                "participants",
                "status",
                "is_shared",
                "started_by_id",
                "created_at",
                "closed_at",
            )
        ]
        # by text, code point by code point; rows alike keep their first order,
        # which the import keeps too
        return sorted(
            records, key=itemgetter("community", "held_on", "created_at", "title")
        )

    def assessment_groups(self):
        """The groups by assessment id, each with its answers."""
        answers = self.assessment_answers()
        rows = Group.objects.order_by("pk").values(
            "id",
            "assessment_id",
            "stream__order",
            "stream__slug",
            "name",
            "member_id",
            "revision",
            "done_at",
            "saved_at",
            "saved_by_id",
        )
        return grouped(
            (
                {
                    "assessment_id": row["assessment_id"],
                    "stream": row["stream__slug"],
                    "name": row["name"],
                    "member": self.person(row["member_id"]),
                    "revision": row["revision"],
                    "done_at": when(row["done_at"]),
                    "saved_at": when(row["saved_at"]),
                    "saved_by": self.person(row["saved_by_id"]),
                    "answers": answers.get(row["id"], []),
                }
                for row in sorted(rows, key=itemgetter("stream__order", "name"))
            ),
            "assessment_id",
        )

    def assessment_answers(self):
        """The answers by group id, each practice named as a lesson's is, by
        its version's number and its name."""
        rows = Answer.objects.order_by("pk").values(
            "group_id",
            "practice__stream__order",
            "practice__position",
            "practice__version__number",
            "practice__name",
            "level",
            "evidence",
            "target_level",
            "target_date",
        )
        order = itemgetter(
            "practice__stream__order", "practice__position", "practice__name"
        )
        return grouped(
            (
                {
                    "group_id": row["group_id"],
                    "practice": {
                        "version": row["practice__version__number"],
                        "name": row["practice__name"],
                    },
                    "level": row["level"],
                    "evidence": row["evidence"],
                    "target_level": row["target_level"],
                    "target_date": day(row["target_date"]),
                }
                for row in sorted(rows, key=order)
            ),
            "group_id",
        )


class AssessmentLoader:
    """The assessments, loaded once the communities, accounts and framework
    versions they point at are in; an export from before they were kept
    (format 1 or 2) has none."""

    def assessments(self):
        rows = self.library.get("assessments", [])
        assessments = self.create(
            Assessment,
            [
                Assessment(
                    community_id=self.community(row["community"]),
                    version_id=self.ref(
                        self.version_ids, row["version"], "framework version"
                    ),
                    title=row["title"],
                    held_on=parse_day(row["held_on"]),
                    participants=row["participants"],
                    status=row["status"],
                    is_shared=row["is_shared"],
                    started_by_id=self.person(row["started_by"]),
                    created_at=parse_when(row["created_at"]),
                    closed_at=parse_when(row["closed_at"]),
                )
                for row in rows
            ],
        )
        pairs = [
            (assessment, group)
            for assessment, row in zip(assessments, rows, strict=True)
            for group in row["groups"]
        ]
        groups = self.create(
            Group, [self.assessment_group(assessment, row) for assessment, row in pairs]
        )
        self.create(
            Answer,
            [
                self.answer(group, answer)
                for group, (_, row) in zip(groups, pairs, strict=True)
                for answer in row["answers"]
            ],
        )

    def assessment_group(self, assessment, group):
        return Group(
            assessment_id=assessment.pk,
            stream_id=self.ref(self.stream_ids, group["stream"], "stream"),
            name=group["name"],
            member_id=self.person(group["member"]),
            revision=group["revision"],
            done_at=parse_when(group["done_at"]),
            saved_at=parse_when(group["saved_at"]),
            saved_by_id=self.person(group["saved_by"]),
        )

    def answer(self, group, answer):
        practice = answer["practice"]
        return Answer(
            group_id=group.pk,
            practice_id=self.ref(
                self.practice_ids, (practice["version"], practice["name"]), "practice"
            ),
            level=answer["level"],
            evidence=answer["evidence"],
            target_level=answer["target_level"],
            target_date=parse_day(answer["target_date"]),
        )
