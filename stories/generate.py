"""A synthetic library for load tests and benchmarks: communities across the
states and territories, their accounts, stories with streams, tags and
reflections, and the lessons and themes codified from them.

Everything is made up (and marked `is_demo`), drawn from a seeded random
generator so the same seed on the same database gives the same library, and
written with `bulk_create` in batches: no `save()` per row and no images, so a
hundred thousand stories load in minutes. Used by `manage.py generate_stories`.
"""

import itertools
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from communities.models import Community, Membership, Role, State
from lessons.models import Condition, Kind, Lesson, Theme
from p2s.cache import changes_library
from p2s.models import Stream
from stories.models import Status, Story, StoryStream, Visibility

BATCH_SIZE = 1000
STORIES_PER_COMMUNITY = 250
MAX_COMMUNITIES = 400

# Roughly where place-based collaborations are, by state and territory.
PLACES = {
    State.NSW: (30, ["Mount Druitt", "Claymore", "Dubbo", "Moree", "Tamworth",
                     "Wagga Wagga", "Bourke", "Kempsey", "Nowra", "Broken Hill",
                     "Lismore", "Fairfield", "Cessnock", "Taree", "Walgett"]),
    State.VIC: (25, ["Shepparton", "Mildura", "Frankston", "Dandenong", "Geelong",
                     "Ballarat", "Bendigo", "Morwell", "Broadmeadows", "Sunshine",
                     "Wodonga", "Warrnambool", "Melton", "Colac"]),
    State.QLD: (20, ["Logan", "Ipswich", "Townsville", "Cairns", "Mount Isa",
                     "Rockhampton", "Bundaberg", "Caboolture", "Mackay", "Cherbourg",
                     "Toowoomba", "Palm Island", "Gympie", "Yarrabah"]),
    State.WA: (11, ["Armadale", "Kwinana", "Geraldton", "Kalgoorlie", "Broome",
                    "Port Hedland", "Mandurah", "Albany", "Halls Creek",
                    "Fitzroy Crossing", "Bunbury", "Carnarvon"]),
    State.SA: (7, ["Elizabeth", "Port Augusta", "Whyalla", "Murray Bridge",
                   "Mount Gambier", "Ceduna", "Port Pirie", "Salisbury"]),
    State.TAS: (3, ["Bridgewater", "Burnie", "Devonport", "Launceston",
                    "Clarence Plains", "George Town"]),
    State.ACT: (2, ["Tuggeranong", "Belconnen", "Gungahlin"]),
    State.NT: (2, ["Alice Springs", "Katherine", "Tennant Creek", "Palmerston",
                   "Nhulunbuy", "Wadeye"]),
}  # fmt: skip
COMMUNITY_NAMES = [
    "{place} Together", "{place} Early Years Alliance", "Growing Up {place}",
    "{place} Kids Collective", "{place} Family Partnership", "Bright Futures {place}",
    "{place} First Thousand Days Network", "{place} Children's Partnership",
    "Thriving {place}", "{place} Village",
]  # fmt: skip
BACKBONES = [
    "{place} Neighbourhood Centre", "{place} Family Services", "{place} Council",
    "{place} Aboriginal Corporation", "{place} Community Health",
    "United {place} Foundation",
]  # fmt: skip
FIRST_NAMES = [
    "Ari", "Bronwyn", "Chloe", "Dev", "Ella", "Farid", "Grace", "Hamish", "Ivy",
    "Jarrah", "Kylie", "Liam", "Mia", "Noah", "Olivia", "Priya", "Quinn", "Ruby",
    "Sam", "Tahlia", "Uma", "Vinh", "Wiremu", "Xavier", "Yasmin", "Zoe", "Aunty Jo",
    "Uncle Ray", "Leilani", "Mohammed", "Siobhan", "Tran", "Kirra", "Lachlan",
]  # fmt: skip
LAST_NAMES = [
    "Nguyen", "Smith", "Williams", "Brown", "Wilson", "Taylor", "Martin",
    "Anderson", "Thompson", "Walker", "White", "Harris", "Kelly", "Ryan", "Singh",
    "Jackson", "Clarke", "Murray", "Campbell", "Stewart", "Wright", "Lee", "Chen",
    "O'Brien", "Hughes", "Edwards", "Morgan", "Roberts", "Watson", "Ali",
]  # fmt: skip
ORGANISATIONS = [
    "Backbone team", "Playgroup", "Primary school", "Maternal and child health",
    "Local council", "Aboriginal community controlled health service", "Library",
    "Family support service", "Parent", "Kindergarten", "Housing service",
]  # fmt: skip

STREAM_SLUGS = ("plan", "monitor", "evaluate", "learn", "communicate")
# (what the story is about, the stream it mostly belongs to)
ACTIVITIES = [
    ("a shared early years plan", "plan"),
    ("a ten-year community vision", "plan"),
    ("priorities set at a community summit", "plan"),
    ("a family-led action plan", "plan"),
    ("a place-based funding agreement", "plan"),
    ("a backbone team's first year", "plan"),
    ("a governance group with parents on it", "plan"),
    ("a community data dashboard", "monitor"),
    ("shared measurement data across six services", "monitor"),
    ("a playgroup attendance tracker", "monitor"),
    ("a school readiness survey", "monitor"),
    ("a local outcomes framework", "monitor"),
    ("a data-sharing agreement with the health service", "monitor"),
    ("quarterly check-ins with partners", "monitor"),
    ("an evaluation of the playgroup in the park", "evaluate"),
    ("a developmental census comparison", "evaluate"),
    ("a contribution analysis with families", "evaluate"),
    ("an outcomes study of the kindergarten enrolment drive", "evaluate"),
    ("a most significant change process", "evaluate"),
    ("an independent review of the family hub", "evaluate"),
    ("a reflection circle for the backbone team", "learn"),
    ("a community of practice across three towns", "learn"),
    ("a learning day after a project that failed", "learn"),
    ("a yarning circle with elders", "learn"),
    ("a peer-learning exchange with another collaboration", "learn"),
    ("a rethink of the parent advisory group", "learn"),
    ("a community report card", "communicate"),
    ("a story night at the library", "communicate"),
    ("a briefing for state policy makers", "communicate"),
    ("a short film made by young parents", "communicate"),
    ("a newsletter families actually read", "communicate"),
    ("a funders' visit to the playgroup", "communicate"),
]
TITLES = [
    "How {place} built {activity}",
    "What we learnt from {activity} in {place}",
    "{Activity}: the {place} story",
    "Starting again with {activity}",
    "When {activity} didn't go to plan",
    "{Activity}, three years on",
    "Listening first: {activity} in {place}",
    "Small steps towards {activity}",
    "Why {place} changed course on {activity}",
    "{Activity} and what it taught us",
]
PARTNERS = [
    "local playgroups", "the primary school", "maternal and child health nurses",
    "the Aboriginal community controlled health service", "the council",
    "parents and carers", "elders", "the library", "early childhood educators",
    "the housing service", "the state education department", "a local funder",
]  # fmt: skip
OUTCOMES = [
    "More families now come to playgroup each week.",
    "Kindergarten enrolments rose for the second year running.",
    "Partners now read the same data at the same table.",
    "Parents sit on the governance group and set its agenda.",
    "It didn't work the first time, and the second attempt was better for it.",
    "Funders agreed to a five-year commitment.",
    "Services stopped competing for the same families.",
    "The community can see its own progress for the first time.",
]  # fmt: skip
OPENINGS = [
    "It started with a conversation at the school gate. A group of parents in "
    "{place} said that the services around them were hard to find and harder to "
    "trust, and asked whether anyone was listening.",
    "{community} had been running for two years when the backbone team admitted "
    "that {activity} was not reaching the families it was meant for.",
    "Nobody planned {activity}. It grew out of a playgroup in {place}, where a "
    "few carers started writing down what they saw changing week by week.",
    "In {year} the partners in {community} agreed that they needed {activity}, "
    "and that it had to be built with the community rather than for it.",
]
MIDDLES = [
    "We began by asking {partner} what they already knew. Most of the answers "
    "were in people's heads, not in any report, so we spent the first months "
    "listening and writing things down.",
    "The backbone team worked with {partner} and {partner2} to agree on three "
    "shared measures. Everyone could explain them in a sentence, which turned "
    "out to matter more than how precise they were.",
    "There were setbacks. A key worker left, funding for the second year was "
    "late, and one partner pulled out. We kept meeting, kept the data simple "
    "and kept families at the table.",
    "Families told us the forms were the problem, so we threw them out and "
    "started again with a single page. Attendance at the playgroup doubled "
    "within a term.",
    "Elders guided how we gathered stories and who owned them. Data sovereignty "
    "was not a policy on paper but a practice we agreed on together.",
    "We shared the early results at a community barbecue rather than in a "
    "report. People argued about them, which was exactly the point.",
]
CLOSINGS = [
    "{outcome} There is still a long way to go, but the community now owns the "
    "work and the backbone team follows its lead.",
    "{outcome} What we would tell another community: start smaller than you "
    "think, and say out loud what isn't working.",
    "{outcome} The next step is to take what we learnt to the state government, "
    "so that funding follows what families say they need.",
]
QUOTES = [
    "We stopped asking families to come to us and went to where they already were.",
    "The data only mattered once the community could read it for themselves.",
    "Being honest about what failed is what made partners trust us.",
    "It took three years to get to the starting line, and that was the work.",
]  # fmt: skip
STEPS = [
    "Map who is already doing what", "Ask families what gets in the way",
    "Agree on a few shared measures", "Meet monthly, even when there's no news",
    "Share results with the community first", "Write down what didn't work",
    "Invite funders to see the work for themselves",
]  # fmt: skip
WORKED = [
    "Meeting families where they already were: the playgroup, the school gate, "
    "the footy club.",
    "A small set of shared measures that every partner could explain.",
    "Having parents on the governance group from the first meeting.",
    "Monthly check-ins that kept momentum when people changed roles.",
    "Letting elders lead how stories were gathered and shared.",
]
DIDNT = [
    "Long surveys: most families never finished them.",
    "Reporting to funders before reporting to the community.",
    "Assuming every service measured things the same way.",
    "Trying to do everything in the first year.",
    "Relying on one champion who then moved away.",
]
CONDITIONS = [
    "Patient funding that allowed for a slow start.",
    "A backbone team trusted by both services and families.",
    "Data-sharing agreements signed early.",
    "A council willing to hand over decisions.",
    "Time set aside to reflect, not just deliver.",
]
TAG_TOPICS = [
    "playgroups", "school readiness", "kindergarten", "maternal health",
    "first 1000 days", "literacy", "numeracy", "child development", "parenting",
    "grandparents", "fathers", "young parents", "foster care", "disability",
    "mental health", "family violence", "housing", "food security", "transport",
    "employment", "youth", "schools", "libraries", "sport", "arts", "music",
    "culture", "language", "elders", "Aboriginal-led", "Torres Strait Islander",
    "refugee families", "multicultural", "remote", "regional", "outer suburbs",
    "rural", "drought", "bushfire recovery", "flood recovery", "COVID-19",
    "data sovereignty", "shared measurement", "common agenda", "backbone",
    "governance", "funding", "philanthropy", "policy", "advocacy", "trust",
    "co-design", "community voice", "storytelling", "report cards", "dashboards",
    "surveys", "census", "evaluation", "reflection", "failure", "scaling",
    "sustainability", "workforce", "volunteers", "partnerships", "collective impact",
    "systems change", "early intervention", "prevention", "health services",
    "allied health", "speech pathology", "dental health", "nutrition",
    "breastfeeding", "immunisation", "antenatal care", "sleep", "play",
    "outdoor learning", "nature play", "community gardens", "hubs",
    "service navigation", "outreach", "home visiting", "case management",
    "social prescribing", "digital inclusion", "newsletters", "social media",
    "film", "photography", "events", "celebrations",
]  # fmt: skip
TAG_AREAS = [
    "early years", "family", "community", "school", "health", "youth", "data",
    "service", "place-based", "local",
]  # fmt: skip
TAG_PRACTICES = [
    "partnerships", "measures", "workforce", "planning", "governance", "funding",
    "outreach", "reporting", "evaluation", "coordination", "engagement",
    "leadership", "networks", "training", "advocacy", "hubs", "policy",
    "navigation", "research", "innovation",
]  # fmt: skip
THEMES = [
    ("Community voice in every decision", "Families and community members shape "
     "priorities, read the data and tell the story."),
    ("Data people actually use", "Shared measures that partners and families "
     "understand, trust and act on."),
    ("Patient, long-term funding", "What it takes for funders to back place-based "
     "work for the decade it needs."),
    ("Aboriginal and Torres Strait Islander leadership", "Work led by First "
     "Nations communities and organisations, on their terms."),
    ("Services that work together", "Partners who stop competing and start "
     "coordinating around families."),
    ("Sustaining momentum", "Keeping the work going through changes of people, "
     "funding and priorities."),
    ("Influencing policy", "Taking what communities learn to governments and "
     "funders so that systems change."),
    ("Being honest about what didn't work", "Stories of things that went wrong, "
     "shared so others don't repeat them."),
    ("Learning together across places", "Communities of practice that spread "
     "what works."),
    ("Trust before programs", "Relationships that have to exist before any "
     "program can succeed."),
    ("Backbone capability", "The skills, size and standing a backbone team needs."),
    ("Reaching the families most missed", "Outreach to the families services "
     "find hardest to reach."),
]  # fmt: skip
LESSONS = {
    Kind.WORKS: [
        "Start with what families already use, not with a new service.",
        "A few shared measures everyone can explain beat a long list.",
        "Report back to the community before reporting to funders.",
        "Parents on the governance group change what gets decided.",
        "Regular check-ins keep partners aligned when staff change.",
        "Elders leading the process builds trust that lasts.",
    ],
    Kind.DOESNT_WORK: [
        "Long surveys lose the families you most need to hear from.",
        "One champion is not a strategy: the work stalls when they leave.",
        "Doing everything in year one spreads the backbone too thin.",
        "Data collected for funders alone is rarely used locally.",
    ],
    Kind.ENABLING: [
        "Multi-year funding gives the work time to find its feet.",
        "A data-sharing agreement signed early saves months later.",
        "A council willing to share decisions opens doors.",
        "Protected time for reflection keeps learning from being squeezed out.",
    ],
}
# Published stories dominate; the rest spread over the workflow.
STATUSES = [
    (Status.PUBLISHED, 85), (Status.DRAFT, 4), (Status.SUBMITTED, 3),
    (Status.CHANGES_REQUESTED, 1), (Status.AWAITING_SIGNOFF, 2),
    (Status.APPROVED, 1), (Status.REJECTED, 1), (Status.WITHDRAWN, 1),
    (Status.ARCHIVED, 2),
]  # fmt: skip
_STATUSES = [status for status, _ in STATUSES]
_STATUS_TOTALS = list(itertools.accumulate(weight for _, weight in STATUSES))
COLLECTIVE_SHARE = 0.12
FEATURED_SHARE = 0.002
LESSON_SHARE = 0.35
FIRST_YEAR, LAST_YEAR = 2012, 2025


@dataclass
class Generated:
    """What one run added."""

    communities: int = 0
    accounts: int = 0
    stories: int = 0
    tags: int = 0
    lessons: int = 0
    status_counts: dict = field(default_factory=dict)
    added: object = None  # a queryset of the stories added


@changes_library
def generate_library(*, count, seed=1, progress=None, batch_size=BATCH_SIZE):
    """Add `count` synthetic stories (with their communities, accounts, tags
    and lessons) to the database. `progress(done, total)` is called after each
    batch. Refused where demo content isn't allowed (production). `bulk_create`
    skips `save()` and its signals, so the caller then refreshes the search
    vectors of `result.added` (stories.search.refresh_search_vectors)."""
    if not settings.P2S_DEMO_ALLOWED:
        raise ImproperlyConfigured(
            "Generated content is not allowed in this configuration."
        )
    rng = random.Random(seed)
    result = Generated()
    with transaction.atomic():
        communities = _communities(rng, _community_count(count))
        members = _accounts(rng, communities)
        result.communities = len(communities)
        result.accounts = sum(len(people) for people in members.values())
        streams = {stream.slug: stream for stream in Stream.objects.all()}
        tag_names = _tag_vocabulary(rng)
        tags = _tags(tag_names)
        result.tags = len(tag_names)
        themes = _themes()
    # a few busy communities and many quieter ones; a long tail of tags
    activity = [rng.random() ** 2 + 0.05 for _ in communities]
    pick_community = _picker(rng, communities, activity)
    popularity = [1 / (rank + 1) ** 0.7 for rank in range(len(tag_names))]
    pick_tag = _picker(rng, tag_names, popularity)
    story_type = ContentType.objects.get_for_model(Story)
    start = Story.objects.aggregate(last=Max("pk"))["last"] or 0
    done = 0
    if progress:
        progress(0, count)
    while done < count:
        size = min(batch_size, count - done)
        drafts = []
        for index in range(size):
            names = dict.fromkeys(pick_tag(rng.randint(2, 6)))
            drafts.append(
                _story_draft(
                    rng,
                    number=start + done + index + 1,
                    community=pick_community(1)[0],
                    tags=[tags[name.lower()] for name in names],
                )
            )
        with transaction.atomic():
            stories = Story.objects.bulk_create([draft.story for draft in drafts])
            result.lessons += _story_rows(
                rng, drafts, stories, streams, members, story_type, themes
            )
        for story in stories:
            result.status_counts[story.status] = (
                result.status_counts.get(story.status, 0) + 1
            )
        done += size
        result.stories = done
        if progress:
            progress(done, count)
    result.added = Story.objects.filter(pk__gt=start)
    return result


def _community_count(count):
    return max(3, min(MAX_COMMUNITIES, round(count / STORIES_PER_COMMUNITY)))


def _communities(rng, number):
    taken = set(Community.objects.values_list("slug", flat=True))
    states = list(PLACES)
    state_weights = [PLACES[state][0] for state in states]
    rows = []
    for _ in range(number):
        state = rng.choices(states, state_weights)[0]
        place = rng.choice(PLACES[state][1])
        name = rng.choice(COMMUNITY_NAMES).format(place=place)
        slug = _unique(slugify(name)[:70], taken)
        backbone = rng.choice(BACKBONES).format(place=place)
        rows.append(
            Community(
                name=name,
                slug=slug,
                state=state,
                place=place,
                backbone_organisation=backbone,
                description=(
                    f"A place-based collaboration in {place}, backed by {backbone}, "
                    "working with families so that every child has a good start."
                ),
                is_demo=True,
            )
        )
    return Community.objects.bulk_create(rows)


def _accounts(rng, communities):
    """A lead and a few members for each community: {community pk: [users]}."""
    User = get_user_model()
    taken = set(User.objects.values_list("username", flat=True))
    unusable = make_password(None)  # generated people never sign in
    plan = []
    for community in communities:
        for index in range(rng.randint(3, 5)):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            username = _unique(slugify(f"{first} {last}"), taken)
            user = User(
                username=username,
                email=f"{username}@example.org",
                name=f"{first} {last}",
                organisation=rng.choice(ORGANISATIONS),
                is_approved=rng.random() < 0.9,
                password=unusable,
            )
            plan.append((community, user, Role.LEAD if index == 0 else Role.MEMBER))
    users = User.objects.bulk_create([user for _, user, _ in plan])
    Membership.objects.bulk_create(
        Membership(community=community, user=user, role=role)
        for (community, _, role), user in zip(plan, users, strict=True)
    )
    members = {}
    for (community, _, _), user in zip(plan, users, strict=True):
        members.setdefault(community.pk, []).append(user)
    return members


def _unique(slug, taken):
    candidate, number = slug, 1
    while candidate in taken:
        number += 1
        candidate = f"{slug}-{number}"
    taken.add(candidate)
    return candidate


def _tag_vocabulary(rng):
    """A few hundred tag names in a fixed order: the first are used most."""
    names = TAG_TOPICS + [f"{a} {p}" for a in TAG_AREAS for p in TAG_PRACTICES]
    names = list({name.lower(): name for name in reversed(names)}.values())[::-1]
    rng.shuffle(names)
    return names


def _tags(names):
    """{lowercased name: Tag}, creating the ones the database doesn't have
    (tags are case-insensitive)."""
    existing = {tag.name.lower(): tag for tag in Tag.objects.all()}
    slugs = {tag.slug for tag in existing.values()}
    missing = [
        Tag(name=name, slug=_unique(slugify(name), slugs))
        for name in names
        if name.lower() not in existing
    ]
    for tag in Tag.objects.bulk_create(missing):
        existing[tag.name.lower()] = tag
    return existing


def _picker(rng, population, weights):
    """`pick(k)`: k weighted draws, with the running totals worked out once."""
    totals = list(itertools.accumulate(weights))
    return lambda k: rng.choices(population, cum_weights=totals, k=k)


def _themes():
    themes = []
    for name, description in THEMES:
        theme, _ = Theme.objects.get_or_create(
            slug=slugify(name), defaults={"name": name, "description": description}
        )
        themes.append(theme)
    return themes


@dataclass
class _Draft:
    story: Story
    streams: list
    tags: list


def _story_draft(rng, *, number, community, tags):
    activity, stream = rng.choice(ACTIVITIES)
    place = community.place
    title = rng.choice(TITLES).format(
        place=place, activity=activity, Activity=activity[0].upper() + activity[1:]
    )
    year = rng.randint(FIRST_YEAR, LAST_YEAR)
    status = rng.choices(_STATUSES, cum_weights=_STATUS_TOTALS)[0]
    published_at = None
    if status in (Status.PUBLISHED, Status.ARCHIVED):
        start = datetime(min(year + 1, LAST_YEAR), 1, 1, tzinfo=UTC)
        published_at = start + timedelta(seconds=rng.randint(0, 365 * 24 * 3600))
    partner, partner2 = rng.sample(PARTNERS, 2)
    outcome = rng.choice(OUTCOMES)
    summary = f"{community.name} worked with {partner} on {activity}. {outcome}"
    words = dict(place=place, community=community.name, activity=activity, year=year,
                 partner=partner, partner2=partner2, outcome=outcome)  # fmt: skip
    others = [slug for slug in STREAM_SLUGS if slug != stream]
    streams = [stream] + rng.sample(others, rng.choice((0, 0, 1, 1, 2)))
    story = Story(
        title=title,
        slug=f"{slugify(title)[:80]}-{number}",
        summary=summary[:300],
        body=_body(rng, words),
        community=community,
        storytellers=rng.choice(
            [
                "",
                "Anonymous",
                f"The {community.name} backbone team",
                f"Parents and carers in {place}",
                rng.choice(FIRST_NAMES),
            ]
        ),
        what_worked=rng.choice(WORKED) if rng.random() < 0.7 else "",
        what_didnt=rng.choice(DIDNT) if rng.random() < 0.6 else "",
        conditions=rng.choice(CONDITIONS) if rng.random() < 0.5 else "",
        year=year,
        visibility=(
            Visibility.COLLECTIVE
            if rng.random() < COLLECTIVE_SHARE
            else Visibility.PUBLIC
        ),
        status=status,
        consent=status not in (Status.DRAFT, Status.WITHDRAWN) or rng.random() < 0.5,
        is_featured=status == Status.PUBLISHED and rng.random() < FEATURED_SHARE,
        is_demo=True,
        published_at=published_at,
        status_changed_at=published_at or datetime(year, 6, 1, tzinfo=UTC),
    )
    return _Draft(story=story, streams=streams, tags=tags)


def _body(rng, words):
    paragraphs = [rng.choice(OPENINGS).format(**words)]
    paragraphs.append("## What we did")
    paragraphs += [
        text.format(**words) for text in rng.sample(MIDDLES, rng.randint(1, 3))
    ]
    if rng.random() < 0.5:
        steps = rng.sample(STEPS, rng.randint(3, 5))
        paragraphs.append("\n".join(f"1. {step}" for step in steps))
    if rng.random() < 0.5:
        paragraphs.append(f"> {rng.choice(QUOTES)}")
    paragraphs.append("## What changed")
    paragraphs.append(rng.choice(CLOSINGS).format(**words))
    return "\n\n".join(paragraphs)


def _story_rows(rng, drafts, stories, streams, members, story_type, themes):
    """Streams, tags, authors and lessons of a batch of stories just created;
    returns how many lessons."""
    links, tagged, authors, lessons, lesson_themes = [], [], [], [], []
    Authors = Story.authors.through
    for draft, story in zip(drafts, stories, strict=True):
        links += [
            StoryStream(story=story, stream=streams[slug], is_primary=index == 0)
            for index, slug in enumerate(draft.streams)
        ]
        tagged += [
            TaggedItem(tag=tag, content_type=story_type, object_id=story.pk)
            for tag in draft.tags
        ]
        people = members[story.community_id]
        authors += [
            Authors(story=story, user=user)
            for user in rng.sample(people, rng.choice((1, 1, 1, 2)))
        ]
        if story.status == Status.PUBLISHED and rng.random() < LESSON_SHARE:
            for position in range(rng.randint(1, 3)):
                kind = rng.choice(list(LESSONS))
                lessons.append(
                    Lesson(
                        story=story,
                        statement=rng.choice(LESSONS[kind]),
                        kind=kind,
                        stream=streams[rng.choice(draft.streams)],
                        condition=(
                            rng.choice(Condition.values) if rng.random() < 0.6 else ""
                        ),
                        position=position,
                    )
                )
                lesson_themes.append(rng.sample(themes, rng.randint(1, 2)))
    StoryStream.objects.bulk_create(links, batch_size=5000)
    TaggedItem.objects.bulk_create(tagged, batch_size=5000)
    Authors.objects.bulk_create(authors, batch_size=5000)
    lessons = Lesson.objects.bulk_create(lessons, batch_size=5000)
    LessonThemes = Lesson.themes.through
    LessonThemes.objects.bulk_create(
        [
            LessonThemes(lesson=lesson, theme=theme)
            for lesson, chosen in zip(lessons, lesson_themes, strict=True)
            for theme in chosen
        ],
        batch_size=5000,
    )
    return len(lessons)
