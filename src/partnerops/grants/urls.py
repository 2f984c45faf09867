from django.urls import path

from partnerops.grants import views

app_name = "grants"
urlpatterns = [
    path("grants/", views.grant_list, name="grant-list"),
    path("grants/new/", views.grant_create, name="grant-create"),
    path("grants/<int:pk>/", views.grant_detail, name="grant-detail"),
    path("grants/<int:pk>/edit/", views.grant_edit, name="grant-edit"),
    path("grants/<int:pk>/move/", views.grant_move, name="grant-move"),
    path("grants/<int:pk>/obligations/", views.obligation_add, name="obligation-add"),
    path("grants/<int:pk>/subawards/", views.subaward_link, name="subaward-link"),
    path("grants/<int:pk>/documents/", views.document_file, name="document-file"),
    path("grants/obligations/<int:pk>/done/", views.obligation_done, name="obligation-done"),
]
