"""The core team's two answers to an email the mail server didn't take: send
it again, or dismiss it. The list itself is on the moderation queue."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from notifications.models import FailedNotification
from notifications.services import (
    failed_notification_dismiss,
    failed_notification_retry,
)


def _unresolved(request, pk):
    if not request.user.is_core_team:
        raise PermissionDenied("Failed notifications are for the core team.")
    return get_object_or_404(FailedNotification.objects.unresolved(), pk=pk)


def _back_to_queue():
    return redirect(reverse("moderation:queue") + "#failed-notifications")


@require_POST
@login_required
def retry(request, pk):
    notification = _unresolved(request, pk)
    sent = failed_notification_retry(notification=notification, actor=request.user)
    if sent:
        messages.success(request, f"Sent: “{notification.subject}”.")
    elif sent is None:
        messages.info(request, "Someone else resolved it first.")
    else:
        messages.error(
            request,
            f"The mail server still didn't take “{notification.subject}”; "
            "try again later.",
        )
    return _back_to_queue()


@require_POST
@login_required
def dismiss(request, pk):
    notification = _unresolved(request, pk)
    if failed_notification_dismiss(notification=notification, actor=request.user):
        messages.success(request, f"Dismissed: “{notification.subject}”.")
    else:
        messages.info(request, "Someone else resolved it first.")
    return _back_to_queue()
