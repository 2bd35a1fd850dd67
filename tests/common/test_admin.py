"""The admin refuses invisible control characters in typed text, as the
project's own forms do: a message beside the field, nothing saved."""

from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse
from taggit.models import Tag

from common.admin import NoControlCharacters
from communities.models import Community
from lessons.models import Theme
from stories.models import Status, Story
from tests.factories import make_community, make_story

pytestmark = pytest.mark.django_db

REFUSED = "Remove the invisible control character from this text"
# logs the admin only shows, of apps that are not ours
ONLY_SHOWN = {
    "axes.AccessAttempt",
    "axes.AccessFailureLog",
    "axes.AccessLog",
    "django_tasks_database.DBTaskResult",
}


class FormValues(HTMLParser):
    """What a browser would send from the form with `form_id`, as loaded."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.values = form_id, False, []
        self.textarea = self.select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        elif not self.inside or "disabled" in attrs:
            return
        elif tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            if kind not in {"submit", "button", "file"}:
                default = "on" if kind in {"checkbox", "radio"} else ""
                self.values.append((attrs["name"], attrs.get("value", default)))
        elif tag == "textarea":
            self.textarea = [attrs["name"], ""]
        elif tag == "select":
            self.select = attrs.get("name")
        elif tag == "option" and self.select and "selected" in attrs:
            self.values.append((self.select, attrs.get("value", "")))

    def handle_data(self, data):
        if self.textarea:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea:
            self.values.append((self.textarea[0], self.textarea[1].lstrip("\n")))
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "form":
            self.inside = False


def form_values(response, form_id, **changes):
    parser = FormValues(form_id)
    parser.feed(response.content.decode())
    data = {}
    for name, value in parser.values:
        data.setdefault(name, []).append(value)
    return data | {name: [value] for name, value in changes.items()}


def test_every_admin_and_inline_refuses_control_characters():
    for model in apps.get_models():
        if not admin.site.is_registered(model) or model._meta.label in ONLY_SHOWN:
            continue
        model_admin = admin.site.get_model_admin(model)
        assert isinstance(model_admin, NoControlCharacters), model._meta.label
        for inline in model_admin.inlines:
            assert issubclass(inline, NoControlCharacters), inline


def test_a_theme_named_with_a_control_character_is_refused(admin_client):
    add = reverse("admin:lessons_theme_add")
    data = {"name": "Trust\x07 takes time", "slug": "trust", "description": ""}
    response = admin_client.post(add, data)
    assert response.status_code == 200
    assert REFUSED in response.context["adminform"].form.errors["name"][0]
    assert REFUSED in response.content.decode()
    assert not Theme.objects.exists()
    response = admin_client.post(add, data | {"name": "Trust takes time"})
    assert response.status_code == 302
    assert Theme.objects.get().name == "Trust takes time"


def test_a_story_title_with_a_control_character_is_refused(admin_client):
    story = make_story(title="Our walking bus", status=Status.DRAFT)
    change = reverse("admin:stories_story_change", args=[story.pk])
    page = admin_client.get(change)
    response = admin_client.post(
        change, form_values(page, "story_form", title="Our walking\x1b bus")
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["title"] and REFUSED in errors["title"][0]
    assert Story.objects.get(pk=story.pk).title == "Our walking bus"
    response = admin_client.post(
        change, form_values(page, "story_form", title="Our walking school bus")
    )
    assert response.status_code == 302
    assert Story.objects.get(pk=story.pk).title == "Our walking school bus"


def test_a_community_and_a_tag_refuse_control_characters_too(admin_client):
    community = make_community(name="Harbour Hills", place="Harbourside")
    change = reverse("admin:communities_community_change", args=[community.pk])
    data = form_values(admin_client.get(change), "community_form")
    response = admin_client.post(change, data | {"place": ["Harbour\x7fside"]})
    assert response.status_code == 200
    assert REFUSED in response.context["adminform"].form.errors["place"][0]
    assert Community.objects.get(pk=community.pk).place == "Harbourside"
    response = admin_client.post(change, data | {"place": ["Harbour side"]})
    assert response.status_code == 302
    assert Community.objects.get(pk=community.pk).place == "Harbour side"
    add_tag = reverse("admin:taggit_tag_add")
    data = form_values(admin_client.get(add_tag), "tag_form", slug="walking")
    response = admin_client.post(add_tag, data | {"name": ["walk\x0cing"]})
    assert response.status_code == 200
    assert REFUSED in response.context["adminform"].form.errors["name"][0]
    assert not Tag.objects.exists()
    assert admin_client.post(add_tag, data | {"name": ["walking"]}).status_code == 302
    assert Tag.objects.get().name == "walking"
