"""Playbooks (the SOPs as guided, recorded runs), documents, received emails and the
engineering hand-off. Outgoing email is the outbox app's."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from partnerops.crm.models import Engagement

# Playbooks: the SOPs as guided, recorded runs ----------------------------------------------


class StepKind(models.TextChoices):
    AUTOMATIC = "automatic", "Done by PartnerOps"
    MANUAL = "manual", "Ticked by a person"


class Playbook(models.Model):
    """An SOP (seeds 003 and 004): ordered steps, editable by administrators."""

    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class PlaybookStep(models.Model):
    playbook = models.ForeignKey(Playbook, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    help_text = models.TextField(blank=True)
    kind = models.CharField(max_length=10, choices=StepKind.choices, default=StepKind.MANUAL)
    action = models.CharField(
        max_length=40,
        blank=True,
        help_text="What PartnerOps does: automatically, or when a person ticks a manual step.",
    )
    params = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["playbook", "position"]
        constraints = [
            models.UniqueConstraint(fields=["playbook", "position"], name="one_step_per_position")
        ]

    def __str__(self) -> str:
        return f"{self.playbook}: {self.position}. {self.title}"


class RunState(models.TextChoices):
    WAITING = "waiting", "Waiting for a person"
    FAILED = "failed", "A step failed"
    DONE = "done", "Done"


class StepState(models.TextChoices):
    PENDING = "pending", "To do"
    DONE = "done", "Done"
    SKIPPED = "skipped", "Skipped"
    FAILED = "failed", "Failed"


class PlaybookRun(models.Model):
    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="playbook_runs"
    )
    playbook = models.ForeignKey(Playbook, on_delete=models.PROTECT, related_name="runs")
    name = models.CharField(max_length=200, help_text="The playbook's name when started.")
    state = models.CharField(max_length=10, choices=RunState.choices, default=RunState.WAITING)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} for {self.engagement.organization.name}"


class RunStep(models.Model):
    """A step of one run: a copy of the playbook's step (editing the playbook later does
    not rewrite history) and what happened to it."""

    run = models.ForeignKey(PlaybookRun, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    help_text = models.TextField(blank=True)
    kind = models.CharField(max_length=10, choices=StepKind.choices)
    action = models.CharField(max_length=40, blank=True)
    params = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=StepState.choices, default=StepState.PENDING)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    result = models.JSONField(
        default=dict, blank=True, help_text="What the step made: email, document, link."
    )

    class Meta:
        ordering = ["run", "position"]
        constraints = [
            models.UniqueConstraint(fields=["run", "position"], name="one_run_step_per_position")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title} ({self.get_state_display()})"


# Documents ---------------------------------------------------------------------------------


class DocumentTemplate(models.Model):
    """A .docx with docxtpl placeholders; an upload replaces the built-in default."""

    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    file = models.FileField(
        upload_to="document-templates/",
        blank=True,
        help_text="A .docx with {{ placeholders }}; empty: the built-in default.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DocumentKind(models.TextChoices):
    RUNNING_NOTES = "running_notes", "Running notes"
    SERVICES_AGREEMENT = "services_agreement", "Services agreement (draft)"
    SERVICE_DESCRIPTION = "service_description", "Service description"
    RECEIVED_EMAIL = "received_email", "Received email"
    EMAIL_ATTACHMENT = "email_attachment", "Email attachment"
    # Filed on a grant (issue 11), in the funder's folder.
    GRANT_PROPOSAL = "grant_proposal", "Grant proposal"
    AWARD_LETTER = "award_letter", "Award letter"
    GRANT_REPORT = "grant_report", "Grant report"


def partner_folder(document: Document, filename: str) -> str:
    """Each partner's folder; names carry the version, so nothing is overwritten."""
    from django.utils.text import slugify

    organization = document.organization
    return f"partners/{organization.pk}-{slugify(organization.name)[:50]}/{filename}"


class Document(models.Model):
    organization = models.ForeignKey(
        "crm.Organization", on_delete=models.PROTECT, related_name="documents"
    )
    engagement = models.ForeignKey(
        Engagement, null=True, blank=True, on_delete=models.SET_NULL, related_name="documents"
    )
    kind = models.CharField(max_length=30, choices=DocumentKind.choices)
    title = models.CharField(max_length=300)
    version = models.PositiveIntegerField(default=1)
    file = models.FileField(upload_to=partner_folder, max_length=400)
    content_type = models.CharField(max_length=100, default="application/octet-stream")
    links_withdrawn_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Shared links made before this no longer open the document.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind", "title", "version"], name="document_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def download_name(self) -> str:
        """The name people see: the title and version (storage may rename the file)."""
        extension = (
            (self.file.name or "").rsplit(".", 1)[-1] if "." in (self.file.name or "") else "bin"
        )
        title = self.title.replace("/", "-").replace("\\", "-")
        return f"{title} v{self.version}.{extension}"


class ReceivedEmail(models.Model):
    """An email a partner sent us, recorded from its .eml on the running notes."""

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="received_emails"
    )
    sender = models.CharField(max_length=300)
    to = models.TextField(blank=True)
    cc = models.TextField(blank=True)
    sent_at = models.DateTimeField()
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    message_id = models.CharField(max_length=300, blank=True)
    original = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    attachments = models.ManyToManyField(Document, blank=True, related_name="received_in")
    timeline_entry = models.OneToOneField(
        "crm.TimelineEntry", on_delete=models.PROTECT, related_name="received_email"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"{self.subject} from {self.sender}"


# The engineering hand-off (seed 004, "Set up service") ---------------------------------------


class IssueTemplate(models.Model):
    """A GitHub issue the hand-off opens, editable (Django template syntax, email variables)."""

    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    title = models.CharField(max_length=300)
    body = models.TextField()
    labels = models.CharField(max_length=300, blank=True, help_text="Comma-separated.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class HandoffIssue(models.Model):
    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="handoff_issues"
    )
    template_key = models.CharField(max_length=60)
    title = models.CharField(max_length=300)
    url = models.URLField(max_length=2000)
    number = models.PositiveIntegerField(null=True, blank=True)
    created_through_api = models.BooleanField(
        default=False,
        help_text="Opened through the GitHub API; otherwise a prefilled link to open.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.title
