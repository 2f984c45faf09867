"""Your notifications: what PartnerOps told you (renewals, questions on invoices...)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from partnerops.outbox.models import Notification


def notifications(request: HttpRequest) -> HttpResponse:
    """Any signed-in person sees their own notifications, newest first."""
    items = Notification.objects.filter(recipient_id=request.user.pk).order_by("-created_at")[:100]
    return render(request, "outbox/notifications.html", {"notifications": items})
