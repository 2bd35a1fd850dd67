"""The same people as the story tests (a community, an author, its lead and
someone of the core team), and a few stories of every kind to collect."""

from tests.curation.fixtures import (  # noqa: F401
    collective_story,
    core_client,
    draft_story,
    public_story,
)
from tests.stories.conftest import author, community, core, lead  # noqa: F401
