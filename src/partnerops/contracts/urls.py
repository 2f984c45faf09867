from django.urls import path

from partnerops.contracts import views

app_name = "contracts"
urlpatterns = [
    path("tiers/", views.tier_list, name="tier-list"),
    path("tiers/new/", views.tier_create, name="tier-create"),
    path("tiers/<int:pk>/reprice/", views.tier_reprice, name="tier-reprice"),
    path("usage-prices/new/", views.usage_pricing_create, name="usage-pricing-create"),
    path(
        "usage-prices/<int:pk>/reprice/", views.usage_pricing_reprice, name="usage-pricing-reprice"
    ),
    path("agreements/", views.agreement_list, name="agreement-list"),
    path("engagements/<int:pk>/agreements/new/", views.agreement_create, name="agreement-create"),
    path("engagements/<int:pk>/check-ins/", views.check_in_schedule, name="check-in-schedule"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement-detail"),
    path("agreements/<int:pk>/edit/", views.agreement_edit, name="agreement-edit"),
    path(
        "agreements/<int:pk>/transition/", views.agreement_transition, name="agreement-transition"
    ),
    path("agreements/<int:pk>/extend/", views.agreement_extend, name="agreement-extend"),
    path("agreements/<int:pk>/renew/", views.agreement_renew, name="agreement-renew"),
    path(
        "agreements/<int:pk>/confirm-price/",
        views.agreement_confirm_price,
        name="agreement-confirm-price",
    ),
    path("agreements/<int:pk>/addenda/new/", views.addendum_create, name="addendum-create"),
    path(
        "agreements/<int:pk>/deliverables/new/", views.deliverable_create, name="deliverable-create"
    ),
    path("agreements/<int:pk>/documents/", views.agreement_documents, name="agreement-documents"),
    path("deliverables/<int:pk>/edit/", views.deliverable_edit, name="deliverable-edit"),
    path("renewals/", views.renewals, name="renewals"),
    path("documents/", views.formal_documents, name="formal-documents"),
    path("documents/new/", views.formal_document_create, name="formal-document-create"),
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar/rotate/", views.calendar_rotate, name="calendar-rotate"),
]

# Reached without signing in: the link or the address itself is the credential.
public_urlpatterns = [
    path("check-in/<str:token>/", views.check_in_survey, name="check-in"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
]
