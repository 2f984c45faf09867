"""Account, settings and audit pages."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from partnerops.core import audit
from partnerops.core.access import requires
from partnerops.core.errors import DomainError
from partnerops.core.forms import ApiTokenForm, ProfileForm, add_service_errors
from partnerops.core.models import ApiToken, AuditEvent, User
from partnerops.core.profile import PROFILE_FIELDS, get_profile, profile_update
from partnerops.core.roles import Capability
from partnerops.core.tokens import api_token_create, api_token_revoke


def _signed_in(request: HttpRequest) -> User:
    user = request.user
    # LoginRequiredMiddleware guarantees it; the assert narrows the type.
    assert isinstance(user, User)
    return user


def home(request: HttpRequest) -> HttpResponse:
    return redirect("crm:board")


@requires(Capability.VIEW_AUDIT_LOG)
def audit_log(request: HttpRequest) -> HttpResponse:
    """Every write, newest first, filterable by actor, action, object type and date."""
    events = AuditEvent.objects.select_related("actor", "content_type")
    filters = {
        name: request.GET.get(name, "").strip()
        for name in ("actor", "action", "type", "object_id", "since", "until")
    }
    if filters["actor"]:
        who = filters["actor"]
        events = events.filter(Q(actor_repr__icontains=who) | Q(actor__username__icontains=who))
    if filters["action"]:
        events = events.filter(action=filters["action"])
    if filters["type"].isdigit():
        events = events.filter(content_type_id=int(filters["type"]))
    if filters["object_id"]:
        events = events.filter(object_id=filters["object_id"])
    if filters["since"]:
        events = events.filter(at__date__gte=filters["since"])
    if filters["until"]:
        events = events.filter(at__date__lte=filters["until"])
    page = Paginator(events.order_by("-at", "-id"), settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "filters": filters,
        "querystring": query.urlencode(),
        "actions": [
            (action, audit.action_words(action))
            for action in AuditEvent.objects.order_by("action")
            .values_list("action", flat=True)
            .distinct()
        ],
        "types": ContentType.objects.filter(
            pk__in=AuditEvent.objects.values("content_type").distinct()
        ).order_by("model"),
    }
    return render(request, "core/audit_log.html", context)


@requires(Capability.MANAGE_SETTINGS)
def organisation_settings(request: HttpRequest) -> HttpResponse:
    profile = get_profile()
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            profile_update(
                actor=request.user, **{name: form.cleaned_data[name] for name in PROFILE_FIELDS}
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Settings saved.")
            return redirect("settings")
    return render(request, "core/settings.html", {"form": form})


def api_tokens(request: HttpRequest) -> HttpResponse:
    """Any signed-in person manages their own API tokens; the new one is shown once."""
    form = ApiTokenForm(request.POST or None)
    plaintext = None
    if request.method == "POST" and form.is_valid():
        try:
            _, plaintext = api_token_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                expires_on=form.cleaned_data["expires_on"],
            )
        except DomainError as error:
            add_service_errors(form, error)
        else:
            form = ApiTokenForm()
    tokens = ApiToken.objects.filter(user=_signed_in(request)).order_by("-created_at")
    return render(
        request, "core/api_tokens.html", {"form": form, "tokens": tokens, "plaintext": plaintext}
    )


@require_POST
def api_token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=_signed_in(request))
    api_token_revoke(actor=request.user, token=token)
    messages.success(request, f"Token '{token.name}' revoked.")
    return redirect("api-tokens")
