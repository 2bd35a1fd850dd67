"""What the assessment pages read."""

from django.shortcuts import get_object_or_404

from assessments.models import Assessment


def assessment_for(user, pk):
    """The assessment `user` may see, or a 404: an assessment of another
    community is not there for them, not forbidden."""
    return get_object_or_404(
        Assessment.objects.visible_to(user).select_related("community", "version"),
        pk=pk,
    )
