"""Full-text search of stories.

On PostgreSQL each story keeps a stored, weighted search vector (GIN-indexed):
A the title; B the summary and tags; C the body, the storyteller's reflections
and the lessons drawn from it. It is rewritten in one UPDATE whenever the story,
its tags or its lessons change (the signals below), and by
`refresh_search_vectors` after bulk loads. A query is parsed as a web search
(words, "quoted phrases", -exclusions, `or`), stemmed in English, ranked, and
each hit gets a highlighted snippet.

Beside the vector, the same UPDATE writes the story's facet keys
(`facet_keys`): its streams, tags, lessons' themes, community and year as
short keys, from which browse counts its filters in one pass
(discovery/facets.py). Its streams change through `stories.services` and the
admin; both refresh it.

On SQLite (`make run`) there is no stored vector: every word of the query must
appear, in any case, in the title, summary, body, reflections or tags.

Search only narrows a queryset it is given: visibility is decided before, by
`Story.objects.visible_to`.
"""

import re

from django.contrib.postgres.aggregates import ArrayAgg, StringAgg
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import connection
from django.db.models import (
    CharField,
    Exists,
    F,
    Func,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils.html import escape
from django.utils.safestring import mark_safe
from taggit.models import TaggedItem

from lessons.models import Lesson, Theme
from stories.models import Story, StoryStream
from stories.signals import stream_links_written

CONFIG = "english"
MAX_QUERY = 200  # characters of a query that are searched; the rest is dropped
MAX_WORDS = 8  # words of a query the SQLite fallback looks for
START, STOP = "\x02", "\x03"  # the headline's marks, made HTML after escaping


def is_postgres():
    return connection.vendor == "postgresql"


def clean_query(text):
    """The part of what was typed that is searched: control characters (NUL
    among them, which PostgreSQL refuses) become spaces, and it is cut short."""
    text = re.sub(r"[\x00-\x1f\x7f]", " ", text or "")
    return " ".join(text.split())[:MAX_QUERY].strip()


# Keeping the vector current -----------------------------------------------------


def _vector():
    """The weighted vector of a story, as one SQL expression over its row, its
    tags and its lessons."""

    tags = (
        TaggedItem.objects.filter(
            content_type__app_label="stories",
            content_type__model="story",
            object_id=OuterRef("pk"),
        )
        .values("object_id")
        .annotate(text=StringAgg("tag__name", " "))
        .values("text")
    )
    lessons = (
        Lesson.objects.filter(story=OuterRef("pk"))
        .values("story")
        .annotate(text=StringAgg("statement", " "))
        .values("text")
    )

    def part(*expressions, weight):
        return SearchVector(*expressions, weight=weight, config=CONFIG)

    return (
        part("title", weight="A")
        + part(
            "summary",
            Coalesce(Subquery(tags), Value(""), output_field=TextField()),
            weight="B",
        )
        + part(
            "body",
            "what_worked",
            "what_didnt",
            "conditions",
            Coalesce(Subquery(lessons), Value(""), output_field=TextField()),
            weight="C",
        )
    )


KEYS = ArrayField(CharField(max_length=24))


def grid_key():
    """A story's community and year as one key, `c<community pk>-<year>`
    (`c<pk>-` without a year), as an SQL expression over its row."""
    return Concat(
        Value("c"),
        Cast("community_id", CharField()),
        Value("-"),
        Coalesce(Cast("year", CharField()), Value("")),
        output_field=CharField(),
    )


def facet_keys(stream_links, tagged_items, lesson_themes):
    """The facet keys of a story, as one SQL expression: `s<id>` for each of
    its streams, `t<id>` for each tag, `h<id>` for each theme of its lessons
    (once), and its `grid_key`. The three link models are arguments so that a
    migration can pass its own."""

    def keys(links, story, prefix, column, distinct=False):
        key = Concat(Value(prefix), Cast(column, CharField()))
        found = (
            links.filter(**{story: OuterRef("pk")})
            .values(story)
            .annotate(keys=ArrayAgg(key, distinct=distinct))
            .values("keys")
        )
        return Coalesce(Subquery(found), Value([]), output_field=KEYS)

    tagged = tagged_items.objects.filter(
        content_type__app_label="stories", content_type__model="story"
    )
    return Func(
        Func(grid_key(), template="ARRAY[%(expressions)s]", output_field=KEYS),
        keys(stream_links.objects, "story", "s", "stream_id"),
        keys(tagged, "object_id", "t", "tag_id"),
        keys(lesson_themes.objects, "lesson__story", "h", "theme_id", distinct=True),
        template="(%(expressions)s)",
        arg_joiner=" || ",
        output_field=KEYS,
    )


def refresh_search_vectors(stories=None):
    """Rewrite the search vector and the facet keys of `stories` (a queryset;
    all by default) in one UPDATE. Does nothing off PostgreSQL."""

    if not is_postgres():
        return 0
    stories = Story.objects.all() if stories is None else stories
    return stories.update(
        search_vector=_vector(),
        facet_keys=facet_keys(StoryStream, TaggedItem, Lesson.themes.through),
    )


def refresh_story(story):
    """Rewrite one story's search vector and facet keys (after its streams,
    tags or lessons were written in bulk, which sends no signal)."""
    _refresh_one(story.pk)


def _refresh_one(pk):

    if pk is not None and is_postgres():
        refresh_search_vectors(Story.objects.filter(pk=pk))


@receiver(post_save, sender="stories.Story", dispatch_uid="search-story")
def _story_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _refresh_one(instance.pk)


@receiver(m2m_changed, dispatch_uid="search-tags")
def _tags_changed(sender, instance, action, model=None, pk_set=None, **kwargs):

    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if isinstance(instance, Story):
        _refresh_one(instance.pk)
    elif isinstance(instance, Lesson):  # its themes
        _refresh_one(instance.story_id)
    elif isinstance(instance, Theme) and pk_set and is_postgres():
        lessons = Lesson.objects.filter(pk__in=pk_set).values("story_id")
        refresh_search_vectors(Story.objects.filter(pk__in=lessons))


@receiver(stream_links_written, dispatch_uid="facets-streams-written")
def _stream_links_written(sender, story, **kwargs):
    refresh_story(story)


@receiver(post_save, sender="stories.StoryStream", dispatch_uid="facets-stream-saved")
@receiver(post_delete, sender="stories.StoryStream", dispatch_uid="facets-stream-gone")
def _stream_link_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _refresh_one(instance.story_id)


@receiver(pre_save, sender="lessons.Lesson", dispatch_uid="search-lesson-moving")
def _lesson_saving(sender, instance, raw=False, **kwargs):
    """The story a lesson had before this save (the admin may give it another),
    so that both stories are rewritten after it."""
    if not raw and instance.pk is not None and is_postgres():
        before = Lesson.objects.filter(pk=instance.pk).values_list("story_id")
        instance.story_before = next(iter(before), (None,))[0]


@receiver(post_save, sender="lessons.Lesson", dispatch_uid="search-lesson-saved")
@receiver(post_delete, sender="lessons.Lesson", dispatch_uid="search-lesson-gone")
def _lesson_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    _refresh_one(instance.story_id)
    before = getattr(instance, "story_before", None)
    if before not in (None, instance.story_id):
        _refresh_one(before)


# Searching ----------------------------------------------------------------------


def _query(text):
    return SearchQuery(text, config=CONFIG, search_type="websearch")


def matching(stories, text):
    """`stories` narrowed to those matching `text`, in no particular order:
    for counting. An empty query changes nothing."""
    text = clean_query(text)
    if not text:
        return stories
    if is_postgres():
        return stories.filter(search_vector=_query(text))
    return _fallback(stories, text)


def search(stories, text):
    """`stories` narrowed to those matching `text`, best first (on SQLite,
    newest first). An empty query changes nothing."""
    text = clean_query(text)
    if not text:
        return stories
    found = matching(stories, text)
    if not is_postgres():
        return found.order_by("-published_at", "-pk")
    rank = SearchRank(F("search_vector"), _query(text))
    return found.annotate(rank=rank).order_by("-rank", "-published_at", "-pk")


def with_snippets(stories, text):
    """`stories`, each with a highlighted `snippet` of its body for `text` (see
    `snippet_html`), cut by PostgreSQL; on SQLite `snippet_html` cuts it from
    the body."""
    text = clean_query(text)
    if not text or not is_postgres():
        return stories
    return stories.annotate(
        snippet=SearchHeadline(
            "body",
            _query(text),
            config=CONFIG,
            start_sel=START,
            stop_sel=STOP,
            max_words=28,
            min_words=12,
            max_fragments=2,
            fragment_delimiter=" … ",
        )
    )


def _fallback(stories, text):

    fields = ["title", "summary", "body", "what_worked", "what_didnt", "conditions"]
    words = [word for word in re.split(r"\s+", text) if word][:MAX_WORDS]
    for word in words:
        tagged = TaggedItem.objects.filter(
            content_type__app_label="stories",
            content_type__model="story",
            object_id=OuterRef("pk"),
            tag__name__icontains=word,
        )
        lessons = Lesson.objects.filter(story=OuterRef("pk"), statement__icontains=word)
        matches = Q(Exists(tagged)) | Q(Exists(lessons))
        for field in fields:
            matches |= Q(**{f"{field}__icontains": word})
        stories = stories.filter(matches)
    return stories


def snippet_html(story, text):
    """The highlighted snippet of a hit for the query `text`, as safe HTML: the
    text is escaped first, then the marks become <mark>; Markdown's punctuation
    is left out. PostgreSQL's headline comes with the story; on SQLite it is
    cut here from the body or summary."""
    snippet = getattr(story, "snippet", None)
    if snippet is None:
        snippet = _mark_words(story, clean_query(text))
    if not snippet:
        return ""
    text = _plain(snippet)
    html = escape(text)
    html = re.sub(f"{START}(.*?){STOP}", r"<mark>\1</mark>", html, flags=re.S)
    html = html.replace(START, "").replace(STOP, "")
    return mark_safe(html)  # noqa: S308 (escaped above; only <mark> added)


def _plain(markdown):
    """Markdown made readable as a line of text: links keep their words, images
    and markup characters go."""
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", markdown)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(?m)^\s*>+", "", text)  # quotes
    text = re.sub(r"[*_`#|~]+", "", text)
    return " ".join(text.split())


def _mark_words(story, text):
    """The fallback's snippet: a window of the body (or the summary) around the
    first word found, with every word of the query marked."""
    words = [re.escape(word) for word in text.split()[:MAX_WORDS] if word]
    if not words:
        return ""
    pattern = re.compile("|".join(words), re.I)
    source = story.body if pattern.search(story.body or "") else story.summary
    source = _plain(source or "")
    found = pattern.search(source)
    start = max(0, found.start() - 80) if found else 0
    if start:  # begin at a word
        space = source.find(" ", start, found.start())
        start = space + 1 if space != -1 else found.start()
    window = source[start : start + 220]
    prefix = "… " if start else ""
    suffix = " …" if start + 220 < len(source) else ""
    return prefix + pattern.sub(lambda m: f"{START}{m[0]}{STOP}", window) + suffix
