from django.urls import path

from stories import moderation_views, views

app_name = "stories"

urlpatterns = [
    path("stories/", views.story_list, name="list"),
    path("stories/new/", views.story_new, name="new"),
    path("stories/<slug:slug>/edit/", views.story_edit, name="edit"),
    path("stories/<slug:slug>/flag/", moderation_views.flag, name="flag"),
    path("stories/<slug:slug>/", views.story_detail, name="detail"),
    path("streams/<slug:slug>/", views.stream_detail, name="stream"),
    path("tags/<str:slug>/", views.tag_detail, name="tag"),
    path("media/<path:name>", views.story_image, name="image"),
]
