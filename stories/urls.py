"""The stories' own addresses, in the "stories" namespace beside discovery's
(p2s/urls.py puts them together)."""

from django.urls import path, re_path

from stories import editor_views, moderation_views, views

urlpatterns = [
    path("stories/new/", editor_views.story_new, name="new"),
    # a regex, so that a story whose slug is "pending" keeps its own addresses
    re_path(
        r"^stories/pending/(?P<token>[0-9a-f]{32})/$",
        editor_views.pending_image,
        name="pending-image",
    ),
    path("stories/<slug:slug>/edit/", editor_views.story_edit, name="edit"),
    path("stories/<slug:slug>/flag/", moderation_views.flag, name="flag"),
    path("stories/<slug:slug>/", views.story_detail, name="detail"),
    path("media/<path:name>", views.story_image, name="image"),
]
