"""The self-assessment's first version: a handful of practices for each of
the five streams, each with what its four levels look like. A starting draft
in plain words, for the core team to refine in the admin: they refine it by
copying it into version 2, so results given against this one keep it."""

from django.db import migrations
from django.utils import timezone

NAME = "Pathway to Scale self-assessment (starting draft)"
NOTES = (
    "A starting draft written for the library's first release: a few "
    "practices a backbone does well in each stream, in plain words. The core "
    "team will refine it with the communities that use it; a refined "
    "framework is a new version, and assessments already made keep this one."
)

# stream: (practice, what it is, then its four levels from the lowest)
PRACTICES = {
    "plan": [
        (
            "A shared agenda",
            "The community and its partners agree on the change they want for children and how they will get there.",
            "There is no agreed agenda yet; partners each work to their own plans.",
            "A few partners have begun to talk about shared goals, but they are not written down or agreed.",
            "Shared goals and priorities are written down and agreed by most partners at the table.",
            "The agenda is agreed, owned by the whole table, and guides what partners fund and do; it is revisited as things change.",
        ),
        (
            "Community voice in setting priorities",
            "Families, young people and local leaders help decide what matters most, not only respond to plans made for them.",
            "Priorities are set by organisations without asking the community.",
            "The community is consulted once plans are drafted.",
            "Community members take part in setting priorities, and their views visibly change the plan.",
            "Community members share decisions about priorities as equals, and lead parts of the planning.",
        ),
        (
            "Partners and resources aligned",
            "Partners line up their work, staff and money with the shared plan.",
            "Partners' work and funding are not connected to a shared plan.",
            "Some partners have matched a piece of their work to the plan.",
            "Most partners can show how their work and resources serve the shared priorities.",
            "Partners routinely pool or redirect resources to the shared priorities, and new work starts from the plan.",
        ),
    ],
    "monitor": [
        (
            "A few shared measures",
            "Partners agree a small set of measures of progress and collect them the same way.",
            "There are no measures that partners share.",
            "Measures have been proposed, but partners collect different things in different ways.",
            "Partners agree a small set of measures and most collect them consistently.",
            "Shared measures are collected by all partners, trusted, and used to steer the work.",
        ),
        (
            "Data the community can read",
            "What is measured is shared back with the community in forms people can understand and question.",
            "Data stays inside organisations.",
            "Some data is shared back, but in reports few people read.",
            "Data is shared back regularly in plain words and pictures, and people discuss it.",
            "The community uses the data itself, asks for what it wants to know, and helps interpret it.",
        ),
        (
            "Regular check-ins on progress",
            "The table looks at how the work is going while it happens, and changes course early.",
            "Progress is looked at only when a report is due.",
            "Progress is discussed now and then, without a rhythm.",
            "The table reviews progress on a regular rhythm against the shared measures.",
            "Regular reviews lead to timely changes in the work, and the table can show what it changed and why.",
        ),
    ],
    "evaluate": [
        (
            "Clear outcomes and evidence",
            "The table knows which outcomes for children it is evaluating and what would count as evidence of change.",
            "Outcomes have not been defined.",
            "Outcomes are named, but what would show change is unclear.",
            "Outcomes and the evidence for them are agreed, and an evaluation plan exists.",
            "The evaluation plan is in use, the evidence is gathered as planned, and findings are trusted by partners and funders.",
        ),
        (
            "The collaboration's contribution",
            "The evaluation asks what the collaboration itself contributed to the change, not only whether outcomes moved.",
            "Only activity counts are reported.",
            "Outcomes are reported, without asking what caused them.",
            "The evaluation examines how the collaboration contributed, alongside other causes.",
            "The contribution of the collaboration is evidenced and used to decide what to keep, change or stop.",
        ),
        (
            "Evaluation with the community",
            "Community members shape the evaluation's questions and help make sense of what it finds.",
            "The evaluation is done to the community by outsiders.",
            "Community members are asked for their views as participants.",
            "Community members help shape questions and review findings.",
            "Community members co-lead the evaluation and the findings are returned to them first.",
        ),
    ],
    "learn": [
        (
            "Reflection built into the work",
            "The backbone and partners regularly stop to reflect on what worked, what didn't and why.",
            "There is no time set aside for reflection.",
            "Reflection happens informally, now and then.",
            "Regular reflection sessions are held and what is learned is written down.",
            "Reflection is part of every cycle of work, honest about failure, and shared widely.",
        ),
        (
            "Learning across communities",
            "The community learns from other communities and shares its own lessons, through communities of practice and the story library.",
            "The community works on its own.",
            "People attend the occasional cross-community session.",
            "The community takes part in communities of practice and shares stories in the library.",
            "The community both draws on and contributes to the Collective's learning, and can name what it changed because of others.",
        ),
        (
            "Adapting from what is learned",
            "What the table learns changes what it does next.",
            "Lessons are noted but nothing changes.",
            "Some lessons lead to small changes.",
            "Decisions regularly refer to what has been learned.",
            "The table can show a clear line from lessons to changes in strategy, and checks whether the changes worked.",
        ),
    ],
    "communicate": [
        (
            "Reporting back to the community",
            "The community hears what is happening and what has changed, in ways that reach the people it is about.",
            "The community is not told what the collaboration is doing.",
            "Updates go out occasionally through partners' own channels.",
            "The community hears regular updates in accessible forms.",
            "The community helps tell the story, and updates invite people in as well as inform them.",
        ),
        (
            "Telling funders and policy makers",
            "Clear messages, grounded in evidence and stories, reach the people who fund and make policy.",
            "There is no deliberate communication with decision-makers.",
            "Reports go to funders when required.",
            "The table has key messages and shares them with funders and policy makers regularly.",
            "Decision-makers seek out the community's evidence and stories, and have changed funding or policy because of them.",
        ),
        (
            "Stories told with consent",
            "Stories are codesigned with the people in them, told with their consent and signed off by the community.",
            "Stories are told without asking the people in them.",
            "Consent is asked for, but the people in a story don't see it before it goes out.",
            "Stories are told with consent and signed off by the community before they are shared.",
            "People tell their own stories, decide how they are used, and can see where they have been used.",
        ),
    ],
}


def load(apps, schema_editor):
    Version = apps.get_model("framework", "FrameworkVersion")
    Practice = apps.get_model("framework", "Practice")
    Stream = apps.get_model("framework", "Stream")
    if Version.objects.filter(number=1).exists():
        return
    now = timezone.now()
    version = Version.objects.create(
        number=1, name=NAME, notes=NOTES, created_at=now, published_at=now
    )
    streams = {stream.slug: stream for stream in Stream.objects.all()}
    for slug, practices in PRACTICES.items():
        for position, row in enumerate(practices):
            name, description, *levels = row
            Practice.objects.create(
                version=version,
                stream=streams[slug],
                position=position,
                name=name,
                description=description,
                not_started=levels[0],
                emerging=levels[1],
                developing=levels[2],
                embedded=levels[3],
            )


def unload(apps, schema_editor):
    apps.get_model("framework", "FrameworkVersion").objects.filter(
        number=1, name=NAME
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("framework", "0002_versions_and_practices")]

    operations = [migrations.RunPython(load, unload)]
