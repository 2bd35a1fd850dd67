"""The core team's queue and the review page's actions, in the "moderation"
namespace beside the lessons' codifying (p2s/urls.py puts them together)."""

from django.urls import include, path

from stories import moderation_views as views

urlpatterns = [
    path("", views.queue, name="queue"),
    path("flags/<int:pk>/resolve/", views.resolve_flag, name="resolve-flag"),
    path("notifications/", include("notifications.urls")),
    path("<slug:slug>/", views.review, name="review"),
    path("<slug:slug>/claim/", views.claim, name="claim"),
    path("<slug:slug>/comments/", views.comment, name="comment"),
    path("<slug:slug>/revisions/<int:number>/restore/", views.restore, name="restore"),
    path("<slug:slug>/staged/<str:step>/", views.staged, name="staged"),
    path("<slug:slug>/do/<str:action>/", views.transition, name="transition"),
]
