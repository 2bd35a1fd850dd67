from django.contrib import admin
from django.urls import include, path

from p2s import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("", include("stories.urls")),
    path("communities/", include("communities.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "p2s.views.page_not_found"
handler500 = "p2s.views.server_error"
