from django.urls import path

from communities import views

app_name = "communities"

urlpatterns = [
    path("", views.community_list, name="list"),
    path("join-requests/<int:pk>/", views.join_request_decide, name="join-request"),
    path("<slug:slug>/", views.community_detail, name="detail"),
    path("<slug:slug>/join/", views.join, name="join"),
    path("<slug:slug>/join-requests/", views.join_requests, name="join-requests"),
]
