"""The same people as the story tests: a community, an author, its lead and
someone of the core team."""

from tests.stories.conftest import author, community, core, lead  # noqa: F401
