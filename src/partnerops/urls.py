from django.contrib import admin
from django.urls import include, path

from partnerops import health
from partnerops.api.v1 import api
from partnerops.contracts.urls import public_urlpatterns as contracts_public
from partnerops.invoicing.urls import public_urlpatterns as invoicing_public
from partnerops.playbooks.urls import public_urlpatterns as playbooks_public

admin.site.site_header = "PartnerOps administration"
admin.site.site_title = "PartnerOps"

urlpatterns = [
    path("", include("partnerops.core.urls")),
    path("", include("partnerops.crm.urls")),
    path("", include("partnerops.outbox.urls")),
    path("", include("partnerops.contracts.urls")),
    path("", include("partnerops.hubs.urls")),
    path("", include("partnerops.costs.urls")),
    path("", include("partnerops.usage.urls")),
    path("", include("partnerops.playbooks.urls")),
    path("", include("partnerops.invoicing.urls")),
    path("", include("partnerops.team.urls")),
    path("", include("partnerops.grants.urls")),
    *contracts_public,
    *invoicing_public,
    *playbooks_public,
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

# An unknown path under /api/ answers problem+json, like every API error.
handler404 = "partnerops.api.problems.not_found"
