"""A community of practice's resources (/practice/<space>/resources/): links
and files its members share, with a title, description, stream and tags,
searched within the space; a file's kind read from its bytes against an
allow-list, bounded, and served only to those inside the space."""

import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image
from taggit.models import Tag

from spaces import documents
from spaces.models import Resource, ResourceTag, Space, SpaceMember
from tests.conftest import count_h1
from tests.factories import make_core, make_user
from tests.spaces.conftest import signed_in

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def office(main_part, *, content_types=b"<Types/>", extra=()):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr(main_part, "<document/>")
        for name in extra:
            archive.writestr(name, b"x")
    return buffer.getvalue()


DOCX = office("word/document.xml")
MACROS = office("word/document.xml", extra=["word/vbaProject.bin"])
MACRO_TYPES = office("word/document.xml", content_types=b"macroEnabled")
JS_PDF = b"%PDF-1.4\n/OpenAction << /JavaScript (x) >>\n%%EOF"


def upload(data, name="report.pdf"):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def share(client, space, **fields):
    data = {"title": "Our measures", "stream": "evaluate", "tags": "measures"}
    data.update(fields)
    from framework.models import Stream

    data["stream"] = Stream.objects.get(slug=data["stream"]).pk
    return client.post(f"/practice/{space.slug}/resources/new/", data)


# sharing -------------------------------------------------------------------------


def test_a_member_shares_a_link_with_its_stream_and_tags(space, insider):
    client = signed_in(insider)
    form = client.get(f"/practice/{space.slug}/resources/new/")
    assert form.status_code == 200 and count_h1(form) == 1
    response = share(
        client,
        space,
        link="https://example.org/measures",
        description="The ten we kept.",
        tags="measures, Shared Measurement",
    )
    assert response.status_code == 302
    assert response["Location"] == f"/practice/{space.slug}/resources/"
    resource = Resource.objects.get()
    assert (resource.link, resource.file.name, resource.shared_by) == (
        "https://example.org/measures",
        "",
        insider,
    )
    assert sorted(resource.tags.names()) == ["Shared Measurement", "measures"]
    assert resource.stream.slug == "evaluate"
    # the space's own tags: none among the library's public ones
    assert not Tag.objects.exists()
    page = signed_in(insider).get(response["Location"]).content.decode()
    assert 'href="https://example.org/measures" rel="noopener noreferrer"' in page
    assert "The ten we kept." in page


def test_a_pdf_is_kept_under_a_server_made_name_and_downloaded_inside_only(
    space, insider, facilitator
):
    client = signed_in(insider)
    assert share(client, space, file=upload(PDF, "Our <report>.pdf")).status_code == 302
    resource = Resource.objects.get()
    assert resource.file.name.startswith("resources/")
    assert resource.file.name.endswith(".pdf") and "report" not in resource.file.name
    assert (resource.kind, resource.size, resource.filename) == (
        "pdf",
        len(PDF),
        "Our_report.pdf",
    )
    url = f"/practice/{space.slug}/resources/{resource.pk}/file/"
    for reader in (insider, facilitator, make_core()):
        response = signed_in(reader).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert (
            response["Content-Disposition"] == 'attachment; filename="Our_report.pdf"'
        )
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response["Cache-Control"]
        assert response["Content-Security-Policy"].startswith("sandbox")
    outsider, pending = make_user(), make_user(approved=False)
    for reader in (outsider, pending):
        assert signed_in(reader).get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to sign in
    # nor by the storage name under the media address
    assert signed_in(outsider).get(f"/media/{resource.file.name}").status_code == 404
    assert signed_in(insider).get(f"/media/{resource.file.name}").status_code == 404


def test_a_files_kind_is_read_from_its_bytes_not_its_name(space, insider):
    client = signed_in(insider)
    assert share(client, space, file=upload(DOCX, "minutes.pdf")).status_code == 302
    resource = Resource.objects.get()
    assert (resource.kind, resource.filename) == ("docx", "minutes.docx")
    response = client.get(f"/practice/{space.slug}/resources/{resource.pk}/file/")
    assert response["Content-Type"] == documents.KINDS["docx"][0]


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("sheet.xlsx", office("xl/workbook.xml"), "xlsx"),
        ("slides.pptx", office("ppt/presentation.xml"), "pptx"),
        ("data.csv", b"state,count\nWA,3\n", "csv"),
        ("notes.txt", b"Kia ora, g'day", "txt"),
        ("page.html", b"<script>alert(1)</script>", "txt"),  # served as text
    ],
)
def test_the_allowed_kinds(space, insider, name, data, kind):
    assert share(signed_in(insider), space, file=upload(data, name)).status_code == 302
    assert Resource.objects.get().kind == kind


def test_an_image_is_re_encoded_through_the_one_image_path(space, insider):
    picture = Image.new("RGB", (40, 20), "#1d5a96")
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", comment=b"GPS and secrets")
    sent = buffer.getvalue()
    assert (
        share(signed_in(insider), space, file=upload(sent, "a.jpg")).status_code == 302
    )
    resource = Resource.objects.get()
    assert resource.kind == "jpg"
    with default_storage.open(resource.file.name, "rb") as kept:
        stored = kept.read()
    assert stored != sent and b"secrets" not in stored


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"MZ\x90\x00binary", "tool.pdf", "can't be shared here"),
        (b"\x00\x01\x02", "data.csv", "can't be shared here"),
        (JS_PDF, "a.pdf", "runs scripts"),
        (b"%PDF-1.4\nhalf a file", "a.pdf", "damaged or incomplete"),
        (MACROS, "m.docx", "macros"),
        (MACRO_TYPES, "m.docm", "macros"),
        (office("other/part.xml"), "a.zip", "can't be shared here"),
        (b"PK\x03\x04 not really a zip", "a.docx", "damaged or incomplete"),
        (b"\xff\xd8\xff\xe0 not really a jpeg", "a.jpg", "isn't an image we can use"),
        (b"", "empty.pdf", "The submitted file is empty."),
    ],
)  # fmt: skip
def test_refused_files_say_why_beside_the_field_and_keep_the_rest(
    space, insider, data, name, message
):
    response = share(
        signed_in(insider), space, file=upload(data, name), description="Kept & <me>"
    )
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["file"])
    page = response.content.decode()
    assert 'id="id_file_error"' in page
    assert 'value="Our measures"' in page and "Kept &amp; &lt;me&gt;</textarea>" in page
    assert not Resource.objects.exists()


def test_too_large_a_file_or_zip_is_refused(space, insider, monkeypatch):
    monkeypatch.setattr(documents, "MAX_BYTES", 100)
    response = share(signed_in(insider), space, file=upload(PDF + b" " * 100))
    assert "too large" in " ".join(response.context["form"].errors["file"])
    monkeypatch.setattr(documents, "MAX_BYTES", 20 * 2**20)
    monkeypatch.setattr(documents, "MAX_UNPACKED", 10)
    response = share(signed_in(insider), space, file=upload(DOCX, "a.docx"))
    assert "unpacks to too much" in " ".join(response.context["form"].errors["file"])
    assert not Resource.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({}, "link", "Give a link, or choose a file below."),
        ({"link": "https://example.org", "file": "PDF"}, "link", "not both"),
        ({"link": "javascript:alert(1)"}, "link", "Enter a valid URL."),
        ({"title": "", "link": "https://example.org"}, "title", "required"),
        ({"stream": "", "link": "https://example.org"}, "stream", "required"),
        ({"tags": "x" * 101, "link": "https://example.org"}, "tags", "under 100"),
    ],
)
def test_a_link_or_a_file_exactly(space, insider, fields, field, message):
    if fields.get("file") == "PDF":
        fields["file"] = upload(PDF)
    data = {"title": "Our measures", "tags": "", **fields}
    if "stream" not in fields:
        from framework.models import Stream

        data["stream"] = Stream.objects.get(slug="evaluate").pk
    response = signed_in(insider).post(f"/practice/{space.slug}/resources/new/", data)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert not Resource.objects.exists()


# who may share, change and remove ------------------------------------------------


def test_nobody_outside_the_space_shares_or_sees_its_resources(space, insider):
    share(signed_in(insider), space, link="https://example.org/a")
    resource = Resource.objects.get()
    urls = [
        f"/practice/{space.slug}/resources/",
        f"/practice/{space.slug}/resources/new/",
    ]
    urls += [f"/practice/{space.slug}/resources/{resource.pk}/edit/"]
    for reader in (make_user(), make_user(approved=False)):
        client = signed_in(reader)
        for url in urls:
            assert client.get(url).status_code == 404, url
        assert share(client, space, link="https://evil.example").status_code == 404
        delete = f"/practice/{space.slug}/resources/{resource.pk}/delete/"
        assert client.post(delete).status_code == 404
        page = client.get(space.get_absolute_url()).content.decode()
        assert "Our measures" not in page and "Resources" not in page
    assert Resource.objects.count() == 1


def test_the_sharer_and_facilitators_change_it_other_members_may_not(
    space, insider, facilitator, committed
):
    with committed():
        share(signed_in(insider), space, file=upload(PDF))
    resource = Resource.objects.get()
    first_file = resource.file.name
    edit = f"/practice/{space.slug}/resources/{resource.pk}/edit/"
    other = make_user()
    SpaceMember.objects.create(space=space, user=other)
    assert signed_in(other).get(edit).status_code == 403
    assert signed_in(other).post(edit, {"title": "Mine"}).status_code == 403
    page = signed_in(other).get(f"/practice/{space.slug}/resources/").content.decode()
    assert edit not in page
    # the sharer keeps the file while changing the words
    form = signed_in(insider).get(edit)
    assert form.status_code == 200 and "Report.pdf" not in form.content.decode()
    data = {"title": "Measures, again", "stream": resource.stream_id, "tags": "a, b"}
    assert signed_in(insider).post(edit, data).status_code == 302
    resource.refresh_from_db()
    assert (resource.title, resource.file.name) == ("Measures, again", first_file)
    assert sorted(resource.tags.names()) == ["a", "b"]
    # the facilitator puts a link in its place: the old file goes
    with committed():
        data["link"] = "https://example.org/measures"
        assert signed_in(facilitator).post(edit, data).status_code == 302
    resource.refresh_from_db()
    assert (resource.link, resource.file.name, resource.kind) == (
        "https://example.org/measures",
        "",
        "",
    )
    assert not default_storage.exists(first_file)
    delete = f"/practice/{space.slug}/resources/{resource.pk}/delete/"
    assert signed_in(other).post(delete).status_code == 403
    assert signed_in(facilitator).post(delete).status_code == 302
    assert not Resource.objects.exists()


def test_removing_a_file_resource_removes_its_file(space, insider, committed):
    share(signed_in(insider), space, file=upload(PDF))
    resource = Resource.objects.get()
    name = resource.file.name
    assert default_storage.exists(name)
    with committed():
        response = signed_in(insider).post(
            f"/practice/{space.slug}/resources/{resource.pk}/delete/"
        )
    assert response.status_code == 302
    assert not default_storage.exists(name)
    assert not ResourceTag.objects.filter(items__isnull=False).exists()


# searching within the space -----------------------------------------------------


def test_searching_within_the_space_by_words_stream_and_tag(space, insider):
    client = signed_in(insider)
    share(client, space, title="Data walks", link="https://example.org/1", tags="data")
    share(client, space, title="Ten-year funding", stream="plan",
          link="https://example.org/2", description="For a minister.")  # fmt: skip
    share(client, space, title="Consent forms", stream="communicate",
          link="https://example.org/3", tags="consent, Data")  # fmt: skip
    other = Space.objects.create(name="Elsewhere", slug="elsewhere", purpose="")
    SpaceMember.objects.create(space=other, user=insider)
    share(client, other, title="Data elsewhere", link="https://example.org/4")

    def found(query):
        response = client.get(f"/practice/{space.slug}/resources/?{query}")
        assert response.status_code == 200
        return sorted(resource.title for resource in response.context["resources"])

    assert found("") == ["Consent forms", "Data walks", "Ten-year funding"]
    assert found("q=data") == ["Consent forms", "Data walks"]  # title or tag
    assert found("q=MINISTER") == ["Ten-year funding"]  # the description
    assert found("q=data+walks") == ["Data walks"]  # every word
    assert found("stream=communicate") == ["Consent forms"]
    assert found("tag=DATA") == ["Consent forms", "Data walks"]
    assert found("q=nothing-like-it") == []
    refused = client.get(f"/practice/{space.slug}/resources/?stream=no-such")
    assert refused.status_code == 400
    assert "Select a valid choice" in refused.content.decode()


def test_the_resource_list_keeps_to_its_query_budget(
    space, insider, django_assert_max_num_queries
):
    from framework.models import Stream

    stream = Stream.objects.get(slug="learn")
    for number in range(30):
        resource = Resource.objects.create(
            space=space, title=f"R {number}", stream=stream, shared_by=insider,
            link=f"https://example.org/{number}",
        )  # fmt: skip
        resource.tags.add(f"tag {number % 4}", "common")
    client = signed_in(insider)
    client.get(f"/practice/{space.slug}/resources/")
    with django_assert_max_num_queries(10):
        response = client.get(f"/practice/{space.slug}/resources/")
    assert response.content.decode().count('class="resource"') == 25
    with django_assert_max_num_queries(14):
        page = client.get(space.get_absolute_url())
    assert page.content.decode().count('class="resource"') == 3


def test_files_count_against_the_upload_rate_limit(space, insider, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "upload": (1, 3600)}
    client = signed_in(insider)
    assert share(client, space, file=upload(PDF)).status_code == 302
    refused = share(client, space, title="Again", file=upload(PDF))
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "paused it" in refused.content.decode()
    assert 'value="Again"' in refused.content.decode()
    assert Resource.objects.count() == 1
    # a link sends no file, and isn't counted
    assert share(client, space, link="https://example.org/x").status_code == 302
