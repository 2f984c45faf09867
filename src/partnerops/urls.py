from django.contrib import admin
from django.urls import include, path

from partnerops.api.v1 import api

admin.site.site_header = "PartnerOps administration"
admin.site.site_title = "PartnerOps"

urlpatterns = [
    path("", include("partnerops.core.urls")),
    path("", include("partnerops.crm.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
