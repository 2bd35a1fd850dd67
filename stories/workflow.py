"""The codesign workflow: every change of a story's status goes through here.

Each transition is one transaction: a conditional update of the status (so a
double click or a race makes one transition, not two), an audit event, and
notification emails sent only after commit. Nothing becomes public without the
community's sign-off.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from common.cache import changes_library
from communities.models import Membership, Role
from communities.services import core_team_emails, is_lead
from notifications.mail import absolute_url, mail_after_commit
from stories.models import Status, Story, StoryEvent

CORE, AUTHOR, LEAD = "core", "author", "lead"
BEFORE_PUBLISHED = [
    Status.DRAFT,
    Status.SUBMITTED,
    Status.CHANGES_REQUESTED,
    Status.AWAITING_SIGNOFF,
    Status.APPROVED,
]


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    who: frozenset
    sources: tuple
    target: str
    note_required: bool = False
    # what ticking "yes" says for an action that ends or takes back a story:
    # such an action looks different and is done only once that is ticked
    confirm: str = ""

    @property
    def destructive(self):
        return bool(self.confirm)


ACTIONS = {
    action.name: action
    for action in [
        Action("submit", "Submit to the core team", frozenset({AUTHOR, LEAD}),
               (Status.DRAFT, Status.CHANGES_REQUESTED), Status.SUBMITTED),
        Action("request_changes", "Request changes", frozenset({CORE}),
               (Status.SUBMITTED, Status.AWAITING_SIGNOFF), Status.CHANGES_REQUESTED,
               note_required=True),
        Action("send_for_signoff", "Send for sign-off", frozenset({CORE}),
               (Status.SUBMITTED,), Status.AWAITING_SIGNOFF),
        Action("sign_off", "Sign off", frozenset({AUTHOR, LEAD}),
               (Status.AWAITING_SIGNOFF,), Status.APPROVED),
        Action("ask_for_changes", "Ask for changes", frozenset({AUTHOR, LEAD}),
               (Status.AWAITING_SIGNOFF,), Status.SUBMITTED, note_required=True),
        Action("publish", "Publish", frozenset({CORE}),
               (Status.APPROVED,), Status.PUBLISHED),
        Action("reject", "Reject", frozenset({CORE}),
               (Status.SUBMITTED,), Status.REJECTED, note_required=True,
               confirm="Yes, reject this story: it won't be published, and its "
                       "authors are told."),
        Action("withdraw", "Withdraw", frozenset({AUTHOR, LEAD}),
               tuple(BEFORE_PUBLISHED), Status.WITHDRAWN,
               confirm="Yes, withdraw this story: it leaves the review and "
                       "won't be published."),
        Action("archive", "Archive", frozenset({CORE}),
               (Status.PUBLISHED,), Status.ARCHIVED, note_required=True,
               confirm="Yes, archive this story: it comes off the library's "
                       "pages, lists and feeds."),
        Action("republish", "Republish", frozenset({CORE}),
               (Status.ARCHIVED,), Status.PUBLISHED),
    ]
}  # fmt: skip


def roles_of(user, story):
    """The workflow roles `user` holds for `story` (approved accounts only)."""
    if user is None or not user.is_authenticated or not user.is_collective_member:
        return set()
    roles = set()
    if user.is_core_team:
        roles.add(CORE)
    if story.authors.filter(pk=user.pk).exists():
        roles.add(AUTHOR)
    if is_lead(user, story.community_id):
        roles.add(LEAD)
    return roles


def allowed_actions(user, story, roles=None):
    roles = roles_of(user, story) if roles is None else roles
    return [
        action
        for action in ACTIONS.values()
        if action.who & roles and story.status in action.sources
    ]


class Conflict(Exception):
    """Someone else changed the story's status first."""


@changes_library
@transaction.atomic
def story_transition(*, story, actor, action, note="", publish_at=None, request=None):
    """Move `story` by `action`. Raises PermissionDenied for a transition that
    isn't allowed (from this state, or for this person), ValidationError for a
    missing note, and Conflict when someone else got there first."""
    rule = ACTIONS.get(action)
    if rule is None:
        raise PermissionDenied("There is no such action.")
    if not (rule.who & roles_of(actor, story)):
        raise PermissionDenied("You can't do this to this story.")
    if story.status not in rule.sources:
        raise PermissionDenied(
            f"A story that is {story.get_status_display().lower()} can't be "
            f"moved by “{rule.label}”."
        )
    note = (note or "").strip()
    if rule.note_required and not note:
        raise ValidationError({"note": "Say why: the note is required."})
    if rule.target == Status.SUBMITTED and not story.consent:
        raise ValidationError(
            "The storytellers' consent is needed first: edit the story, confirm "
            "consent, and submit it from there."
        )
    now = timezone.now()
    if action == "publish" and publish_at and publish_at > now:
        return _schedule(story, actor, note, publish_at, request)
    return _move(
        story,
        action=action,
        target=rule.target,
        actor=actor,
        note=note,
        now=now,
        request=request,
    )


def _move(story, *, action, target, actor, note, now, request, **still):
    """The conditional update (the story must still be in the status it was
    read in, and match `still`), its audit event, and its emails after commit.
    Raises Conflict when someone else moved it first."""
    # the reviewer's claim stays: they go on reviewing it in its new state
    updates = {"status": target, "status_changed_at": now}
    if target == Status.PUBLISHED:
        updates["publish_at"] = None
        if story.published_at is None:
            updates["published_at"] = now
    changed = Story.objects.filter(pk=story.pk, status=story.status, **still).update(
        **updates
    )
    if not changed:
        raise Conflict("Someone else changed this story first.")
    event = StoryEvent.objects.create(
        story=story,
        actor=actor,
        action=action,
        from_status=story.status,
        to_status=target,
        note=note,
        created_at=now,
    )
    story.refresh_from_db()
    _notify(story, event, request)
    return event


def _schedule(story, actor, note, publish_at, request):
    changed = Story.objects.filter(pk=story.pk, status=Status.APPROVED).update(
        publish_at=publish_at
    )
    if not changed:
        raise Conflict("Someone else changed this story first.")
    local = timezone.localtime(publish_at).strftime("%-d %B %Y, %H:%M")
    return StoryEvent.objects.create(
        story=story,
        actor=actor,
        action="schedule",
        from_status=story.status,
        to_status=story.status,
        note=f"To publish on {local}. {note}".strip(),
    )


@changes_library
def publish_due(*, now=None):
    """Publish approved stories whose time has come; returns how many."""
    now = now or timezone.now()
    published = 0
    due = Story.objects.filter(status=Status.APPROVED, publish_at__lte=now)
    for story in due:
        try:
            with transaction.atomic():
                _move(
                    story,
                    action="publish",
                    target=Status.PUBLISHED,
                    actor=None,
                    note="Published at its scheduled time.",
                    now=now,
                    request=None,
                    publish_at__lte=now,
                )
        except Conflict:
            continue  # withdrawn, rescheduled or published by another run
        published += 1
    return published


# Notifications ---------------------------------------------------------------

MESSAGES = {
    "submit": ("Story submitted: {title}", "{actor} submitted “{title}” for review."),
    "request_changes": ("Changes requested: {title}",
                        "The core team asked for changes to “{title}”."),
    "send_for_signoff": ("Please sign off: {title}",
                         "“{title}” is ready for the community's sign-off."),
    "reject": ("Not accepted: {title}", "The core team did not accept “{title}”."),
    "publish": ("Published: {title}", "“{title}” is now published."),
}  # fmt: skip


def _recipients(story, action):
    authors = list(story.authors.exclude(email="").values_list("email", flat=True))
    if action == "submit":
        return core_team_emails()
    if action == "send_for_signoff":
        leads = Membership.objects.filter(
            community_id=story.community_id, role=Role.LEAD
        ).values_list("user__email", flat=True)
        return authors + [email for email in leads if email]
    if action in {"request_changes", "reject", "publish"}:
        return authors
    return []


def _notify(story, event, request):
    if event.action not in MESSAGES:
        return
    subject, opening = MESSAGES[event.action]
    link = absolute_url(request, reverse("moderation:review", args=[story.slug]))
    words = {"title": story.title, "actor": event.actor or "The library"}
    body = opening.format(**words)
    if event.note:
        body += f"\n\nNote:\n{event.note}"
    body += f"\n\nSee the story and its history:\n{link}\n"
    what = f"{event.action} notification for story {story.pk}"
    mail_after_commit(
        subject.format(**words), body, _recipients(story, event.action), what=what
    )


def story_claim(*, story, actor):
    """The core team's "I'm reviewing this"."""
    if CORE not in roles_of(actor, story):
        raise PermissionDenied("Only the core team reviews stories.")
    Story.objects.filter(pk=story.pk).update(claimed_by=actor)
