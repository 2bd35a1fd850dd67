from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from common import ratelimit
from common.timezones import ZONE_LABELS
from communities import services
from communities.forms import (
    InvitationAcceptForm,
    InvitationForm,
    JoinRequestForm,
    PasswordChangeForm,
    SignUpForm,
    TimeZoneForm,
)
from communities.models import Community, Invitation, JoinRequest, Membership

BACKEND = "communities.backends.EmailBackend"


def safe_next(request, default):
    """The `next` the form asked for, if it stays on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


# Accounts ----------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def sign_up(request):
    if request.user.is_authenticated:
        return redirect("me")
    form = SignUpForm(request.POST or None)
    limit = ratelimit.check_form(request, "signup", form)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = services.user_sign_up(
            name=data["name"],
            email=data["email"],
            organisation=data["organisation"],
            password=data["password1"],
            community=data["community"],
            message=data["message"],
        )
        login(request, user, backend=BACKEND)
        messages.success(
            request,
            "Thank you for signing up. Your account is waiting for approval; "
            "we'll email you when it's approved.",
        )
        return redirect("me")
    status = 400 if form.errors else 200
    response = render(request, "accounts/signup.html", {"form": form}, status=status)
    return limit.apply(response)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def invitation_accept(request, token):
    invitation = services.invitation_for_token(token)
    if invitation is None:
        raise Http404("This invitation has expired, was used, or doesn't exist.")
    form = InvitationAcceptForm(
        request.POST or None, initial={"email": invitation.email}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = services.invitation_accept(
            invitation=invitation,
            name=data["name"],
            email=data["email"],
            organisation=data["organisation"],
            password=data["password1"],
        )
        if user is None:
            raise Http404("This invitation has just been used.")
        login(request, user, backend=BACKEND)
        messages.success(request, "Welcome to Pathway to Scale Interactive.")
        return redirect("me")
    status = 400 if form.errors else 200
    context = {"form": form, "invitation": invitation}
    return render(request, "accounts/invitation_accept.html", context, status=status)


def core_team_only(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.is_core_team:
        raise PermissionDenied("Only the core team can do this.")
    return None


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def invitation_list(request):
    if response := core_team_only(request):
        return response
    form = InvitationForm(request.POST or None)
    link = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            _, token = services.invitation_create(
                actor=request.user, **form.cleaned_data
            )
            link = request.build_absolute_uri(
                reverse("accounts:invitation", args=[token])
            )
            form = InvitationForm()
        else:
            status = 400
    context = {
        "form": form,
        "link": link,
        "invitations": Invitation.objects.select_related("community", "used_by")[:50],
    }
    return render(request, "accounts/invitation_list.html", context, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def pending_accounts(request):
    if response := core_team_only(request):
        return response
    User = get_user_model()
    if request.method == "POST":
        user = get_object_or_404(User, pk=request.POST.get("user"), is_approved=False)
        services.user_approve(user=user, actor=request.user)
        messages.success(request, f"{user} is approved.")
        return redirect("accounts:pending")
    pending = User.objects.filter(is_approved=False, is_active=True).order_by(
        "date_joined"
    )
    return render(request, "accounts/pending.html", {"pending": pending})


# Joining a community ------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def join(request, slug):
    community = get_object_or_404(Community, slug=slug)
    if Membership.objects.filter(user=request.user, community=community).exists():
        messages.info(request, f"You are already a member of {community}.")
        return redirect(community)
    form = JoinRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.join_request_create(
            user=request.user, community=community, message=form.cleaned_data["message"]
        )
        messages.success(request, f"Your request to join {community} was sent.")
        return redirect("me")
    status = 400 if form.errors else 200
    context = {"form": form, "community": community}
    return render(request, "communities/join.html", context, status=status)


@never_cache
@login_required
@require_safe
def join_requests(request, slug):
    community = get_object_or_404(Community, slug=slug)
    if not services.can_decide_join_requests(request.user, community):
        raise PermissionDenied("Only this community's lead or the core team can.")
    waiting = community.join_requests.filter(
        status=JoinRequest.Status.PENDING
    ).select_related("user")
    context = {"community": community, "waiting": waiting}
    return render(request, "communities/join_requests.html", context)


@login_required
@require_POST
def join_request_decide(request, pk):
    join_request = get_object_or_404(
        JoinRequest.objects.select_related("user", "community"), pk=pk
    )
    if not services.can_decide_join_requests(request.user, join_request.community):
        raise PermissionDenied("Only this community's lead or the core team can.")
    decision = request.POST.get("decision")
    if decision not in {"approve", "decline"}:
        messages.error(request, "Choose approve or decline.")
        return redirect("communities:join-requests", slug=join_request.community.slug)
    approve = decision == "approve"
    if services.join_request_decide(
        join_request=join_request, actor=request.user, approve=approve, request=request
    ):
        verb = "approved" if approve else "declined"
        messages.success(request, f"{join_request.user} was {verb}.")
    else:
        messages.info(request, "That request was already decided.")
    return redirect(safe_next(request, reverse("me")))


class PasswordChange(auth_views.PasswordChangeView):
    """Changing the password keeps this session and ends every other one
    (Django checks each session against a hash of the password)."""

    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("me")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(
            self.request,
            "Your password is changed. You are signed out everywhere else.",
        )
        return response

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def time_zone(request):
    """Which Australian time zone the reader sees times in; back to the page
    they came from (`next`) once chosen."""
    user = request.user
    if request.method != "POST":
        form = TimeZoneForm(initial={"time_zone": user.shown_time_zone})
        context = {"form": form, "next": safe_next(request, "")}
        return render(request, "accounts/time_zone.html", context)
    form = TimeZoneForm(request.POST)
    if not form.is_valid():
        context = {"form": form, "next": safe_next(request, "")}
        return render(request, "accounts/time_zone.html", context, status=400)
    services.time_zone_choose(user, form.cleaned_data["time_zone"])
    label = ZONE_LABELS[user.time_zone]
    messages.success(request, f"Times are now shown in the time of {label}.")
    return redirect(safe_next(request, reverse("accounts:time_zone")))
