from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from communities import urls as community_urls
from discovery import urls as discovery_urls
from p2s import impact_views, views
from p2s.sitemaps import SITEMAPS
from stories import editor_views, moderation_urls
from stories import urls as story_urls
from stories import views as story_views

# Discovery's pages keep the names readers know them by, beside the stories'
# and the communities' own (discovery/urls.py); so does a story's impact page
# (its lessons, themes and collections: the project's, p2s/impact_views.py).
IMPACT = [
    path("stories/<slug:slug>/impact/", impact_views.story_impact, name="impact"),
]
STORIES = (
    story_urls.urlpatterns + discovery_urls.story_patterns + IMPACT,
    "stories",
)
# A story's review page carries the codifying of its lessons (lessons' own).
MODERATION = (
    [
        *moderation_urls.urlpatterns,
        path("<slug:slug>/lessons/", include("lessons.codify_urls")),
    ],
    "moderation",
)
COMMUNITIES = (
    discovery_urls.community_patterns + community_urls.urlpatterns,
    "communities",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots"),
    # browsers that ask before reading the page's <link rel="icon">
    path("favicon.ico", views.favicon, name="favicon"),
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
    # discovery's pages keep the names of the stories' and the communities'
    path("", include(STORIES)),
    path(
        "communities/",
        include(
            (
                discovery_urls.community_patterns + community_urls.urlpatterns,
                "communities",
            )
        ),
    ),
    path("themes/", include("lessons.theme_urls")),
    path("synthesis/", include("lessons.synthesis_urls")),
    path("collections/", include("curation.urls")),
    path("assessments/", include("assessments.urls")),
    path("practice/", include("spaces.urls")),
    path("accounts/", include("communities.account_urls")),
    path("me/", story_views.me, name="me"),
    path("moderation/", include(MODERATION)),
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
