"""Discovery's pages, under the names readers know them by: browse, a stream
and a tag among the stories' addresses ("stories:list", "stories:stream",
"stories:tag"), the communities' directory and pages among the communities'
("communities:list", "communities:detail"). p2s/urls.py puts each list
beside its app's own."""

from django.urls import path

from discovery import browse_views, views

story_patterns = [
    path("stories/", browse_views.story_list, name="list"),
    path("streams/<slug:slug>/", views.stream_detail, name="stream"),
    path("tags/<str:slug>/", views.tag_detail, name="tag"),
]

community_patterns = [
    path("", views.community_list, name="list"),
    path("<slug:slug>/", views.community_detail, name="detail"),
]
