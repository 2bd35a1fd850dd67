"""The lessons a story's page shows: added by lessons, above stories, as a
template tag the story's template loads (the way curation adds its "Add to a
collection" form), so no import goes up the layers."""

from django import template

from lessons.models import Lesson

register = template.Library()


@register.inclusion_tag("lessons/includes/_story_lessons.html", takes_context=True)
def story_lessons(context, story):
    """The lessons codified from `story` that the reader may read (the one
    rule, `visible_to`: the same for every reader of a visibility class, so
    the story page keeps them in its `{% cachedpart %}`), each with its kind,
    stream and themes, and the themes they feed. Two queries."""
    lessons = list(
        Lesson.objects.visible_to(context["request"].user)
        .filter(story=story)
        .select_related("stream")
        .prefetch_related("themes")
        .order_by("position", "pk")
    )
    themes = {}
    for lesson in lessons:
        for theme in lesson.themes.all():
            themes.setdefault(theme.pk, theme)
    return {
        "lessons": lessons,
        "themes": sorted(themes.values(), key=lambda theme: theme.name),
    }
