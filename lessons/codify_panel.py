"""The codifying of lessons on a story's review page (stories/review.py): the
story's lessons, and for whoever may codify, a form to add one and one to edit
each. Added to the review page when the lessons app is ready."""

from django.template.loader import render_to_string

from lessons.forms import LessonForm, practices_to_tie, streams_for
from lessons.models import Theme
from lessons.services import can_codify
from stories.review import add_panel


def codify_panel(request, story, bound):
    """The lessons section's HTML; `bound` may hold the add form
    ("lesson_form") or an edit (("editing": (lesson, form)) sent back with
    its errors."""
    codify = can_codify(request.user, story)
    lessons = list(
        story.lessons.select_related("stream", "practice__stream").prefetch_related(
            "themes"
        )
    )
    lesson_form, rows = None, [(lesson, None) for lesson in lessons]
    if codify:
        lesson_form, rows = _codify_forms(
            story, lessons, bound.get("lesson_form"), bound.get("editing")
        )
    context = {
        "story": story,
        "lessons": lessons,
        "lesson_rows": rows,
        "codify": codify,
        "lesson_form": lesson_form,
    }
    return render_to_string(
        "lessons/includes/_review_lessons.html", context, request=request
    )


def _codify_forms(story, lessons, lesson_form, editing):
    """The add form and one edit form per lesson, built from one read each of
    the streams, the themes and the practices however many lessons there are.
    `editing` is (lesson, bound form) when an edit came back with a problem."""
    streams = streams_for(story)
    themes = list(Theme.objects.all())
    practices = practices_to_tie()
    shared = {"streams": streams, "themes": themes, "practices": practices}
    if lesson_form is None:
        lesson_form = LessonForm(**shared)
    rows = []
    for lesson in lessons:
        if editing and editing[0].pk == lesson.pk:
            form = editing[1]
        else:
            form = LessonForm.for_lesson(lesson, **shared)
        rows.append((lesson, form))
    return lesson_form, rows


add_panel(codify_panel)
