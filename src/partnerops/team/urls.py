from django.urls import path

from partnerops.team import views

app_name = "team"
urlpatterns = [
    path("team/", views.overview, name="overview"),
    path("team/capacity/", views.capacity, name="capacity"),
    path("team/export.csv", views.export_csv, name="export"),
    path("team/roles/new/", views.role_create, name="role-create"),
    path("team/roles/<int:pk>/edit/", views.role_edit, name="role-edit"),
    path("team/roles/<int:pk>/pay-scale/", views.scale_create, name="scale-create"),
    path("team/people/new/", views.person_create, name="person-create"),
    path("team/people/<int:pk>/assign/", views.assignment_create, name="assignment-create"),
    path("team/assignments/<int:pk>/change/", views.assignment_change, name="assignment-change"),
    path("team/assignments/<int:pk>/end/", views.assignment_end, name="assignment-end"),
]
