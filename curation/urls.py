from django.urls import path

from curation import curate_views as curate
from curation import views

app_name = "collections"

urlpatterns = [
    path("", views.collection_list, name="list"),
    path("new/", curate.collection_new, name="new"),
    path(
        "add-story/<slug:story_slug>/",
        curate.add_from_story,
        name="add-from-story",
    ),
    path("shared/<slug:token>/", views.shared_detail, name="shared"),
    path("shared/<slug:token>/print/", views.shared_print, name="shared-print"),
    path("<slug:slug>/", views.collection_detail, name="detail"),
    path("<slug:slug>/print/", views.collection_print, name="print"),
    path("<slug:slug>/edit/", curate.collection_edit, name="edit"),
    path("<slug:slug>/stories/", curate.collection_add, name="add"),
    path(
        "<slug:slug>/stories/<int:pk>/remove/",
        curate.collection_remove,
        name="remove",
    ),
    path(
        "<slug:slug>/stories/<int:pk>/move/<str:direction>/",
        curate.collection_move,
        name="move",
    ),
    path("<slug:slug>/stories/<int:pk>/note/", curate.collection_note, name="note"),
    path("<slug:slug>/publish/", curate.collection_publish, name="publish"),
    path("<slug:slug>/unpublish/", curate.collection_unpublish, name="unpublish"),
    path(
        "<slug:slug>/link/regenerate/",
        curate.link_regenerate,
        name="link-regenerate",
    ),
    path("<slug:slug>/link/revoke/", curate.link_revoke, name="link-revoke"),
]
