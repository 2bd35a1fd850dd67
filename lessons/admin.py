from django.contrib import admin

from common.admin import NoControlCharacters
from lessons.models import Lesson, Theme
from lessons.services import citations_record


@admin.register(Theme)
class ThemeAdmin(NoControlCharacters, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Lesson)
class LessonAdmin(NoControlCharacters, admin.ModelAdmin):
    list_display = ["statement", "story", "kind", "stream", "condition"]
    list_filter = ["kind", "stream", "condition", "themes"]
    search_fields = ["statement", "story__title"]
    list_select_related = ["story", "stream"]
    autocomplete_fields = ["story"]
    filter_horizontal = ["themes"]

    def save_related(self, request, form, formsets, change):
        """After the lesson and its themes are saved, its story's citations,
        as the review page records them (and its authors told once)."""
        super().save_related(request, form, formsets, change)
        citations_record(lesson=form.instance, request=request)
