"""The outbox: every outgoing email is stored first, then sent by a worker, once; and the
email templates administrators edit. The tables keep the names they had under playbooks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from partnerops.crm.models import Engagement


class EmailStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed (will retry)"
    GAVE_UP = "gave_up", "Gave up"


class OutboundEmail(models.Model):
    """One email as it was (or will be) sent: the archive the fiscal sponsor asks us to keep."""

    key = models.CharField(
        max_length=200, unique=True, help_text="What it is for; the same key is never sent twice."
    )
    engagement = models.ForeignKey(
        Engagement, null=True, blank=True, on_delete=models.SET_NULL, related_name="outbound_emails"
    )
    from_email = models.CharField(max_length=300)
    to = models.JSONField(default=list)
    cc = models.JSONField(default=list, blank=True)
    reply_to = models.JSONField(default=list, blank=True)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    html_body = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=EmailStatus.choices, default=EmailStatus.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        db_table = "playbooks_outboundemail"  # the table it had under playbooks
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)} ({self.get_status_display()})"


class EmailAttachment(models.Model):
    email = models.ForeignKey(OutboundEmail, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="outbox/%Y/%m/")
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100, default="application/octet-stream")

    class Meta:
        db_table = "playbooks_emailattachment"

    def __str__(self) -> str:
        return self.filename


class EmailTemplate(models.Model):
    """An email PartnerOps sends, editable by administrators (Django template syntax)."""

    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    subject = models.CharField(max_length=300)
    body = models.TextField(help_text="Plain text. Variables: see the template list page.")
    html_body = models.TextField(blank=True, help_text="Optional HTML version.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "playbooks_emailtemplate"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Notification(models.Model):
    """A message for a team member (renewal reminders and the like), created once per key."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    key = models.CharField(
        max_length=200, unique=True, help_text="What makes it unique, so it is sent once."
    )
    subject = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    emailed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "core_notification"  # the table it had under core
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.subject
