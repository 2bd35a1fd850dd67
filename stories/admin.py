from django import forms
from django.contrib import admin
from django.core.files.base import ContentFile
from django.db.models import F
from markdownx.admin import MarkdownxModelAdmin
from taggit.admin import TagAdmin as BaseTagAdmin
from taggit.admin import TaggedItemInline as BaseTaggedItemInline
from taggit.models import Tag

from common.admin import NoControlCharacters
from stories.images import clean_image, make_renditions
from stories.models import (
    EditorImage,
    PendingUpload,
    Status,
    Story,
    StoryComment,
    StoryEvent,
    StoryFlag,
    StoryImage,
    StoryRevision,
    StoryStream,
)
from stories.services import record_revision, snapshot_of


class StoryImageAdminForm(forms.ModelForm):
    """Images added in the admin go through the same pipeline as everywhere."""

    class Meta:
        model = StoryImage
        fields = ["image", "alt_text", "credit", "caption", "is_cover", "position"]

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if upload and hasattr(upload, "content_type"):  # a new upload
            clean = clean_image(upload)
            self.instance.width, self.instance.height = clean.width, clean.height
            return ContentFile(clean.content.read(), name=clean.name.split("/")[-1])
        return upload

    def save(self, commit=True):
        new_file = "image" in self.changed_data
        image = super().save(commit=commit)
        if commit and new_file:
            make_renditions(image.image.name)
        return image


class StoryStreamInline(NoControlCharacters, admin.TabularInline):
    model = StoryStream
    extra = 1


class StoryImageInline(NoControlCharacters, admin.StackedInline):
    model = StoryImage
    form = StoryImageAdminForm
    extra = 0


@admin.register(Story)
class StoryAdmin(NoControlCharacters, MarkdownxModelAdmin):
    list_display = [
        "title",
        "community",
        "status",
        "visibility",
        "year",
        "is_featured",
        "published_at",
        "is_demo",
    ]
    list_filter = [
        "status",
        "visibility",
        "is_featured",
        "is_demo",
        "streams",
        "community__state",
        "year",
    ]
    search_fields = ["title", "summary", "storytellers", "community__name"]
    list_select_related = ["community"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["authors"]
    date_hierarchy = "published_at"
    inlines = [StoryStreamInline, StoryImageInline]
    # Status moves only through the workflow (with its audit trail); a
    # published story's text changes only through a signed-off staged edit.
    workflow_fields = [
        "status",
        "published_at",
        "publish_at",
        "status_changed_at",
        "claimed_by",
        "staged_revision",
        "version",
    ]
    text_fields = [
        "title",
        "summary",
        "body",
        "storytellers",
        "what_worked",
        "what_didnt",
        "conditions",
        "visibility",
        "consent",
    ]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status == Status.PUBLISHED:
            return self.workflow_fields + self.text_fields
        return self.workflow_fields

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        Story.objects.filter(pk=obj.pk).update(version=F("version") + 1)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        record_revision(form.instance, request.user, snapshot_of(form.instance))


@admin.register(StoryImage)
class StoryImageAdmin(NoControlCharacters, admin.ModelAdmin):
    form = StoryImageAdminForm
    list_display = ["alt_text", "story", "credit", "is_cover", "width", "height"]
    list_filter = ["is_cover"]
    search_fields = ["alt_text", "credit", "story__title"]
    list_select_related = ["story"]


@admin.register(EditorImage)
class EditorImageAdmin(NoControlCharacters, admin.ModelAdmin):
    list_display = ["image", "owner", "width", "height", "created_at"]
    search_fields = ["image", "owner__username", "owner__email"]
    list_select_related = ["owner"]
    readonly_fields = ["image", "owner", "width", "height", "stories", "created_at"]

    def has_add_permission(self, request):
        return False  # added from the story editor, through the image pipeline


@admin.register(PendingUpload)
class PendingUploadAdmin(NoControlCharacters, admin.ModelAdmin):
    """Images kept for their sender from a story form that had a problem:
    shown to nobody else, so here only their count, owner and age."""

    list_display = ["owner", "width", "height", "created_at"]
    list_select_related = ["owner"]
    fields = ["owner", "width", "height", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(NoControlCharacters, admin.ModelAdmin):
    """The audit trail and revisions are written by the workflow only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StoryEvent)
class StoryEventAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "story",
        "actor",
        "action",
        "from_status",
        "to_status",
        "note",
    ]
    list_filter = ["action", "to_status"]
    search_fields = ["story__title", "note", "actor__username"]
    list_select_related = ["story", "actor"]


@admin.register(StoryRevision)
class StoryRevisionAdmin(ReadOnlyAdmin):
    list_display = ["story", "number", "kind", "author", "created_at"]
    list_filter = ["kind"]
    search_fields = ["story__title"]
    list_select_related = ["story", "author"]


@admin.register(StoryComment)
class StoryCommentAdmin(NoControlCharacters, admin.ModelAdmin):
    list_display = ["story", "author", "created_at"]
    search_fields = ["story__title", "body"]
    list_select_related = ["story", "author"]


@admin.register(StoryFlag)
class StoryFlagAdmin(NoControlCharacters, admin.ModelAdmin):
    list_display = ["story", "reporter", "created_at", "resolved_at", "resolved_by"]
    list_filter = ["resolved_at"]
    search_fields = ["story__title", "reason"]
    list_select_related = ["story", "reporter", "resolved_by"]


admin.site.unregister(Tag)


class TaggedItemInline(NoControlCharacters, BaseTaggedItemInline):
    pass


@admin.register(Tag)
class TagAdmin(NoControlCharacters, BaseTagAdmin):
    """taggit's: tags have their own pages and show on every story's, so their
    names refuse control characters too."""

    inlines = [TaggedItemInline]
