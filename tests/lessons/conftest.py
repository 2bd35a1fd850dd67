"""The same people as the story tests: a community, an author, its lead and
someone of the core team; and the synthesis tests' small library."""

from tests.lessons.synthesis_fixtures import library  # noqa: F401
from tests.stories.conftest import author, community, core, lead  # noqa: F401
