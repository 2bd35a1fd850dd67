from django.contrib import admin
from markdownx.admin import MarkdownxModelAdmin

from stories.models import Story, StoryImage, StoryStream


class StoryStreamInline(admin.TabularInline):
    model = StoryStream
    extra = 1


class StoryImageInline(admin.StackedInline):
    model = StoryImage
    extra = 0
    fields = ["image", "alt_text", "credit", "caption", "is_cover", "position"]


@admin.register(Story)
class StoryAdmin(MarkdownxModelAdmin):
    list_display = [
        "title", "community", "status", "visibility", "year", "is_featured",
        "published_at", "is_demo",
    ]  # fmt: skip
    list_filter = ["status", "visibility", "is_featured", "is_demo", "streams",
                   "community__state", "year"]  # fmt: skip
    search_fields = ["title", "summary", "storytellers", "community__name"]
    list_select_related = ["community"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["authors"]
    date_hierarchy = "published_at"
    inlines = [StoryStreamInline, StoryImageInline]


@admin.register(StoryImage)
class StoryImageAdmin(admin.ModelAdmin):
    list_display = ["alt_text", "story", "credit", "is_cover", "width", "height"]
    list_filter = ["is_cover"]
    search_fields = ["alt_text", "credit", "story__title"]
    list_select_related = ["story"]
