from itertools import groupby

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from lessons.models import Lesson, Theme


@require_safe
def theme_list(request):
    """Every theme, even one with no lessons the viewer may read: a theme is
    not secret, but its evidence counts only what the viewer may read."""
    visible = Lesson.objects.visible_to(request.user)
    themes = Theme.objects.with_evidence(visible)
    return render(request, "lessons/theme_list.html", {"themes": themes})


@require_safe
def theme_detail(request, slug):
    theme = get_object_or_404(Theme, slug=slug)
    lessons = Lesson.objects.visible_to(request.user).filter(themes=theme)
    listed = lessons.select_related("stream", "story__community").in_reading_order()
    context = {
        "theme": theme,
        "evidence": lessons.evidence(),
        "by_stream": group_by_stream(listed),
    }
    return render(request, "lessons/theme_detail.html", context)


def group_by_stream(lessons):
    """[(stream, [(kind label, [lesson, …]), …]), …] from lessons already in
    reading order, so the template nests its sections without regrouping."""
    grouped = []
    for stream, in_stream in groupby(lessons, key=lambda lesson: lesson.stream):
        kinds = []
        for _, of_kind in groupby(in_stream, key=lambda lesson: lesson.kind):
            of_kind = list(of_kind)
            kinds.append((of_kind[0].get_kind_display(), of_kind))
        grouped.append((stream, kinds))
    return grouped
