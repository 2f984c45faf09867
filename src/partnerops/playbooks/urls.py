from django.urls import path

from partnerops.playbooks import views

app_name = "playbooks"
urlpatterns = [
    path("email-templates/", views.template_list, name="template-list"),
    path("engagements/<int:pk>/emails/<slug:key>/", views.email_preview, name="email-preview"),
    path("engagements/<int:pk>/playbooks/start/", views.run_start_view, name="run-start"),
    path(
        "engagements/<int:pk>/received-emails/new/",
        views.received_email_upload,
        name="received-email-upload",
    ),
    path(
        "engagements/<int:pk>/running-notes/export/",
        views.running_notes_export_view,
        name="running-notes-export",
    ),
    path("playbook-runs/<int:pk>/", views.run_detail, name="run-detail"),
    path(
        "playbook-runs/<int:pk>/steps/<int:position>/complete/",
        views.step_complete_view,
        name="step-complete",
    ),
    path("playbook-runs/<int:pk>/resume/", views.run_resume_view, name="run-resume"),
    path("documents/<int:pk>/download/", views.document_download, name="document-download"),
    path("documents/<int:pk>/share/", views.document_share, name="document-share"),
    path(
        "documents/<int:pk>/withdraw-links/",
        views.document_withdraw_links,
        name="document-withdraw-links",
    ),
]

public_urlpatterns = [
    path("documents/shared/<str:token>/", views.shared_document, name="shared-document"),
]
