from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("<int:pk>/retry/", views.retry, name="retry"),
    path("<int:pk>/dismiss/", views.dismiss, name="dismiss"),
]
