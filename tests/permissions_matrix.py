"""Who may do what: the expected answer of every URL for every role and anonymous.

This is the specification that tests/test_permissions_matrix.py checks against
the running app, and the source of docs/permissions.md
(``make permissions-doc`` rewrites that page from it). A URL pattern without a
row here fails the test: decide who may use a new page before shipping it.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass

ANONYMOUS = "anonymous"
ROLES = ("Partnerships", "Engineering", "Operations", "Viewer", "Administrator")
WHO = (ANONYMOUS, *ROLES)
EVERY_ROLE = frozenset(ROLES)
PIPELINE_EDITORS = frozenset({"Partnerships", "Administrator"})
ADMINISTRATORS = frozenset({"Administrator"})
PRICE_BOOK_EDITORS = frozenset({"Partnerships", "Administrator"})
AGREEMENT_EDITORS = frozenset({"Partnerships", "Administrator"})
# Operations (the fiscal sponsor) circulates agreements for signature and executes them.
AGREEMENT_MOVERS = frozenset({"Partnerships", "Operations", "Administrator"})
HUB_EDITORS = frozenset({"Partnerships", "Engineering", "Administrator"})
COST_IMPORTERS = frozenset({"Engineering", "Operations", "Administrator"})
# Seed 004: the fiscal sponsor (Operations) runs billing; Partnerships follows its partners' invoices.
INVOICE_READERS = frozenset({"Partnerships", "Operations", "Administrator"})
BILLING_MANAGERS = frozenset({"Operations", "Administrator"})
# The fiscal sponsor runs payroll with the organisation: Operations keeps the team.
TEAM_MANAGERS = frozenset({"Operations", "Administrator"})
COMPENSATION_READERS = frozenset({"Operations", "Administrator"})
GRANT_MANAGERS = frozenset({"Partnerships", "Operations", "Administrator"})


@dataclass(frozen=True)
class Rule:
    method: str
    expected: dict[str, int]
    what: str


def page(what: str, allowed: frozenset[str], *, method: str = "GET", ok: int = 200) -> Rule:
    """A signed-in page: anonymous is sent to the login page, other roles get 403."""
    expected = {ANONYMOUS: 302, **{role: ok if role in allowed else 403 for role in ROLES}}
    return Rule(method, expected, what)


def api(what: str, allowed: frozenset[str], *, method: str = "GET", ok: int = 200) -> Rule:
    """An API operation: anonymous gets 401 problem+json, other roles 403."""
    expected = {ANONYMOUS: 401, **{role: ok if role in allowed else 403 for role in ROLES}}
    return Rule(method, expected, what)


def admin(what: str, *, ok: int = 200, method: str = "GET") -> Rule:
    """The Django admin: everyone but administrators is sent to the admin's login."""
    expected = {ANONYMOUS: 302, **{role: ok if role in ADMINISTRATORS else 302 for role in ROLES}}
    return Rule(method, expected, what)


def public(what: str, *, anonymous: int = 200, signed_in: int = 200, method: str = "GET") -> Rule:
    return Rule(method, {ANONYMOUS: anonymous, **{role: signed_in for role in ROLES}}, what)


# Writes are tested with an empty or invalid body: an allowed role gets past the
# permission check to validation (422 / a re-rendered form / a redirect with a
# message), a refused role never does.
MATRIX: dict[str, Rule] = {
    # Account and set-up
    "home": page("Home: redirects to the board", EVERY_ROLE, ok=302),
    "login": public("Sign in", signed_in=302),
    "logout": public("Sign out (POST)", anonymous=302, signed_in=302, method="POST"),
    "api-tokens": page("Your API tokens", EVERY_ROLE),
    "api-token-revoke": page("Revoke one of your tokens (POST)", EVERY_ROLE, method="POST", ok=404),
    "settings": page("Our organisation's identity", ADMINISTRATORS),
    "audit-log": page("Audit trail, filterable", ADMINISTRATORS),
    # Pipeline pages
    "crm:board": page("Pipeline board", EVERY_ROLE),
    "crm:board-move": page("Move a card (POST)", PIPELINE_EDITORS, method="POST", ok=302),
    "crm:engagement-list": page("Engagements list", EVERY_ROLE),
    "crm:engagement-create": page("New engagement", PIPELINE_EDITORS),
    "crm:engagement-detail": page("Engagement, timeline, MANIAC-T, history", EVERY_ROLE),
    "crm:engagement-edit": page("Edit engagement", PIPELINE_EDITORS),
    "crm:engagement-move": page("Move an engagement (any allowed state)", PIPELINE_EDITORS),
    "crm:engagement-qualify": page(
        "MANIAC-T side by side (read; saving needs Partnerships)", EVERY_ROLE
    ),
    "crm:timeline-add": page("Add to the running notes", PIPELINE_EDITORS),
    "crm:organization-list": page("Organizations", EVERY_ROLE),
    "crm:organization-create": page("New organization", PIPELINE_EDITORS),
    "crm:organization-detail": page("Organization, contacts, history", EVERY_ROLE),
    "crm:organization-edit": page("Edit organization", PIPELINE_EDITORS),
    "crm:contact-create": page("New contact", PIPELINE_EDITORS),
    "crm:contact-edit": page("Edit contact", PIPELINE_EDITORS),
    "crm:contact-delete": page("Remove contact (POST)", PIPELINE_EDITORS, method="POST", ok=302),
    # Price book, agreements, renewals, formal documents, check-ins, calendar
    "contracts:tier-list": page("Price book", EVERY_ROLE),
    "contracts:tier-create": page("New tier", PRICE_BOOK_EDITORS),
    "contracts:tier-reprice": page("New price (a new version)", PRICE_BOOK_EDITORS),
    "contracts:usage-pricing-create": page("New usage price (bands)", PRICE_BOOK_EDITORS),
    "contracts:usage-pricing-reprice": page("New usage price version (bands)", PRICE_BOOK_EDITORS),
    "contracts:agreement-list": page("Agreements", EVERY_ROLE),
    "contracts:agreement-create": page("New agreement for an engagement", AGREEMENT_EDITORS),
    "contracts:agreement-detail": page(
        "Agreement: terms, evidence, addenda, hubs, history", EVERY_ROLE
    ),
    "contracts:agreement-edit": page("Edit terms (draft or negotiating)", AGREEMENT_EDITORS),
    "contracts:agreement-transition": page(
        "Move an agreement (POST; out for signature and executed: Operations)",
        AGREEMENT_MOVERS,
        method="POST",
        ok=302,
    ),
    "contracts:agreement-extend": page("Extend (POST)", AGREEMENT_EDITORS, method="POST", ok=302),
    "contracts:agreement-renew": page(
        "Draft a renewal (POST)", AGREEMENT_EDITORS, method="POST", ok=302
    ),
    "contracts:agreement-confirm-price": page("Record the price confirmation", AGREEMENT_EDITORS),
    "contracts:agreement-documents": page("Formal documents of an agreement", AGREEMENT_EDITORS),
    "contracts:addendum-create": page("New addendum", AGREEMENT_EDITORS),
    "contracts:deliverable-create": page("New deliverable", AGREEMENT_EDITORS),
    "contracts:deliverable-edit": page("Update a deliverable", AGREEMENT_EDITORS),
    "contracts:renewals": page("Renewal views", EVERY_ROLE),
    "contracts:formal-documents": page(
        "Formal documents and the missing-version report", EVERY_ROLE
    ),
    "contracts:formal-document-create": page("New formal document version", AGREEMENT_EDITORS),
    "contracts:check-in-schedule": page("Satisfaction check-in schedule", AGREEMENT_EDITORS),
    "contracts:calendar": page("Your calendar feed address", EVERY_ROLE),
    "contracts:calendar-rotate": page(
        "New calendar address (POST)", EVERY_ROLE, method="POST", ok=302
    ),
    "outbox:notifications": page("Your notifications", EVERY_ROLE),
    "check-in": public("Satisfaction survey by signed single-use link"),
    "calendar-feed": public("iCalendar feed at a secret address"),
    # Hubs
    "hubs:hub-list": page("Active hubs", EVERY_ROLE),
    "hubs:hub-create": page("New hub", HUB_EDITORS),
    "hubs:hub-detail": page("Hub", EVERY_ROLE),
    "hubs:hub-edit": page("Edit hub", HUB_EDITORS),
    "hubs:hub-transition": page("Hub lifecycle move (POST)", HUB_EDITORS, method="POST", ok=302),
    # Hub usage and clusters: Engineering configures clusters (they keep the hubs
    # table); cost importers pull and import usage, as they import the bills.
    "usage:overview": page("Hub usage: months, pulls, exclusions on every cluster", EVERY_ROLE),
    "usage:month": page("A month's usage per hub", EVERY_ROLE),
    "usage:import": page("Import usage from a CSV", COST_IMPORTERS),
    "usage:excluded-add": page(
        "Exclude a user name from counting (POST)", HUB_EDITORS, method="POST", ok=302
    ),
    "usage:excluded-remove": page(
        "Count an excluded user name again (POST)", HUB_EDITORS, method="POST", ok=302
    ),
    "usage:cluster-list": page("Clusters", EVERY_ROLE),
    "usage:cluster-create": page("New cluster (its Prometheus)", HUB_EDITORS),
    "usage:cluster-detail": page("A cluster: its hubs' weights and usage per month", EVERY_ROLE),
    "usage:cluster-edit": page("Edit a cluster (its Prometheus, queries)", HUB_EDITORS),
    "usage:cluster-pull": page(
        "Pull a month from the cluster's Prometheus (POST)", COST_IMPORTERS, method="POST", ok=302
    ),
    # The team: every role sees titles, FTE and capacity; pay only with "view compensation"
    "team:overview": page(
        "Team: roles, positions, people (pay only to those who may see it)", EVERY_ROLE
    ),
    "team:capacity": page(
        "Delivery capacity and costs <= sold <= capacity for a month", EVERY_ROLE
    ),
    "team:export": page("The team as CSV (pay columns only with compensation)", EVERY_ROLE),
    "team:role-create": page("New role", TEAM_MANAGERS),
    "team:role-edit": page("Edit a role", TEAM_MANAGERS),
    "team:scale-create": page("New pay scale version for a role", TEAM_MANAGERS),
    "team:person-create": page("New person", TEAM_MANAGERS),
    "team:assignment-create": page("Give a person a position", TEAM_MANAGERS),
    "team:assignment-change": page(
        "Change a position from a date (promotion, step, FTE)", TEAM_MANAGERS
    ),
    "team:assignment-end": page("End a position", TEAM_MANAGERS),
    # Grants: every role reads; the partnerships lead and Operations keep them
    "grants:grant-list": page("Grants, per year, pending weighted by probability", EVERY_ROLE),
    "grants:grant-detail": page("A grant: moves, deliverables and reports, sub-awards", EVERY_ROLE),
    "grants:grant-create": page("New grant opportunity", GRANT_MANAGERS),
    "grants:grant-edit": page("Edit a grant", GRANT_MANAGERS),
    "grants:grant-move": page("Move a grant (POST)", GRANT_MANAGERS, method="POST", ok=302),
    "grants:obligation-add": page(
        "Add a deliverable or report (POST)", GRANT_MANAGERS, method="POST", ok=302
    ),
    "grants:obligation-done": page(
        "Mark a deliverable or report done (POST)", GRANT_MANAGERS, method="POST", ok=302
    ),
    "grants:subaward-link": page("Link a sub-award (POST)", GRANT_MANAGERS, method="POST", ok=302),
    "grants:document-file": page(
        "File a proposal, award letter or report (POST)", GRANT_MANAGERS, method="POST", ok=302
    ),
    # Cloud costs
    "costs:overview": page(
        "Cloud costs: months and imports (importing needs a cost importer)", EVERY_ROLE
    ),
    "costs:month": page(
        "A month's costs per community, with the reconciliation", EVERY_ROLE, ok=302
    ),
    "costs:drilldown": page("The accounts and services behind an amount", EVERY_ROLE, ok=404),
    # Playbooks
    "playbooks:template-list": page("Email templates and their variables", EVERY_ROLE),
    "playbooks:email-preview": page("Preview an email for an engagement", EVERY_ROLE),
    # Playbooks: run by whoever changes the pipeline, seen by every role
    "playbooks:run-start": page("Start a playbook (POST)", PIPELINE_EDITORS, method="POST", ok=404),
    "playbooks:run-detail": page("A playbook run and its steps", EVERY_ROLE),
    "playbooks:step-complete": page(
        "Tick or skip a step (POST)", PIPELINE_EDITORS, method="POST", ok=302
    ),
    "playbooks:run-resume": page(
        "Resume a failed run (POST)", PIPELINE_EDITORS, method="POST", ok=302
    ),
    "playbooks:received-email-upload": page("Record a received email (.eml)", PIPELINE_EDITORS),
    "playbooks:running-notes-export": page(
        "Export the running notes as .docx (POST)", PIPELINE_EDITORS, method="POST", ok=302
    ),
    "playbooks:document-download": page("Download a document", EVERY_ROLE),
    "playbooks:document-share": page(
        "Make a signed link (POST)", PIPELINE_EDITORS, method="POST", ok=302
    ),
    "playbooks:document-withdraw-links": page(
        "Withdraw every link shared so far (POST)", PIPELINE_EDITORS, method="POST", ok=302
    ),
    "shared-document": public("A shared document by signed, expiring link"),
    "api-1:list_playbooks": api("Playbooks and their steps", EVERY_ROLE),
    "api-1:start_playbook": api("Start a playbook", PIPELINE_EDITORS, method="POST", ok=422),
    "api-1:list_playbook_runs": api("Playbook runs (?engagement_id=)", EVERY_ROLE),
    "api-1:get_playbook_run": api("A playbook run", EVERY_ROLE),
    "api-1:complete_step": api("Tick or skip a step", PIPELINE_EDITORS, method="POST", ok=422),
    "api-1:resume_playbook_run": api(
        "Resume a failed run (no body)", PIPELINE_EDITORS, method="POST", ok=409
    ),
    "api-1:list_documents": api("Documents (?engagement_id=)", EVERY_ROLE),
    "api-1:download_document": api("Download a document", EVERY_ROLE),
    "api-1:share_document": api(
        "Signed link to a document (no body)", PIPELINE_EDITORS, method="POST"
    ),
    "api-1:withdraw_document_links": api(
        "Withdraw a document's shared links (no body)", PIPELINE_EDITORS, method="POST"
    ),
    "api-1:export_running_notes": api(
        "Export running notes", PIPELINE_EDITORS, method="POST", ok=422
    ),
    "api-1:list_emails": api("Emails sent and received (?engagement_id=)", EVERY_ROLE, ok=422),
    "api-1:record_received_email": api(
        "Record a received email (multipart .eml)", PIPELINE_EDITORS, method="POST", ok=422
    ),
    # Invoicing
    "invoicing:billing": page(
        "A month's invoices, blocked communities, turnaround", INVOICE_READERS
    ),
    "invoicing:billing-run": page(
        "Run billing for a month (POST)", BILLING_MANAGERS, method="POST", ok=404
    ),
    "invoicing:billing-request-confirmations": page(
        "Ask the month's drafts for confirmation (POST)", BILLING_MANAGERS, method="POST", ok=404
    ),
    "invoicing:billing-finalise": page(
        "Issue the month's confirmed invoices (POST)", BILLING_MANAGERS, method="POST", ok=404
    ),
    "invoicing:export": page("Accounting export (Xero, generic CSV)", INVOICE_READERS),
    "invoicing:invoice-list": page("All invoices", INVOICE_READERS),
    "invoicing:invoice-detail": page("Invoice", INVOICE_READERS),
    "invoicing:invoice-request-confirmation": page(
        "Ask the community to confirm (POST)", BILLING_MANAGERS, method="POST", ok=302
    ),
    "invoicing:invoice-record-confirmation": page(
        "Record an email confirmation (.eml)", BILLING_MANAGERS
    ),
    "invoicing:invoice-return-to-draft": page(
        "Back to draft (POST)", BILLING_MANAGERS, method="POST", ok=302
    ),
    "invoicing:invoice-finalise": page(
        "Issue and send (POST)", BILLING_MANAGERS, method="POST", ok=302
    ),
    "invoicing:invoice-payment": page("Record a payment", BILLING_MANAGERS),
    "invoicing:invoice-credit-note": page("Issue a credit note", BILLING_MANAGERS),
    "invoicing:invoice-void": page("Void an issued invoice", BILLING_MANAGERS),
    "invoicing:invoice-reissue": page(
        "Re-issue a voided invoice (POST)", BILLING_MANAGERS, method="POST", ok=302
    ),
    "invoicing:invoice-add-charge": page("Add a manual line", BILLING_MANAGERS),
    "invoicing:invoice-pdf": page("Download the invoice PDF", INVOICE_READERS),
    "invoicing:invoice-statement": page(
        "The invoice's cloud cost statement (PDF, CSV)", INVOICE_READERS
    ),
    "invoicing:invoice-confirmation-email": page(
        "Download the confirming email", INVOICE_READERS, ok=404
    ),
    "invoicing:charge-delete": page(
        "Remove a manual line (POST)", BILLING_MANAGERS, method="POST", ok=302
    ),
    "invoicing:credit-note-pdf": page("Download a credit note PDF", INVOICE_READERS),
    "invoice-confirmation": public("Confirm delivery by signed single-use link"),
    "healthz": public("Health: the process answers"),
    # The matrix's world has never run tick: not ready (503), for everyone alike.
    "readyz": public("Readiness: database, migrations, outbox, tick", anonymous=503, signed_in=503),
    "confirmation-statement": public("The cloud cost statement, by the same signed link"),
    "api-1:start_billing_run": api(
        "Run billing for a month", BILLING_MANAGERS, method="POST", ok=422
    ),
    "api-1:list_billing_runs": api("Billing runs", INVOICE_READERS),
    "api-1:get_billing_run": api("One billing run", INVOICE_READERS),
    "api-1:request_month_confirmations": api(
        "Ask a month's drafts for confirmation", BILLING_MANAGERS, method="POST", ok=422
    ),
    "api-1:finalise_month": api(
        "Issue a month's confirmed invoices", BILLING_MANAGERS, method="POST", ok=422
    ),
    "api-1:list_users": api("Users and their roles", ADMINISTRATORS),
    "api-1:create_user": api("Create a user with a role", ADMINISTRATORS, method="POST", ok=422),
    "api-1:set_user_role": api("Change a user's role", ADMINISTRATORS, method="POST", ok=422),
    "api-1:deactivate_user": api("Deactivate a user", ADMINISTRATORS, method="POST", ok=404),
    "api-1:cloud_cost_not_billed": api("Cloud cost not billed (?month=)", INVOICE_READERS, ok=422),
    "api-1:accounting_export": api("Accounting export CSV (?start=&end=)", INVOICE_READERS, ok=422),
    "api-1:list_invoices": api("List invoices", INVOICE_READERS),
    "api-1:get_invoice": api("Get invoice", INVOICE_READERS),
    "api-1:invoice_pdf": api("Invoice PDF", INVOICE_READERS),
    "api-1:invoice_cloud_statement": api("Invoice's cloud cost statement", INVOICE_READERS),
    "api-1:request_invoice_confirmation": api(
        "Ask for confirmation (no body)", BILLING_MANAGERS, method="POST", ok=409
    ),
    "api-1:record_email_confirmation": api(
        "Record an email confirmation (multipart .eml)", BILLING_MANAGERS, method="POST", ok=422
    ),
    "api-1:return_invoice_to_draft": api("Back to draft", BILLING_MANAGERS, method="POST", ok=409),
    "api-1:finalise_invoice": api("Issue and send", BILLING_MANAGERS, method="POST", ok=422),
    "api-1:void_invoice": api("Void", BILLING_MANAGERS, method="POST", ok=422),
    "api-1:reissue_invoice": api(
        "Re-issue a voided invoice", BILLING_MANAGERS, method="POST", ok=409
    ),
    "api-1:record_payment": api("Record a payment", BILLING_MANAGERS, method="POST", ok=422),
    "api-1:issue_credit_note": api("Issue a credit note", BILLING_MANAGERS, method="POST", ok=422),
    "api-1:add_charge": api("Add a manual line", BILLING_MANAGERS, method="POST", ok=422),
    "api-1:list_credit_notes": api("List credit notes", INVOICE_READERS),
    "api-1:credit_note_pdf": api("Credit note PDF", INVOICE_READERS),
    # API v1
    "api-1:api-root": public("API root", anonymous=404, signed_in=404),
    "api-1:openapi-json": page("OpenAPI document", EVERY_ROLE),
    "api-1:openapi-view": page("Interactive API docs", EVERY_ROLE),
    "api-1:me": api("Who am I", EVERY_ROLE),
    "api-1:list_organizations": api("List organizations", EVERY_ROLE),
    "api-1:create_organization": api(
        "Create organization", PIPELINE_EDITORS, method="POST", ok=422
    ),
    "api-1:get_organization": api("Get organization", EVERY_ROLE),
    "api-1:update_organization": api(
        "Update organization", PIPELINE_EDITORS, method="PATCH", ok=422
    ),
    "api-1:list_contacts": api("List an organization's contacts", EVERY_ROLE),
    "api-1:create_contact": api("Create contact", PIPELINE_EDITORS, method="POST", ok=422),
    "api-1:get_contact": api("Get contact", EVERY_ROLE),
    "api-1:update_contact": api("Update contact", PIPELINE_EDITORS, method="PATCH", ok=422),
    "api-1:delete_contact": api("Delete contact", PIPELINE_EDITORS, method="DELETE", ok=204),
    "api-1:list_engagements": api("List engagements (filters, pagination)", EVERY_ROLE),
    "api-1:create_engagement": api("Create engagement", PIPELINE_EDITORS, method="POST", ok=422),
    "api-1:get_engagement": api("Get engagement", EVERY_ROLE),
    "api-1:update_engagement": api("Update engagement", PIPELINE_EDITORS, method="PATCH", ok=422),
    "api-1:move_engagement": api("Move engagement", PIPELINE_EDITORS, method="POST", ok=422),
    "api-1:list_milestones": api("List milestones", EVERY_ROLE),
    "api-1:get_qualification": api("MANIAC-T of an engagement", EVERY_ROLE),
    "api-1:set_criterion": api(
        "Set one MANIAC-T criterion", PIPELINE_EDITORS, method="PUT", ok=422
    ),
    "api-1:list_timeline": api("Running notes", EVERY_ROLE),
    "api-1:add_timeline_entry": api("Add a running note", PIPELINE_EDITORS, method="POST", ok=422),
    "api-1:list_tiers": api("Price book", EVERY_ROLE),
    "api-1:create_tier": api("New tier", PRICE_BOOK_EDITORS, method="POST", ok=422),
    "api-1:reprice_tier": api("New price version", PRICE_BOOK_EDITORS, method="POST", ok=422),
    "api-1:list_usage_prices": api("Usage prices (bands), every version", EVERY_ROLE),
    "api-1:create_usage_price": api("New usage price", PRICE_BOOK_EDITORS, method="POST", ok=422),
    "api-1:reprice_usage_price": api(
        "New usage price version", PRICE_BOOK_EDITORS, method="POST", ok=422
    ),
    "api-1:list_agreements": api("List agreements", EVERY_ROLE),
    "api-1:create_agreement": api("Create agreement", AGREEMENT_EDITORS, method="POST", ok=422),
    "api-1:get_agreement": api("Get agreement", EVERY_ROLE),
    "api-1:update_agreement": api(
        "Update agreement terms", AGREEMENT_EDITORS, method="PATCH", ok=422
    ),
    "api-1:transition_agreement": api("Move agreement", AGREEMENT_MOVERS, method="POST", ok=422),
    "api-1:extend_agreement": api("Extend agreement", AGREEMENT_EDITORS, method="POST", ok=422),
    "api-1:renew_agreement": api(
        "Draft a renewal (no body)", AGREEMENT_EDITORS, method="POST", ok=201
    ),
    "api-1:confirm_price": api(
        "Record price confirmation", AGREEMENT_EDITORS, method="POST", ok=422
    ),
    "api-1:renewal_views": api("Renewal views", EVERY_ROLE),
    "api-1:list_formal_documents": api("Formal documents", EVERY_ROLE),
    "api-1:create_formal_document": api(
        "New formal document version", AGREEMENT_EDITORS, method="POST", ok=422
    ),
    "api-1:missing_formal_documents": api("Agreements lacking current documents", EVERY_ROLE),
    "api-1:list_clusters": api("Clusters (secrets never shown)", EVERY_ROLE),
    "api-1:create_cluster": api("Add a cluster", HUB_EDITORS, method="POST", ok=422),
    "api-1:get_cluster": api("A cluster", EVERY_ROLE),
    "api-1:update_cluster": api("Change a cluster", HUB_EDITORS, method="PATCH", ok=422),
    "api-1:pull_cluster": api(
        "Pull a month from the cluster's Prometheus", COST_IMPORTERS, method="POST", ok=422
    ),
    "api-1:cluster_weights": api("A cluster's usage weights per month", EVERY_ROLE),
    "api-1:list_usage": api("Usage per hub and month (?month= or ?hub_id=)", EVERY_ROLE, ok=422),
    "api-1:import_usage": api(
        "Import a usage CSV (multipart)", COST_IMPORTERS, method="POST", ok=422
    ),
    "api-1:list_excluded": api("User names that never count", EVERY_ROLE),
    "api-1:add_excluded": api("Exclude a user name", HUB_EDITORS, method="POST", ok=422),
    "api-1:remove_excluded": api(
        "Count an excluded user name again", HUB_EDITORS, method="DELETE", ok=204
    ),
    "api-1:list_roles": api("Team roles and their positions' titles", EVERY_ROLE),
    "api-1:create_role": api("New role", TEAM_MANAGERS, method="POST", ok=422),
    "api-1:update_role": api("Change a role", TEAM_MANAGERS, method="PATCH", ok=422),
    "api-1:list_pay_scales": api("Pay scales (compensation)", COMPENSATION_READERS),
    "api-1:create_pay_scale": api("New pay scale version", TEAM_MANAGERS, method="POST", ok=422),
    "api-1:role_ranges": api("A role's published ranges (compensation)", COMPENSATION_READERS),
    "api-1:list_people": api("People", EVERY_ROLE),
    "api-1:create_person": api("New person", TEAM_MANAGERS, method="POST", ok=422),
    "api-1:list_assignments": api("Positions held (titles, FTE, dates; no pay)", EVERY_ROLE),
    "api-1:create_assignment": api(
        "Give a person a position", TEAM_MANAGERS, method="POST", ok=422
    ),
    "api-1:change_assignment": api(
        "Change a position from a date", TEAM_MANAGERS, method="POST", ok=422
    ),
    "api-1:end_assignment": api("End a position", TEAM_MANAGERS, method="POST", ok=422),
    "api-1:compensation": api("Each position's pay (compensation)", COMPENSATION_READERS),
    "api-1:capacity": api(
        "Delivery capacity for a month (?month=; the team's cost only with compensation)",
        EVERY_ROLE,
        ok=422,
    ),
    "api-1:list_grants": api("Grants (?state=)", EVERY_ROLE),
    "api-1:create_grant": api("New grant opportunity", GRANT_MANAGERS, method="POST", ok=422),
    "api-1:grant_figures": api("Grant figures per year, pending weighted", EVERY_ROLE),
    "api-1:get_grant": api("A grant", EVERY_ROLE),
    "api-1:update_grant": api("Change a grant", GRANT_MANAGERS, method="PATCH", ok=422),
    "api-1:move_grant": api("Move a grant", GRANT_MANAGERS, method="POST", ok=422),
    "api-1:list_obligations": api("A grant's deliverables and reports", EVERY_ROLE),
    "api-1:add_obligation": api(
        "Add a deliverable or report", GRANT_MANAGERS, method="POST", ok=422
    ),
    "api-1:obligation_done": api(
        "Mark a deliverable or report done", GRANT_MANAGERS, method="POST", ok=422
    ),
    "api-1:link_subaward": api("Link a sub-award", GRANT_MANAGERS, method="POST", ok=422),
    "api-1:list_grant_documents": api("A grant's documents and their versions", EVERY_ROLE),
    "api-1:file_grant_document": api(
        "File a proposal, award letter or report (multipart)", GRANT_MANAGERS, method="POST", ok=422
    ),
    "api-1:list_hubs": api("List hubs", EVERY_ROLE),
    "api-1:create_hub": api("Create hub", HUB_EDITORS, method="POST", ok=422),
    "api-1:get_hub": api("Get hub", EVERY_ROLE),
    "api-1:update_hub": api("Update hub", HUB_EDITORS, method="PATCH", ok=422),
    "api-1:transition_hub": api("Hub lifecycle move", HUB_EDITORS, method="POST", ok=422),
    "api-1:list_cost_imports": api("Cost imports", EVERY_ROLE),
    "api-1:import_costs": api(
        "Import billing exports (multipart)", COST_IMPORTERS, method="POST", ok=422
    ),
    "api-1:list_cost_months": api("Months with imported costs", EVERY_ROLE),
    "api-1:cost_report": api("A month's costs per community (?month=)", EVERY_ROLE, ok=422),
    "api-1:cost_drilldown": api("What is behind one amount", EVERY_ROLE),
    # The Django admin (every model; history is read-only even there)
    "admin:login": Rule(
        "GET",
        {**{who: 200 for who in WHO}, "Administrator": 302},
        "Admin sign-in (an administrator already signed in goes to the index)",
    ),
    "admin:logout": admin("Admin sign-out (POST), then to the sign-in page", method="POST", ok=302),
    "admin:password_change": admin("Change own password"),
    "admin:password_change_done": admin("Password changed"),
    "admin:jsi18n": admin("Admin translations script"),
    "admin:autocomplete": admin("Admin autocomplete", ok=403),
    "admin:view_on_site": admin("View on site", ok=404),
    "admin:auth_user_password_change": admin("Set a user's password"),
    "admin:*_add": admin("Add an object"),
    "admin:*": admin("Every other admin page: index, lists, change, history, delete"),
}

# Admin pages whose model is history: nobody adds, changes or deletes it there.
READ_ONLY_ADMIN_MODELS = (
    "core_auditevent", "crm_milestone", "crm_qualification", "contracts_extension", "contracts_checkin",
    "outbox_notification", "contracts_calendarfeed", "costs_costimport", "costs_costline",
    # Derived from imports and the hubs; the price book is versioned on its own pages.
    "costs_costgroup", "costs_usageweight", "costs_costmonth", "contracts_servicetier",
    "contracts_usagepricing", "usage_usagepull", "usage_hubusage", "grants_grant",
    "grants_grantobligation",
    "outbox_outboundemail", "outbox_emailattachment",
    "playbooks_playbookrun", "playbooks_runstep", "playbooks_document", "playbooks_receivedemail",
    "playbooks_handoffissue",
    # Invoices change only through the services (numbering, audit, emails).
    "invoicing_invoice", "invoicing_billingrun", "invoicing_payment", "invoicing_creditnote",
    "invoicing_manualcharge", "invoicing_confirmationrequest", "invoicing_numbersequence",
)  # fmt: skip
for _model in READ_ONLY_ADMIN_MODELS:
    MATRIX[f"admin:{_model}_add"] = admin(f"Add {_model}: refused, it is history", ok=403)
    MATRIX[f"admin:{_model}_delete"] = admin(f"Delete {_model}: refused, it is history", ok=403)
for _model in ("axes_accessattempt", "axes_accesslog", "axes_accessfailurelog"):
    MATRIX[f"admin:{_model}_add"] = admin(
        f"Add {_model}: refused, the login log is written by sign-ins", ok=403
    )
MATRIX["admin:crm_engagement_add"] = admin("Add an engagement: done on its pages", ok=403)
MATRIX["admin:core_apitoken_add"] = admin("Add a token: done on the account page", ok=403)
MATRIX["admin:core_organisationprofile_delete"] = admin("Delete our identity: refused", ok=403)
MATRIX["admin:core_organisationprofile_add"] = admin("Add a second identity: refused", ok=403)


def rule_for(name: str) -> Rule | None:
    """The exact row for ``name``, else the most specific wildcard row."""
    if name in MATRIX:
        return MATRIX[name]
    patterns = sorted((key for key in MATRIX if "*" in key), key=len, reverse=True)
    for pattern in patterns:
        if fnmatch.fnmatchcase(name, pattern):
            return MATRIX[pattern]
    return None


def _role_lines() -> list[str]:
    """Each role's capabilities in words, from the code that grants them."""
    from partnerops.core.roles import CAPABILITY_DESCRIPTIONS, ROLE_CAPABILITIES, Capability

    lines = []
    for role, capabilities in ROLE_CAPABILITIES.items():
        granted = [CAPABILITY_DESCRIPTIONS[c] for c in Capability if c in capabilities]
        lines.append(f"- **{role.value}**: " + "; ".join(granted) + ".")
    return lines


def render_markdown() -> str:
    header = "| URL name | What | Method | " + " | ".join(WHO) + " |"
    lines = [
        "# Permissions",
        "",
        "Generated from `tests/permissions_matrix.py` by `make permissions-doc`;",
        "`tests/test_permissions_matrix.py` checks every URL against it for every role.",
        "",
        "Roles are groups (assign them in Admin → Groups or on a user). What each role may do:",
        "",
        *_role_lines(),
        "",
        "Status codes: 200 shown; 302 redirect (to the sign-in page for anonymous, or after a",
        "successful action); 401/403 refused; 404/405/422 got past the permission check (the",
        "check runs with an empty or invalid request, so the answer is the validation's).",
        "",
        header,
        "|" + "---|" * (3 + len(WHO)),
    ]
    for name, rule in MATRIX.items():
        cells = " | ".join(str(rule.expected[who]) for who in WHO)
        lines.append(f"| `{name}` | {rule.what} | {rule.method} | {cells} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerops.settings")
    django.setup()  # the roles' prose is read from the code that grants them
    print(render_markdown(), end="")
