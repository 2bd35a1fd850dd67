from django.urls import path

from stories import browse_views, editor_views, moderation_views, views

app_name = "stories"

urlpatterns = [
    path("stories/", browse_views.story_list, name="list"),
    path("stories/new/", editor_views.story_new, name="new"),
    path("stories/<slug:slug>/edit/", editor_views.story_edit, name="edit"),
    path("stories/<slug:slug>/flag/", moderation_views.flag, name="flag"),
    path("stories/<slug:slug>/", views.story_detail, name="detail"),
    path("streams/<slug:slug>/", views.stream_detail, name="stream"),
    path("tags/<str:slug>/", views.tag_detail, name="tag"),
    path("media/<path:name>", views.story_image, name="image"),
]
