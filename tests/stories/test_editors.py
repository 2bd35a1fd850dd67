"""Who may edit a story, asked two ways: `Story.objects.editable_by` (the edit
pages, in the database) and `Story.may_edit` (the story page, from the story
kept for the reader's class with its `editor_ids`). The two must never
disagree, and the story page's "Edit this story" follows them even when the
story comes from what is kept."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from communities.models import Membership
from stories.models import Status, Story, Visibility
from tests.factories import make_community, make_member, make_story

pytestmark = pytest.mark.django_db

EDIT = "Edit this story"


@pytest.fixture
def people(community, author, lead, core):
    elsewhere = make_community(name="Elsewhere")
    co_author = make_member(community, name="Co Author")
    return {
        "visitor": AnonymousUser(),
        "author": author,
        "co-author": co_author,
        "pending author": make_member(community, approved=False),
        "inactive author": make_member(community, is_active=False),
        "lead": lead,
        "lead elsewhere": make_member(elsewhere, role="lead"),
        "member": make_member(community),
        "core": core,
    }


@pytest.mark.parametrize("status", list(Status.values))
@pytest.mark.parametrize("visibility", list(Visibility.values))
def test_may_edit_agrees_with_editable_by(people, community, status, visibility):
    story = make_story(status=status, visibility=visibility, community=community)
    story.authors.add(
        people["author"],
        people["co-author"],
        people["pending author"],
        people["inactive author"],
    )
    editors = story.editor_ids()
    for name, user in people.items():
        in_database = Story.objects.editable_by(user).filter(pk=story.pk).exists()
        assert story.may_edit(user, editors) == in_database, (name, status)


def test_the_editors_are_the_authors_and_the_communitys_leads(people, community, lead):
    story = make_story(community=community)
    story.authors.add(people["author"])
    assert story.editor_ids() == {people["author"].pk, lead.pk}


def test_editable_by_names_each_story_once(people, community, lead):
    """An author who also leads the community, with a co-lead: one row."""
    story = make_story(status=Status.DRAFT, community=community)
    Membership.objects.filter(user=people["author"]).update(role="lead")
    story.authors.add(people["author"], people["co-author"])
    assert list(Story.objects.editable_by(people["author"])) == [story]


@pytest.mark.parametrize(
    "reader, shown",
    [
        ("author", True),
        ("lead", True),
        ("core", True),
        ("member", False),
        ("lead elsewhere", False),
        ("pending author", False),
    ],
)
def test_the_story_page_offers_editing_to_its_editors_only(
    people, community, reader, shown
):
    story = make_story(community=community, title="Kept for the class")
    story.authors.add(people["author"], people["pending author"])
    url = story.get_absolute_url()
    first, second = Client(), Client()
    first.force_login(people[reader])
    second.force_login(people["member" if shown else "author"])
    # drawn, then kept for the class and read from there by another reader
    # of the same class (and by the first again)
    pages = [first.get(url), second.get(url), first.get(url)]
    assert [page.status_code for page in pages] == [200, 200, 200]
    assert (EDIT in pages[0].content.decode()) is shown
    assert (EDIT in pages[2].content.decode()) is shown
    if reader != "pending author":  # the same class as the member and author
        assert (EDIT in pages[1].content.decode()) is not shown
    assert EDIT not in Client().get(url).content.decode()


def test_a_new_lead_or_author_may_edit_at_once_and_a_removed_one_no_longer(
    people, community
):
    story = make_story(community=community)
    member = Client()
    member.force_login(people["member"])
    url = story.get_absolute_url()
    assert EDIT not in member.get(url).content.decode()  # now kept

    membership = Membership.objects.get(user=people["member"])
    membership.role = "lead"
    membership.save()  # as the admin saves a role
    assert EDIT in member.get(url).content.decode()
    membership.role = "member"
    membership.save()
    assert EDIT not in member.get(url).content.decode()

    story.authors.add(people["member"])
    assert EDIT in member.get(url).content.decode()
    story.authors.remove(people["member"])
    assert EDIT not in member.get(url).content.decode()


def test_a_story_page_kept_for_the_class_reads_only_who_the_reader_is(
    people, community, django_assert_num_queries
):
    story = make_story(community=community)
    story.authors.add(people["author"])
    reader, author = Client(), Client()
    reader.force_login(people["member"])
    author.force_login(people["author"])
    assert reader.get(story.get_absolute_url()).status_code == 200
    with django_assert_num_queries(2):  # the session and the reader
        page = author.get(story.get_absolute_url())
    assert EDIT in page.content.decode()
