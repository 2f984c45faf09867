from django.urls import path

from partnerops.crm import views

app_name = "crm"
urlpatterns = [
    path("board/", views.board, name="board"),
    path("board/<int:pk>/move/", views.board_move, name="board-move"),
    path("engagements/", views.engagement_list, name="engagement-list"),
    path("engagements/new/", views.engagement_create, name="engagement-create"),
    path("engagements/<int:pk>/", views.engagement_detail, name="engagement-detail"),
    path("engagements/<int:pk>/edit/", views.engagement_edit, name="engagement-edit"),
    path("engagements/<int:pk>/move/", views.engagement_move, name="engagement-move"),
    path("engagements/<int:pk>/qualify/", views.engagement_qualify, name="engagement-qualify"),
    path("engagements/<int:pk>/timeline/new/", views.timeline_add, name="timeline-add"),
    path("organizations/", views.organization_list, name="organization-list"),
    path("organizations/new/", views.organization_create, name="organization-create"),
    path("organizations/<int:pk>/", views.organization_detail, name="organization-detail"),
    path("organizations/<int:pk>/edit/", views.organization_edit, name="organization-edit"),
    path("organizations/<int:pk>/contacts/new/", views.contact_create, name="contact-create"),
    path("contacts/<int:pk>/edit/", views.contact_edit, name="contact-edit"),
    path("contacts/<int:pk>/delete/", views.contact_delete, name="contact-delete"),
]
