"""API v1: the root (one NinjaAPI under /api/v1/, problem+json errors, who am I) and
one router module per app: crm, contracts, hubs, costs, usage, invoicing, playbooks."""

from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI, Router

from partnerops import __version__
from partnerops.api import contracts as contracts_api
from partnerops.api import costs as costs_api
from partnerops.api import crm as crm_api
from partnerops.api import grants as grants_api
from partnerops.api import hubs as hubs_api
from partnerops.api import invoicing as invoicing_api
from partnerops.api import playbooks as playbooks_api
from partnerops.api import problems
from partnerops.api import team as team_api
from partnerops.api import usage as usage_api
from partnerops.api import users as users_api
from partnerops.api.auth import can_view_pipeline, signed_in_or_token
from partnerops.api.schemas import MeOut
from partnerops.core.roles import user_capabilities, user_roles

api = NinjaAPI(
    title="PartnerOps API",
    version="1",
    description=f"PartnerOps {__version__}. Authenticate with the browser session or a personal "
    "token (Authorization: Bearer po_…) from Account → API tokens. Errors are problem+json.",
    urls_namespace="api-1",
    docs_url="/docs",
    # The spec and the interactive docs: for signed-in people, like every page, and for
    # any caller with a personal token (clients and generators read the description).
    docs_decorator=signed_in_or_token,
)
problems.install(api)


# Who am I --------------------------------------------------------------------------

meta = Router(tags=["account"])


@meta.get("/me", response=MeOut, auth=can_view_pipeline)
def me(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    return {
        "id": user.pk,
        "username": user.get_username(),
        "roles": sorted(role.value for role in user_roles(user)),
        "capabilities": sorted(capability.value for capability in user_capabilities(user)),
    }


api.add_router("/", meta)
api.add_router("/organizations", crm_api.organizations)
api.add_router("/contacts", crm_api.contacts)
api.add_router("/engagements", crm_api.engagements)
api.add_router("/tiers", contracts_api.tiers)
api.add_router("/agreements", contracts_api.agreements)
api.add_router("/renewals", contracts_api.renewals)
api.add_router("/formal-documents", contracts_api.documents)
api.add_router("/hubs", hubs_api.hubs)
api.add_router("/costs", costs_api.costs)
api.add_router("/clusters", usage_api.clusters)
api.add_router("/usage", usage_api.usage)
api.add_router("/billing", invoicing_api.billing)
api.add_router("/invoices", invoicing_api.invoices)
api.add_router("/playbooks", playbooks_api.playbooks)
api.add_router("/playbook-runs", playbooks_api.runs)
api.add_router("/documents", playbooks_api.files)
api.add_router("/emails", playbooks_api.emails)
api.add_router("/users", users_api.users)
api.add_router("/team", team_api.team)
api.add_router("/grants", grants_api.grants)
