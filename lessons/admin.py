from django.contrib import admin

from lessons.models import Lesson, Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    list_display = ["statement", "story", "kind", "stream", "condition"]
    list_filter = ["kind", "stream", "condition", "themes"]
    search_fields = ["statement", "story__title"]
    list_select_related = ["story", "stream"]
    autocomplete_fields = ["story"]
    filter_horizontal = ["themes"]
