"""Codifying a story into lessons: adding, editing, removing and ordering them,
and telling the story's authors the first time it is cited.

Each function is one transaction. The story's row is locked first, so two
people ordering the same story's lessons at once keep the positions dense
(0..n-1) rather than doubling one up.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.template.loader import render_to_string

from common.cache import changes_library
from common.ordering import move, renumber
from lessons.models import Citation, Lesson
from notifications.mail import absolute_url, mail_after_commit
from stories.models import Status, Story

# "Any submitted or published story": from submission to publication.
CODIFIABLE = [
    Status.SUBMITTED,
    Status.AWAITING_SIGNOFF,
    Status.APPROVED,
    Status.PUBLISHED,
]
FIELDS = ["statement", "kind", "stream", "condition"]
OPTIONAL = ["practice"]  # kept as it is when `data` doesn't name it


def can_codify(user, story):
    return not why_not_codify(user, story)


def why_not_codify(user, story):
    """Why `user` can't codify `story` now, in plain words ("" if they can)."""
    if not user.is_core_team:
        return "Only the core team codifies stories into lessons."
    if story.status not in CODIFIABLE:
        return (
            f"This story is “{story.get_status_display()}”: only submitted or "
            "published stories are codified into lessons."
        )
    return ""


def _locked(story, actor):
    """The story's row, locked for this transaction, once `actor` may codify it."""
    story = Story.objects.select_for_update().get(pk=story.pk)
    reason = why_not_codify(actor, story)
    if reason:
        raise PermissionDenied(reason)
    return story


@changes_library
@transaction.atomic
def lesson_add(*, story, actor, data, request=None):
    """A new lesson at the end of the story's list."""
    story = _locked(story, actor)
    lesson = Lesson.objects.create(
        story=story,
        created_by=actor,
        position=story.lessons.count(),
        **{field: data[field] for field in FIELDS},
        **{field: data[field] for field in OPTIONAL if field in data},
    )
    lesson.themes.set(data.get("themes") or [])
    citations_record(lesson=lesson, request=request)
    return lesson


@changes_library
@transaction.atomic
def lesson_update(*, lesson, actor, data, request=None):
    story = _locked(lesson.story, actor)
    for field in FIELDS + [field for field in OPTIONAL if field in data]:
        setattr(lesson, field, data[field])
    lesson.save()
    lesson.themes.set(data.get("themes") or [])
    _cite_themes(story, lesson, request)
    return lesson


@changes_library
@transaction.atomic
def lesson_remove(*, lesson, actor):
    story = _locked(lesson.story, actor)
    lesson.delete()
    renumber(list(story.lessons.order_by("position", "pk")))


@changes_library
@transaction.atomic
def lesson_move(*, lesson, actor, direction):
    """Swap `lesson` with its neighbour above ("up") or below ("down"). Returns
    False when it is already at that end and nothing moved."""
    story = _locked(lesson.story, actor)
    return move(story.lessons.order_by("position", "pk"), lesson, direction)


# Telling the authors ----------------------------------------------------------


def citations_record(*, lesson, request=None):
    """Record that `lesson`'s story is cited, by a lesson and under each of
    its themes, and tell its authors the first time of each: after every
    write of a lesson, whoever makes it (the review page, the admin)."""
    if _first_citation(lesson.story, theme=None):
        _tell_authors(lesson.story, lesson, theme=None, request=request)
    _cite_themes(lesson.story, lesson, request)


def _first_citation(story, *, theme):
    """True only the first time `story` is cited (by a lesson when `theme` is
    None, else under `theme`). The unique constraints make a second try, even a
    concurrent one, find the first record instead."""
    _, created = Citation.objects.get_or_create(story=story, theme=theme)
    return created


def _cite_themes(story, lesson, request):
    for theme in lesson.themes.all():
        if _first_citation(story, theme=theme):
            _tell_authors(story, lesson, theme=theme, request=request)


def _tell_authors(story, lesson, *, theme, request):
    recipients = story.authors.exclude(email="").values_list("email", flat=True)
    link = absolute_url(request, story.get_review_url())
    context = {
        "story": story,
        "lesson": lesson,
        "theme": theme,
        "link": link + "#lessons",
    }
    subject = render_to_string("lessons/email/cited_subject.txt", context)
    body = render_to_string("lessons/email/cited_body.txt", context)
    what = f"citation email for story {story.pk}"
    mail_after_commit(subject, body, recipients, what=what)
