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
from django.template import Context, Engine, TemplateSyntaxError

from partnerops.core import audit
from partnerops.core.errors import DomainError
from partnerops.crm.models import Engagement
from partnerops.playbooks.models import HandoffIssue, IssueTemplate
from partnerops.playbooks.templating import email_context

_TEXT = Engine(autoescape=False, debug=False)


class GitHubError(Exception):
    """GitHub refused or could not be reached; the step can be resumed."""


def render_issue(template: IssueTemplate, engagement: Engagement) -> tuple[str, str]:
    agreement = engagement.agreements.order_by("-start_on", "-id").first()
    context = Context({**email_context(engagement, agreement), "hubs": list(engagement.organization.hubs.all()),
                       "engagement": engagement}, autoescape=False)  # fmt: skip
    try:
        title = _TEXT.from_string(template.title).render(context).strip()
        body = _TEXT.from_string(template.body).render(context)
    except TemplateSyntaxError as error:
        raise DomainError(f"The issue template '{template.name}' cannot be used: {error}") from None
    return " ".join(title.split()), body


def _create_through_api(title: str, body: str, labels: list[str]) -> tuple[str, int]:
    url = f"{settings.GITHUB_API_URL.rstrip('/')}/repos/{settings.GITHUB_REPOSITORY}/issues"
    request = urllib.request.Request(  # noqa: S310 - a configured https URL (http only in tests)
        url, method="POST", data=json.dumps({"title": title, "body": body, "labels": labels}).encode(),
        headers={"Authorization": f"Bearer {settings.GITHUB_TOKEN}", "Accept": "application/vnd.github+json",
                 "X-GitHub-Api-Version": "2022-11-28", "Content-Type": "application/json",
                 "User-Agent": "PartnerOps"},
    )  # fmt: skip
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
        engagement=engagement, template_key=template_key, title=title, url=url, number=number,
        created_through_api=through_api, created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )  # fmt: skip
    audit.record_create(actor=actor, instance=issue)
    return issue
