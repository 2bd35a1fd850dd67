"""Guards: no missing migrations; every page in the map answers, with one <h1>."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from framework.models import Stream
from lessons.models import Lesson, Theme
from tests.conftest import count_h1
from tests.factories import make_collection, make_community, make_story

pytestmark = pytest.mark.django_db


def test_no_missing_migrations():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_every_page_in_the_map_answers_with_one_h1(client):
    community = make_community(slug="harbour-hills")
    story = make_story(
        slug="drawing-hopes", community=community, tags=["graphic recording"]
    )
    theme = Theme.objects.create(name="Trust takes time", slug="trust")
    lesson = Lesson.objects.create(
        story=story,
        statement="Listen first.",
        kind="works",
        stream=Stream.objects.get(slug="plan"),
    )
    lesson.themes.add(theme)
    make_collection(slug="for-funders", stories=[story])
    pages = [
        "/",
        "/streams/plan/",
        "/streams/communicate/",
        "/stories/",
        "/stories/drawing-hopes/",
        "/communities/",
        "/communities/harbour-hills/",
        "/tags/graphic-recording/",
        "/themes/",
        "/themes/trust/",
        "/collections/",
        "/collections/for-funders/",
        "/collections/for-funders/print/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert count_h1(response) == 1, url
        assert response["Content-Type"].startswith("text/html"), url
    for url in [
        "/stories/nope/",
        "/streams/nope/",
        "/communities/nope/",
        "/tags/nope/",
        "/themes/nope/",
        "/collections/nope/",
        "/collections/shared/not-a-token/",
        "/no/such/page/",
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert count_h1(response) == 1, url


def test_every_machine_address_in_the_map_answers(client):
    make_story(slug="drawing-hopes", tags=["graphic recording"])
    machines = {
        "/feeds/stories/": "application/rss+xml; charset=utf-8",
        "/feeds/streams/plan/": "application/rss+xml; charset=utf-8",
        "/sitemap.xml": "application/xml",
        "/sitemap-stories.xml": "application/xml",
        "/robots.txt": "text/plain; charset=utf-8",
        "/healthz": "text/plain",
    }
    for url, content_type in machines.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == content_type, url
    for url in ["/feeds/streams/nope/", "/sitemap-nope.xml"]:
        assert client.get(url).status_code == 404, url


@override_settings(DEBUG=False)
def test_a_server_error_shows_the_friendly_500_page():
    from p2s import urls

    def broken(request):
        raise RuntimeError("boom")

    from django.urls import path

    patterns = [path("boom/", broken), *urls.urlpatterns]
    with override_settings(
        ROOT_URLCONF=type(
            "U",
            (),
            {
                "urlpatterns": patterns,
                "handler500": urls.handler500,
            },
        )
    ):
        client = Client(raise_request_exception=False)
        response = client.get("/boom/")
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content
    assert count_h1(response) == 1


def test_admin_has_every_model_registered():
    from django.apps import apps
    from django.contrib import admin

    for app in ["p2s", "communities", "stories", "curation"]:
        for model in apps.get_app_config(app).get_models():
            if model._meta.auto_created:
                continue
            if model.__name__ == "StoryStream":
                continue  # edited inline on its story
            assert admin.site.is_registered(model), model


def test_admin_pages_answer_for_staff(admin_client):
    collection = make_collection(stories=[make_story()])
    for url in [
        "/admin/stories/story/",
        "/admin/communities/community/",
        "/admin/framework/stream/",
        "/admin/communities/user/",
        "/admin/stories/storyimage/",
        "/admin/stories/story/add/",
        "/admin/curation/collection/",
        f"/admin/curation/collection/{collection.pk}/change/",
        "/admin/curation/collectionitem/",
        "/admin/curation/collectionevent/",
    ]:
        assert admin_client.get(url).status_code == 200, url


def test_admin_is_closed_to_visitors(client):
    response = client.get("/admin/stories/story/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize("url", ["/markdownx/markdownify/", "/markdownx/upload/"])
def test_markdownx_endpoints_are_not_open_to_visitors(client, url):
    response = client.post(url, {"content": "<script>x</script>"})
    assert response.status_code in (403, 404)
