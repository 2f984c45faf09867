from django.urls import path

from partnerops.playbooks import views

app_name = "playbooks"
urlpatterns = [
    path("email-templates/", views.template_list, name="template-list"),
    path("engagements/<int:pk>/emails/<slug:key>/", views.email_preview, name="email-preview"),
]
