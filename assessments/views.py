"""An assessment as its readers see it: the list, the results (the wheel,
the table, strengths, gaps, disagreements, the year on), a gap's evidence,
the print view, the CSV of answers, and the core team's national picture.

An assessment a reader may not see is a 404, whoever they are; every page is
sent `no-store`, so no cache between here and the reader keeps one. The
workshop's writing is in workshop_views."""

import csv
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from assessments import services
from assessments.evidence import evidence_for
from assessments.models import Assessment
from assessments.national import national_picture
from assessments.results import answer_sheet, compare, previous_of, results_of
from assessments.selectors import assessment_for
from common.spreadsheet import Echo, safe_cell
from framework.models import Practice
from framework.wheel import standing_segments


def private(view):
    """Signed in, read through `visible_to`, kept by no cache."""
    return never_cache(login_required(require_safe(view)))


@private
def assessment_list(request):
    assessments = (
        Assessment.objects.visible_to(request.user)
        .select_related("community", "version")
        .order_by("community__name", "-held_on", "-pk")
    )
    context = {
        "assessments": list(assessments),
        "leads": list(services.lead_communities(request.user)),
        "is_core": request.user.is_core_team,
    }
    return render(request, "assessments/assessment_list.html", context)


def results_context(request, assessment):
    results = results_of(assessment)
    previous = previous_of(assessment)
    changes = compare(results, results_of(previous)) if previous else []
    standings = [(s.stream, s.standing) for s in results.streams]
    return {
        "assessment": assessment,
        "results": results,
        "wheel": standing_segments(standings),
        "previous": previous,
        "changes": changes,
        "targets": [c for c in changes if c.target_met is not None],
        "can_edit": services.can_edit(request.user, assessment),
        "can_lead": services.can_lead(request.user, assessment),
        # the streams with a group still at work, from the groups just read
        "not_done": [
            s.stream.name
            for s in results.streams
            if assessment.is_open and any(not g.is_done for g in s.groups)
        ],
    }


@private
def assessment_detail(request, pk):
    assessment = assessment_for(request.user, pk)
    return render(
        request,
        "assessments/assessment_detail.html",
        results_context(request, assessment),
    )


@private
def assessment_print(request, pk):
    """One page per stream on A4: each practice, its level, evidence, target."""
    assessment = assessment_for(request.user, pk)
    return render(
        request,
        "assessments/assessment_print.html",
        results_context(request, assessment),
    )


CSV_HEADER = [
    "stream",
    "practice",
    "group",
    "level",
    "level name",
    "what we have done",
    "target level",
    "target date",
]


def answer_rows(assessment):
    yield CSV_HEADER
    for stream, practice, group, answer in answer_sheet(assessment):
        yield [
            safe_cell(cell)
            for cell in (
                stream.name,
                practice.name,
                group.name,
                answer and answer.level,
                answer.get_level_display() if answer and answer.level else "",
                answer and answer.evidence,
                answer and answer.target_level,
                answer and answer.target_date,
            )
        ]


@private
def assessment_csv(request, pk):
    assessment = assessment_for(request.user, pk)
    writer = csv.writer(Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in answer_rows(assessment)),
        content_type="text/csv; charset=utf-8",
    )
    filename = f"p2s-assessment-{assessment.pk}-{assessment.held_on:%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@private
def gap_evidence(request, pk, practice):
    """For one practice of the assessment: the stories, lessons and themes
    of the library that speak to it, as this reader may read them."""
    assessment = assessment_for(request.user, pk)
    practice = get_object_or_404(
        Practice.objects.select_related("stream"),
        pk=practice,
        version=assessment.version_id,
    )
    results = results_of(assessment)
    result = results.practices[(practice.stream_id, practice.name)]
    context = {
        "assessment": assessment,
        "result": result,
        "evidence": evidence_for(practice, request.user),
    }
    return render(request, "assessments/gap_evidence.html", context)


def core_team_only(view):
    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not request.user.is_core_team:
            raise PermissionDenied("Only the core team sees the national picture.")
        return view(request, *args, **kwargs)

    return guarded


@private
@core_team_only
def national(request):
    return render(request, "assessments/national.html", {"picture": national_picture()})
