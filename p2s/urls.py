from django.contrib import admin
from django.urls import include, path

from p2s import views
from stories import views as story_views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("", include("stories.urls")),
    path("communities/", include("communities.urls")),
    path("themes/", include("lessons.theme_urls")),
    path("synthesis/", include("lessons.synthesis_urls")),
    path("accounts/", include("communities.account_urls")),
    path("me/", story_views.me, name="me"),
    path("moderation/", include("stories.moderation_urls")),
    path(
        "markdownx/markdownify/",
        story_views.markdown_preview,
        name="markdownx_markdownify",
    ),
    path("markdownx/upload/", story_views.editor_upload, name="markdownx_upload"),
    path("admin/", admin.site.urls),
]

handler404 = "p2s.views.page_not_found"
handler500 = "p2s.views.server_error"
