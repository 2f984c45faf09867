"""The default playbooks (seeds 003 and 004), their email and issue templates; all
editable afterwards by administrators in the admin."""

from django.db import migrations

M, A = "manual", "automatic"

PLAYBOOKS = [
    (
        "hail-the-lead",
        "Hail the Lead",
        "Seed 003: answer a new lead with the canned response and track it.",
        [
            (
                A,
                "Send the canned response with the service description",
                "send_email",
                {
                    "template": "hail-the-lead",
                    "to": "contacts",
                    "cc": ["partnerships"],
                    "attach": ["service_description"],
                },
            ),
            (A, "Track the lead as active", "move_engagement", {"status": "active_lead"}),
        ],
    ),
    (
        "create-running-notes",
        "Create running notes",
        "Seed 003: the partner's folder, a running-notes document shared with the lead's contacts.",
        [
            (
                A,
                "Generate the running-notes document in the partner's folder",
                "generate_document",
                {"template": "running-notes", "kind": "running_notes"},
            ),
            (
                A,
                "Share it with the contacts (signed link) and notify them",
                "send_email",
                {
                    "template": "running-notes-shared",
                    "to": "contacts",
                    "cc": ["partnerships"],
                    "link": "running_notes",
                },
            ),
        ],
    ),
    (
        "meet-with-the-lead",
        "Meet with the lead",
        "Seed 003: the first meetings, towards a verbal close.",
        [
            (M, "Answer their questions", "", {}),
            (M, "Explain the right to replicate", "", {}),
            (M, "Give a demo", "", {}),
            (M, "Forecast the procurement and deployment stages", "", {}),
            (
                M,
                "Verbal close: they want the service (skip if not yet)",
                "move_engagement",
                {"phase": "prospect"},
            ),
        ],
    ),
    (
        "send-draft-contract",
        "Send draft contract",
        "Seed 003: a services agreement from the template, filed, shared, noted.",
        [
            (
                A,
                "Generate the services agreement in the partner's folder",
                "generate_document",
                {"template": "services-agreement", "kind": "services_agreement"},
            ),
            (
                A,
                "Share it with the contacts",
                "send_email",
                {
                    "template": "draft-contract-shared",
                    "to": "contacts",
                    "cc": ["partnerships"],
                    "link": "services_agreement",
                    "attach": ["services_agreement"],
                },
            ),
            (
                A,
                "Note it on the running notes",
                "timeline_entry",
                {"title": "{date}: Sent (Draft) Service Agreement"},
            ),
        ],
    ),
    (
        "agreement-negotiation",
        "Service agreement negotiation",
        "Seed 003: addenda, then ready to sign.",
        [
            (M, "Add addenda: statement of work, deliverables (on the agreement's page)", "", {}),
            (
                M,
                "Both sides agree the terms: ready to sign",
                "agreement_move",
                {"state": "ready_to_sign"},
            ),
        ],
    ),
    (
        "signature-request",
        "Signature request",
        "Seed 003: the fiscal sponsor circulates the executable agreement.",
        [
            (
                A,
                "Ask the fiscal sponsor to circulate the agreement for signature",
                "send_email",
                {
                    "template": "signature-request",
                    "to": "operations",
                    "cc": ["partnerships"],
                    "attach": ["services_agreement"],
                },
            ),
            (
                M,
                "Executed copy recorded on the agreement (the executed close)",
                "agreement_executed",
                {},
            ),
        ],
    ),
    (
        "confirm-service",
        "Confirm service",
        "Seed 004: confirm tier and price; the fiscal sponsor sets up admin.",
        [
            (
                A,
                "Email the confirmation of tier and price (operations in copy: the chain is forwarded)",
                "send_email",
                {
                    "template": "confirm-service",
                    "to": "representative",
                    "cc": ["partnerships", "operations"],
                },
            ),
            (A, "Status: Needs Admin", "move_engagement", {"status": "needs_admin"}),
        ],
    ),
    (
        "set-up-service",
        "Set up service",
        "Seed 004: the engineering hand-off.",
        [
            (
                A,
                "Open the 'New Hub - Request Information' issue",
                "engineering_issue",
                {"template": "new-hub-request-information"},
            ),
            (M, "The community answered the information request", "", {}),
            (
                A,
                "Open the 'New Hub - Request deployment' issue",
                "engineering_issue",
                {"template": "new-hub-request-deployment"},
            ),
            (M, "Add the hub to the Active Hubs table", "", {}),
        ],
    ),
    (
        "launch-meeting",
        "Launch meeting",
        "Checklist; a later issue automates it.",
        [
            (M, "Schedule the launch meeting with the community", "", {}),
            (M, "Walk through the hub, support channels and the first steps", "", {}),
            (M, "Record the meeting's notes", "", {}),
        ],
    ),
    (
        "satisfaction-check-in",
        "Satisfaction check-in",
        "Checklist; a later issue automates it.",
        [
            (M, "Ask how the service is going (the check-in survey)", "", {}),
            (M, "Follow up on any concern", "", {}),
        ],
    ),
    (
        "renewal-tickler",
        "Renewal tickler",
        "Checklist; a later issue automates it.",
        [
            (M, "Three months before the end: ask whether they will renew", "", {}),
            (M, "Draft the renewal agreement", "", {}),
        ],
    ),
]

EMAIL_TEMPLATES = [
    (
        "draft-contract-shared",
        "Draft contract shared",
        "Draft services agreement -- {{ partner }} + {{ our_name }}",
        "Hello{% if representative %} {{ representative.name }}{% endif %},\n\n"
        "Please find our draft services agreement attached; you can also open it here:\n{{ link }}\n\n"
        "Let us know your questions and any changes you need.\n\nBest regards,\n{{ owner|default:our_name }}\n",
    ),
]

ISSUE_TEMPLATES = [
    (
        "new-hub-request-information",
        "New Hub - Request Information",
        "New Hub - Request Information: {{ partner }}",
        "### Community\n{{ partner }}\n\n### Contacts\n{% for contact in contacts %}- {{ contact.name }} <{{ contact.email }}>{% if contact.is_technical_contact %} (technical){% endif %}\n{% endfor %}\n"
        "### Service\nTier: {{ tier }}{% if price %} ({{ price }}){% endif %}\n\n### Information we need\n"
        "- Hub name and URL\n- Authentication (GitHub, Google, institutional)\n- Administrators\n- Expected users and start date\n"
        "- Cloud provider and region\n\nOpened by PartnerOps for {{ owner|default:our_name }}.\n",
        "new-hub",
    ),
    (
        "new-hub-request-deployment",
        "New Hub - Request deployment",
        "New Hub - Request deployment: {{ partner }}",
        "### Community\n{{ partner }}\n\n### Hubs\n{% for hub in hubs %}- {{ hub.name }} on {{ hub.cluster }} ({{ hub.provider }}){% empty %}- to be named\n{% endfor %}\n"
        "### Service\nTier: {{ tier }}{% if price %} ({{ price }}){% endif %}\n\nPlease deploy the hub(s) above.\n\n"
        "Opened by PartnerOps for {{ owner|default:our_name }}.\n",
        "new-hub",
    ),
]

DOCUMENT_TEMPLATES = [
    ("services-agreement", "Services agreement"),
    ("running-notes", "Running notes"),
    ("service-description", "Service description"),
]


def seed(apps, schema_editor):
    Playbook = apps.get_model("playbooks", "Playbook")
    PlaybookStep = apps.get_model("playbooks", "PlaybookStep")
    EmailTemplate = apps.get_model("playbooks", "EmailTemplate")
    IssueTemplate = apps.get_model("playbooks", "IssueTemplate")
    DocumentTemplate = apps.get_model("playbooks", "DocumentTemplate")
    for position, (key, name, description, steps) in enumerate(PLAYBOOKS, start=1):
        playbook, created = Playbook.objects.get_or_create(
            key=key, defaults={"name": name, "description": description, "position": position}
        )
        if created:
            for number, (kind, title, action, params) in enumerate(steps, start=1):
                PlaybookStep.objects.create(
                    playbook=playbook,
                    position=number,
                    kind=kind,
                    title=title,
                    action=action,
                    params=params,
                )
    for key, name, subject, body in EMAIL_TEMPLATES:
        EmailTemplate.objects.get_or_create(
            key=key, defaults={"name": name, "subject": subject, "body": body}
        )
    for key, name, title, body, labels in ISSUE_TEMPLATES:
        IssueTemplate.objects.get_or_create(
            key=key, defaults={"name": name, "title": title, "body": body, "labels": labels}
        )
    for key, name in DOCUMENT_TEMPLATES:
        DocumentTemplate.objects.get_or_create(key=key, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("playbooks", "0004_playbook_runs_documents_handoff")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
