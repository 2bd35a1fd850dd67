from django.contrib import admin
from markdownx.admin import MarkdownxModelAdmin

from common.admin import NoControlCharacters
from curation.models import Collection, CollectionEvent, CollectionItem
from stories.admin import ReadOnlyAdmin


class CollectionItemInline(NoControlCharacters, admin.TabularInline):
    """Shown, not edited: stories come and go through the curating page, which
    checks they are published, keeps the history and tells their authors."""

    model = CollectionItem
    fields = ["position", "story", "note", "notified_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["position", "pk"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Collection)
class CollectionAdmin(NoControlCharacters, MarkdownxModelAdmin):
    """Title, address and introduction can be corrected here; who may read it,
    publishing and the share link change only on the curating page, where
    each change is recorded."""

    list_display = ["title", "visibility", "published_at", "curator", "updated_at"]
    list_filter = ["visibility"]
    search_fields = ["title", "introduction"]
    list_select_related = ["curator"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["visibility", "published_at", "curator", "share_token"]
    inlines = [CollectionItemInline]

    def has_add_permission(self, request):
        return False


@admin.register(CollectionItem)
class CollectionItemAdmin(ReadOnlyAdmin):
    list_display = ["collection", "position", "story", "notified_at"]
    list_filter = ["collection"]
    search_fields = ["collection__title", "story__title", "note"]
    list_select_related = ["collection", "story"]


@admin.register(CollectionEvent)
class CollectionEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "collection", "action", "story_title", "actor"]
    list_filter = ["action"]
    search_fields = ["collection__title", "story_title", "actor__username"]
    list_select_related = ["collection", "actor"]
