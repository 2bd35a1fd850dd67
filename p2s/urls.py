from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from p2s import views
from p2s.sitemaps import SITEMAPS
from stories import editor_views
from stories import views as story_views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<slug:section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("feeds/", include("stories.feed_urls")),
    path("", include("stories.urls")),
    path("communities/", include("communities.urls")),
    path("themes/", include("lessons.theme_urls")),
    path("synthesis/", include("lessons.synthesis_urls")),
    path("collections/", include("curation.urls")),
    path("accounts/", include("communities.account_urls")),
    path("me/", story_views.me, name="me"),
    path("moderation/", include("stories.moderation_urls")),
    path(
        "markdownx/markdownify/",
        editor_views.markdown_preview,
        name="markdownx_markdownify",
    ),
    path("markdownx/upload/", editor_views.editor_upload, name="markdownx_upload"),
    path("admin/", admin.site.urls),
]

handler404 = "p2s.views.page_not_found"
handler500 = "p2s.views.server_error"
