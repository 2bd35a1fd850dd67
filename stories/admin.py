from django import forms
from django.contrib import admin
from django.core.files.base import ContentFile
from markdownx.admin import MarkdownxModelAdmin

from stories.images import clean_image, make_renditions
from stories.models import EditorImage, Story, StoryImage, StoryStream


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


class StoryStreamInline(admin.TabularInline):
    model = StoryStream
    extra = 1


class StoryImageInline(admin.StackedInline):
    model = StoryImage
    form = StoryImageAdminForm
    extra = 0


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
    form = StoryImageAdminForm
    list_display = ["alt_text", "story", "credit", "is_cover", "width", "height"]
    list_filter = ["is_cover"]
    search_fields = ["alt_text", "credit", "story__title"]
    list_select_related = ["story"]


@admin.register(EditorImage)
class EditorImageAdmin(admin.ModelAdmin):
    list_display = ["image", "owner", "width", "height", "created_at"]
    search_fields = ["image", "owner__username", "owner__email"]
    list_select_related = ["owner"]
    readonly_fields = ["image", "owner", "width", "height", "stories", "created_at"]

    def has_add_permission(self, request):
        return False  # added from the story editor, through the image pipeline
