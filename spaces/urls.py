from django.urls import path

from spaces import views

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
]
