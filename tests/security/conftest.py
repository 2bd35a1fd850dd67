"""The story tests' people (a community, an author in it and its lead) for the
security tests; test_adversarial.py brings its own core team member, who is
also an admin."""

from tests.stories.conftest import author, community, lead  # noqa: F401
