"""Email templates: the list with their variables, and a preview for one engagement."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from partnerops.core.access import requires
from partnerops.core.errors import DomainError
from partnerops.core.roles import Capability
from partnerops.crm.models import Engagement
from partnerops.playbooks.models import EmailTemplate
from partnerops.playbooks.templating import VARIABLES, email_context, render_email


@requires(Capability.VIEW_PIPELINE)
def template_list(request: HttpRequest) -> HttpResponse:
    context = {"templates": EmailTemplate.objects.all(), "variables": VARIABLES}
    return render(request, "playbooks/template_list.html", context)


@requires(Capability.VIEW_PIPELINE)
def email_preview(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """What the email would say for this engagement, before anyone sends it."""
    engagement = get_object_or_404(
        Engagement.objects.select_related("organization", "owner"), pk=pk
    )
    template = get_object_or_404(EmailTemplate, key=key)
    agreement = engagement.agreements.select_related("tier").order_by("-start_on").first()
    try:
        rendered = render_email(template, email_context(engagement, agreement))
        error = ""
    except DomainError as refused:
        rendered, error = None, refused.message
    context = {
        "engagement": engagement, "template": template, "rendered": rendered, "error": error,
        "templates": EmailTemplate.objects.all(),
    }  # fmt: skip
    return render(request, "playbooks/email_preview.html", context)
