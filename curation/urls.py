from django.urls import path

from curation import views

app_name = "collections"

urlpatterns = [
    path("", views.collection_list, name="list"),
    path("new/", views.collection_new, name="new"),
    path("add-story/<slug:story_slug>/", views.add_from_story, name="add-from-story"),
    path("shared/<slug:token>/", views.shared_detail, name="shared"),
    path("shared/<slug:token>/print/", views.shared_print, name="shared-print"),
    path("<slug:slug>/", views.collection_detail, name="detail"),
    path("<slug:slug>/print/", views.collection_print, name="print"),
    path("<slug:slug>/edit/", views.collection_edit, name="edit"),
    path("<slug:slug>/stories/", views.collection_add, name="add"),
    path(
        "<slug:slug>/stories/<int:pk>/remove/",
        views.collection_remove,
        name="remove",
    ),
    path(
        "<slug:slug>/stories/<int:pk>/move/<str:direction>/",
        views.collection_move,
        name="move",
    ),
    path("<slug:slug>/stories/<int:pk>/note/", views.collection_note, name="note"),
    path("<slug:slug>/publish/", views.collection_publish, name="publish"),
    path("<slug:slug>/unpublish/", views.collection_unpublish, name="unpublish"),
    path("<slug:slug>/link/regenerate/", views.link_regenerate, name="link-regenerate"),
    path("<slug:slug>/link/revoke/", views.link_revoke, name="link-revoke"),
]
