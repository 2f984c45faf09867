from django.urls import path, re_path

from partnerops.invoicing import views

app_name = "invoicing"
urlpatterns = [
    path("billing/", views.billing, name="billing"),
    path("billing/run/", views.billing_run_start, name="billing-run"),
    path(
        "billing/request-confirmations/",
        views.billing_request_confirmations,
        name="billing-request-confirmations",
    ),
    path("billing/finalise/", views.billing_finalise, name="billing-finalise"),
    path("billing/export/", views.export, name="export"),
    path("invoices/", views.invoice_list, name="invoice-list"),
    path("invoices/<int:pk>/", views.invoice_detail, name="invoice-detail"),
    path(
        "invoices/<int:pk>/request-confirmation/",
        views.invoice_request_confirmation,
        name="invoice-request-confirmation",
    ),
    path(
        "invoices/<int:pk>/record-confirmation/",
        views.invoice_record_confirmation,
        name="invoice-record-confirmation",
    ),
    path(
        "invoices/<int:pk>/return-to-draft/",
        views.invoice_return_to_draft,
        name="invoice-return-to-draft",
    ),
    path("invoices/<int:pk>/finalise/", views.invoice_finalise, name="invoice-finalise"),
    path("invoices/<int:pk>/payments/new/", views.invoice_payment, name="invoice-payment"),
    path(
        "invoices/<int:pk>/credit-notes/new/", views.invoice_credit_note, name="invoice-credit-note"
    ),
    path("invoices/<int:pk>/void/", views.invoice_void, name="invoice-void"),
    path("invoices/<int:pk>/reissue/", views.invoice_reissue, name="invoice-reissue"),
    path("invoices/<int:pk>/lines/new/", views.invoice_add_charge, name="invoice-add-charge"),
    path("invoices/<int:pk>/pdf/", views.invoice_pdf, name="invoice-pdf"),
    path(
        "invoices/<int:pk>/confirmation.eml",
        views.invoice_confirmation_email,
        name="invoice-confirmation-email",
    ),
    path("manual-charges/<int:pk>/delete/", views.charge_delete, name="charge-delete"),
    path("credit-notes/<int:pk>/pdf/", views.credit_note_pdf, name="credit-note-pdf"),
    re_path(
        r"^invoices/(?P<pk>[0-9]{1,18})/statement\.(?P<extension>pdf|csv)$",
        views.invoice_statement,
        name="invoice-statement",
    ),
]

public_urlpatterns = [
    path("confirm-delivery/<str:token>/", views.confirmation, name="invoice-confirmation"),
    re_path(
        r"^confirm-delivery/(?P<token>[^/]+)/statement\.(?P<extension>pdf|csv)$",
        views.confirmation_statement,
        name="confirmation-statement",
    ),
]
