"""The words the synthetic library is made of (demo/generate.py): places
across the states and territories, names, organisations, what the stories
tell and the lessons and themes codified from them. All made up.

The words themselves are in vocabulary.toml beside this module, where long
lists stay readable; this module gives them the shapes the generator draws
from, in the file's order."""

import tomllib
from pathlib import Path

from communities.models import State
from lessons.models import Kind

VOCABULARY_FILE = Path(__file__).with_name("vocabulary.toml")
with open(VOCABULARY_FILE, "rb") as handle:
    _WORDS = tomllib.load(handle)

# {state: (weight, places)}: roughly where place-based collaborations are.
PLACES = {
    State(state): (place["weight"], place["names"])
    for state, place in _WORDS["places"].items()
}
COMMUNITY_NAMES = _WORDS["communities"]["names"]
BACKBONES = _WORDS["communities"]["backbones"]
FIRST_NAMES = _WORDS["people"]["first_names"]
LAST_NAMES = _WORDS["people"]["last_names"]
ORGANISATIONS = _WORDS["people"]["organisations"]

STREAM_SLUGS = ("plan", "monitor", "evaluate", "learn", "communicate")
# (what the story is about, the stream it mostly belongs to)
ACTIVITIES = [
    (activity, stream)
    for stream, activities in _WORDS["activities"].items()
    for activity in activities
]
TITLES = _WORDS["stories"]["titles"]
PARTNERS = _WORDS["stories"]["partners"]
OUTCOMES = _WORDS["stories"]["outcomes"]
OPENINGS = _WORDS["stories"]["openings"]
MIDDLES = _WORDS["stories"]["middles"]
CLOSINGS = _WORDS["stories"]["closings"]
QUOTES = _WORDS["stories"]["quotes"]
STEPS = _WORDS["stories"]["steps"]
WORKED = _WORDS["stories"]["worked"]
DIDNT = _WORDS["stories"]["didnt"]
CONDITIONS = _WORDS["stories"]["conditions"]
TAG_TOPICS = _WORDS["tags"]["topics"]
TAG_AREAS = _WORDS["tags"]["areas"]
TAG_PRACTICES = _WORDS["tags"]["practices"]
# (name, description)
THEMES = [(theme["name"], theme["description"]) for theme in _WORDS["themes"]]
# {kind: [statements]}
LESSONS = {Kind(kind): statements for kind, statements in _WORDS["lessons"].items()}
