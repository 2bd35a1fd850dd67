"""The framework's versions of the self-assessment, with their practices, to
and from an export: `framework_versions`, a mixin of the exporter, and
`FrameworkLoader`, one of the loader (library_io.exporting, .importing)."""

from framework.models import PRACTICE_FIELDS, FrameworkVersion, Practice
from library_io.layout import parse_when, when


class FrameworkExporter:
    def framework_versions(self):
        """Every version, oldest first, with its practices; a public export
        leaves the drafts out."""
        versions = FrameworkVersion.objects.order_by("number")
        if self.public_only:
            versions = versions.published()
        practices = Practice.objects.filter(version__in=versions).order_by(
            "version__number", "stream__order", "position", "name"
        )
        by_version = {}
        for row in practices.values("version_id", "stream__slug", *PRACTICE_FIELDS):
            by_version.setdefault(row.pop("version_id"), []).append(
                {"stream": row.pop("stream__slug"), **row}
            )
        return [
            {
                "number": version.number,
                "name": version.name,
                "notes": version.notes,
                "created_at": when(version.created_at),
                "published_at": when(version.published_at),
                "practices": by_version.get(version.pk, []),
            }
            for version in versions
        ]


class FrameworkLoader:
    def practice_id(self, practice):
        """A lesson's practice (or an assessment's answer's), named in the
        export by version and name."""
        if practice is None:
            return None
        key = (practice["version"], practice["name"])
        return self.ref(self.practice_ids, key, "practice")

    def framework_versions(self):
        """The export's versions replace those the migrations made (nothing
        points at them yet); an export from before versions were kept (format
        1) leaves the migrations' in place."""
        if "framework_versions" in self.library:
            self.replace_framework_versions()
        self.version_ids = dict(FrameworkVersion.objects.values_list("number", "pk"))
        self.practice_ids = {
            (practice.version.number, practice.name): practice.pk
            for practice in Practice.objects.select_related("version")
        }

    def replace_framework_versions(self):
        FrameworkVersion.objects.all().delete()
        practices = []
        for row in self.library["framework_versions"]:
            version = FrameworkVersion.objects.create(
                number=row["number"],
                name=row["name"],
                notes=row["notes"],
                created_at=parse_when(row["created_at"]),
                published_at=parse_when(row["published_at"]),
            )
            practices += [
                Practice(
                    version=version,
                    stream_id=self.ref(self.stream_ids, practice["stream"], "stream"),
                    **{field: practice[field] for field in PRACTICE_FIELDS},
                )
                for practice in row["practices"]
            ]
        self.create(Practice, practices)
