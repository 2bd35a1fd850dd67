from django.urls import path

from spaces import resource_views, views

app_name = "spaces"

urlpatterns = [
    path("", views.space_list, name="list"),
    path("<slug:slug>/", views.space_detail, name="detail"),
    path("<slug:slug>/join/", views.space_join, name="join"),
    path(
        "<slug:slug>/requests/<int:pk>/",
        views.join_request_decide,
        name="decide",
    ),
    path("<slug:slug>/calendar.ics", views.space_calendar, name="calendar"),
    path("<slug:slug>/sessions/", views.session_list, name="sessions"),
    path("<slug:slug>/sessions/new/", views.session_new, name="session_new"),
    path("<slug:slug>/sessions/<int:pk>/", views.session_detail, name="session"),
    path(
        "<slug:slug>/sessions/<int:pk>/edit/",
        views.session_edit,
        name="session_edit",
    ),
    path(
        "<slug:slug>/sessions/<int:pk>/delete/",
        views.session_delete,
        name="session_delete",
    ),
    path(
        "<slug:slug>/sessions/<int:pk>/calendar.ics",
        views.session_calendar,
        name="session_calendar",
    ),
    path("<slug:slug>/resources/", resource_views.resource_list, name="resources"),
    path(
        "<slug:slug>/resources/new/",
        resource_views.resource_new,
        name="resource_new",
    ),
    path(
        "<slug:slug>/resources/<int:pk>/edit/",
        resource_views.resource_edit,
        name="resource_edit",
    ),
    path(
        "<slug:slug>/resources/<int:pk>/delete/",
        resource_views.resource_delete,
        name="resource_delete",
    ),
    path(
        "<slug:slug>/resources/<int:pk>/file/",
        resource_views.resource_file,
        name="resource_file",
    ),
]
