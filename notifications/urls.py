from django.urls import path

from p2s import notification_views as views

app_name = "notifications"

urlpatterns = [
    path("<int:pk>/retry/", views.retry, name="retry"),
    path("<int:pk>/dismiss/", views.dismiss, name="dismiss"),
]
