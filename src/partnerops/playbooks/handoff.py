"""The engineering hand-off (seed 004, "Set up service"): GitHub issues from editable
templates, opened through the REST API when a repository and token are configured,
otherwise offered as a prefilled new-issue link. Either way the link is kept."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from django.conf import settings
from django.template import Context, TemplateSyntaxError

from partnerops.core import audit
from partnerops.core.actors import user_or_none
from partnerops.core.errors import DomainError
from partnerops.core.sandbox import freeze, restricted_engine
from partnerops.crm.models import Engagement
from partnerops.hubs.models import Hub
from partnerops.outbox.templating import email_context
from partnerops.playbooks.models import HandoffIssue, IssueTemplate

_TEXT = restricted_engine(autoescape=False)


class GitHubError(Exception):
    """GitHub refused or could not be reached; the step can be resumed."""


def hub_values(hub: Hub) -> dict[str, Any]:
    return {
        "name": hub.name,
        "url": hub.url,
        "cluster": hub.cluster,
        "provider": hub.get_provider_display(),
        "tenancy": hub.get_tenancy_display(),
        "state": hub.get_state_display(),
        "service_start_on": hub.service_start_on,
    }


def issue_context(engagement: Engagement) -> dict[str, Any]:
    agreement = engagement.agreements.order_by("-start_on", "-id").first()
    hubs = [hub_values(hub) for hub in engagement.organization.hubs.order_by("name")]
    base = email_context(engagement, agreement)
    values = {
        "phase": engagement.get_phase_display(),
        "status": engagement.get_status_display(),
        "owner": base["owner"],
    }
    return freeze({**base, "hubs": hubs, "engagement": values})


def sample_issue_context() -> dict[str, Any]:
    """Example values of every variable, to check an edited template before saving it."""
    from partnerops.playbooks.documents import sample_context

    hub = {
        "name": "example-hub",
        "url": "https://hub.example.org",
        "cluster": "shared-cluster",
        "provider": "Google Cloud",
        "tenancy": "Shared",
        "state": "Requested",
        "service_start_on": None,
    }
    engagement = {"phase": "Prospect", "status": "Active Lead", "owner": "A. Owner"}
    return freeze({**sample_context(), "hubs": [hub], "engagement": engagement})


def render_issue_text(name: str, title: str, body: str, context: dict[str, Any]) -> tuple[str, str]:
    values = Context(freeze(context), autoescape=False)
    try:
        rendered_title = _TEXT.from_string(title).render(values).strip()
        rendered_body = _TEXT.from_string(body).render(values)
    except TemplateSyntaxError as error:
        raise DomainError(f"The issue template '{name}' cannot be used: {error}") from None
    return " ".join(rendered_title.split()), rendered_body


def render_issue(template: IssueTemplate, engagement: Engagement) -> tuple[str, str]:
    return render_issue_text(
        template.name, template.title, template.body, issue_context(engagement)
    )


def _create_through_api(title: str, body: str, labels: list[str]) -> tuple[str, int]:
    url = f"{settings.GITHUB_API_URL.rstrip('/')}/repos/{settings.GITHUB_REPOSITORY}/issues"
    request = urllib.request.Request(  # noqa: S310 - a configured https URL (http only in tests)
        url,
        method="POST",
        data=json.dumps({"title": title, "body": body, "labels": labels}).encode(),
        headers={
            "Authorization": f"Bearer {settings.GITHUB_TOKEN}",
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28",
            "Content-Type": "application/json",
            "User-Agent": "PartnerOps",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.GITHUB_TIMEOUT) as response:  # noqa: S310
            created = json.loads(response.read())
    except urllib.error.HTTPError as error:
        detail = error.read().decode(errors="replace")[:300]
        raise GitHubError(f"GitHub refused the issue ({error.code}): {detail}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise GitHubError(f"GitHub could not be reached: {error}") from None
    return str(created["html_url"]), int(created["number"])


def prefilled_link(title: str, body: str, labels: list[str]) -> str:
    repository = settings.GITHUB_REPOSITORY or "OWNER/REPOSITORY"
    query = {"title": title, "body": body, **({"labels": ",".join(labels)} if labels else {})}
    return f"https://github.com/{repository}/issues/new?{urllib.parse.urlencode(query)}"


def handoff_issue_create(*, actor: Any, engagement: Engagement, template_key: str) -> HandoffIssue:
    """Open (or prepare) one issue; called by the playbook step, in its transaction."""
    template = IssueTemplate.objects.filter(key=template_key).first()
    if template is None:
        raise DomainError(f"There is no issue template '{template_key}'.")
    title, body = render_issue(template, engagement)
    labels = [label.strip() for label in template.labels.split(",") if label.strip()]
    if settings.GITHUB_REPOSITORY and settings.GITHUB_TOKEN:
        url, number = _create_through_api(title, body, labels)
        through_api = True
    else:
        url, number, through_api = prefilled_link(title, body, labels), None, False
    issue = HandoffIssue.objects.create(
        engagement=engagement,
        template_key=template_key,
        title=title,
        url=url,
        number=number,
        created_through_api=through_api,
        created_by=user_or_none(actor),
    )
    audit.record_create(actor=actor, instance=issue)
    return issue
