"""The words the synthetic library is made of (demo/generate.py): places
across the states and territories, names, organisations, what the stories
tell and the lessons and themes codified from them. All made up."""

from communities.models import State
from lessons.models import Kind

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
