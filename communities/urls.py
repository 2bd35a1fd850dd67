"""Joining a community, in the "communities" namespace beside discovery's
directory and community pages (p2s/urls.py puts them together)."""

from django.urls import path

from communities import views

urlpatterns = [
    path("join-requests/<int:pk>/", views.join_request_decide, name="join-request"),
    path("<slug:slug>/join/", views.join, name="join"),
    path("<slug:slug>/join-requests/", views.join_requests, name="join-requests"),
]
