"""The core team codifies a story into lessons from its review page.

Every change is a plain form POST that lands back on the review page at
#lessons, so it all works without JavaScript. Whoever may read the story but
not codify it gets 403; whoever may not read it gets 404, as on the review page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from lessons import services
from lessons.forms import LessonForm, streams_for
from lessons.models import Lesson
from stories.review import readable_story, review_page
from stories.workflow import roles_of


def _codifiable_story(request, slug):
    story = readable_story(request, slug)
    reason = services.why_not_codify(request.user, story)
    if reason:
        raise PermissionDenied(reason)
    return story


def _lesson_of(story, pk):
    return get_object_or_404(
        Lesson.objects.select_related("story", "stream").prefetch_related("themes"),
        pk=pk,
        story=story,
    )


def _back_to_lessons(story):
    return redirect(story.get_review_url() + "#lessons")


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def lesson_add(request, slug):
    """POST adds a lesson; a mistake shows the review page again (400) with the
    errors beside the fields. GET shows the form on a page of its own."""
    story = _codifiable_story(request, slug)
    if request.method != "POST":
        form = LessonForm(streams=streams_for(story))
        return _form_page(request, story, form)
    form = LessonForm(request.POST, streams=streams_for(story))
    if not form.is_valid():
        roles = roles_of(request.user, story)
        return review_page(
            request, story, roles, bound={"lesson_form": form}, status=400
        )
    services.lesson_add(
        story=story, actor=request.user, data=form.cleaned_data, request=request
    )
    messages.success(request, "The lesson is added.")
    return _back_to_lessons(story)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def lesson_edit(request, slug, pk):
    """Each lesson's edit form is on the review page, folded in a <details>;
    a mistake shows the review page again (400) with that form open and the
    errors beside its fields. GET shows the form on a page of its own, for a
    link or a bookmark."""
    story = _codifiable_story(request, slug)
    lesson = _lesson_of(story, pk)
    bound = request.POST if request.method == "POST" else None
    form = LessonForm.for_lesson(lesson, bound, streams=streams_for(story))
    if request.method != "POST":
        return _form_page(request, story, form, lesson=lesson)
    if not form.is_valid():
        roles = roles_of(request.user, story)
        return review_page(
            request, story, roles, bound={"editing": (lesson, form)}, status=400
        )
    services.lesson_update(
        lesson=lesson, actor=request.user, data=form.cleaned_data, request=request
    )
    messages.success(request, "The lesson is saved.")
    return _back_to_lessons(story)


@require_POST
@login_required
def lesson_remove(request, slug, pk):
    story = _codifiable_story(request, slug)
    lesson = _lesson_of(story, pk)
    services.lesson_remove(lesson=lesson, actor=request.user)
    messages.success(request, f"The lesson “{lesson.statement}” is removed.")
    return _back_to_lessons(story)


@require_POST
@login_required
def lesson_move(request, slug, pk, direction):
    if direction not in ("up", "down"):
        raise Http404("No such direction.")
    story = _codifiable_story(request, slug)
    lesson = _lesson_of(story, pk)
    if services.lesson_move(lesson=lesson, actor=request.user, direction=direction):
        messages.success(request, f"The lesson is moved {direction}.")
    else:
        where = "first" if direction == "up" else "last"
        messages.info(request, f"The lesson is already {where}.")
    return _back_to_lessons(story)


def _form_page(request, story, form, lesson=None, status=200):
    context = {"story": story, "form": form, "lesson": lesson}
    return render(request, "lessons/lesson_form.html", context, status=status)
