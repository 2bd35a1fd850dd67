"""Two people at once, on separate database connections.

The conditional update is what makes a transition happen once. SQLite takes
one writer at a time, so the real race runs on PostgreSQL (`make test` with
DATABASE_URL set, as CI does); on SQLite it is reported as skipped.
"""

import threading

import pytest
from django.db import close_old_connections, connection

from stories.models import Status, Story, StoryEvent
from stories.services import EditConflict, story_save
from stories.workflow import Conflict, story_transition
from tests.factories import make_community, make_core, make_member, make_story

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a race needs two real connections: run with DATABASE_URL=postgres://…",
)


def run_together(*jobs):
    """Run each job in its own thread (so on its own connection), started at
    the same moment; return what each returned or raised."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def runner(index, job):
        try:
            barrier.wait(timeout=10)
            results[index] = job()
        except Exception as error:  # noqa: BLE001 - reported to the test
            results[index] = error
        finally:
            close_old_connections()
            connection.close()

    threads = [
        threading.Thread(target=runner, args=(i, job)) for i, job in enumerate(jobs)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_publishes_publish_once_with_one_event():
    for _round in range(5):  # a few rounds, so the two really meet
        core_a, core_b = make_core(), make_core()
        story = make_story(status=Status.APPROVED, consent=True)

        def publish(actor, pk=story.pk):
            # each has loaded it as approved before either moves: loading it
            # inside the race let a busy machine load it already published
            mine = Story.objects.get(pk=pk)

            def job():
                return story_transition(story=mine, actor=actor, action="publish")

            return job

        results = run_together(publish(core_a), publish(core_b))
        conflicts = [r for r in results if isinstance(r, Conflict)]
        events = [r for r in results if isinstance(r, StoryEvent)]
        assert len(events) == 1 and len(conflicts) == 1, results
        assert StoryEvent.objects.filter(story=story, action="publish").count() == 1
        assert Story.objects.get(pk=story.pk).status == Status.PUBLISHED


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_saves_from_one_version_keep_one_and_refuse_the_other():
    community = make_community()
    first, second = make_member(community), make_member(community, role="lead")
    story = make_story(status=Status.DRAFT, community=community, body="Start.")
    story.authors.add(first)
    version = story.version

    def save(author, words):
        def job():
            mine = Story.objects.get(pk=story.pk)
            data = {
                "title": mine.title, "summary": mine.summary, "body": words,
                "community": community, "storytellers": "", "what_worked": "",
                "what_didnt": "", "conditions": "", "year": 2025,
                "visibility": "public", "consent": False, "co_authors": [first],
                "streams": ["plan"], "primary_stream": "plan", "tags": [],
            }  # fmt: skip
            return story_save(author=author, data=data, story=mine,
                              expected_version=version)  # fmt: skip

        return job

    results = run_together(save(first, "First's words."), save(second, "Second's."))
    conflicts = [r for r in results if isinstance(r, EditConflict)]
    saved = [r for r in results if isinstance(r, Story)]
    assert len(saved) == 1 and len(conflicts) == 1, results
    story.refresh_from_db()
    assert story.body == saved[0].body
    assert story.version == version + 1
    assert story.revisions.count() == 1
