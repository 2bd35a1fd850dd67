from django.urls import path
from django.views.decorators.http import require_safe

from stories.feeds import LatestStoriesFeed, StreamStoriesFeed

app_name = "feeds"

urlpatterns = [
    path("stories/", require_safe(LatestStoriesFeed()), name="stories"),
    path("streams/<slug:slug>/", require_safe(StreamStoriesFeed()), name="stream"),
]
