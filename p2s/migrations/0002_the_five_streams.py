"""Every database gets the five streams of the Pathway to Scale."""

from django.db import migrations

STREAMS = [
    (
        1, "plan", "Plan", "#1d5a96",
        "Set shared goals, priorities and strategy with the community.",
        "Planning is where a community and its backbone agree what matters most "
        "and how they will get there together: listening widely, agreeing shared "
        "goals and priorities, and aligning the work that is already under way.",
    ),
    (
        2, "monitor", "Monitor", "#22703a",
        "Track progress and data as the work unfolds.",
        "Monitoring keeps an eye on the work while it happens: shared measures, "
        "simple data that the community can read, and regular check-ins that show "
        "early whether things are moving.",
    ),
    (
        3, "evaluate", "Evaluate", "#7a3587",
        "Assess outcomes and what caused them.",
        "Evaluation asks what changed, for whom, and why: outcomes for children "
        "and families, and the contribution the collaboration made to them.",
    ),
    (
        4, "learn", "Learn", "#a4461b",
        "Reflect, adapt and refine together.",
        "Learning turns what the community has seen into what it does next: "
        "reflection sessions, communities of practice and honest conversations "
        "about what didn't work.",
    ),
    (
        5, "communicate", "Communicate", "#a3234f",
        "Tell the story to the community, funders and policy makers.",
        "Communicating shares the journey with the people it matters to: the "
        "community itself, partners, funders and policy makers, in words and "
        "pictures they recognise.",
    ),
]


def create_streams(apps, schema_editor):
    Stream = apps.get_model("p2s", "Stream")
    for order, slug, name, colour, tagline, description in STREAMS:
        Stream.objects.update_or_create(
            slug=slug,
            defaults={
                "order": order,
                "name": name,
                "colour": colour,
                "tagline": tagline,
                "description": description,
            },
        )


def remove_streams(apps, schema_editor):
    Stream = apps.get_model("p2s", "Stream")
    Stream.objects.filter(slug__in=[row[1] for row in STREAMS]).delete()


class Migration(migrations.Migration):
    dependencies = [("p2s", "0001_initial")]

    operations = [migrations.RunPython(create_streams, remove_streams)]
