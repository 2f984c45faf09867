from django.urls import path

from partnerops.hubs import views

app_name = "hubs"
urlpatterns = [
    path("hubs/", views.hub_list, name="hub-list"),
    path("hubs/new/", views.hub_create, name="hub-create"),
    path("hubs/<int:pk>/", views.hub_detail, name="hub-detail"),
    path("hubs/<int:pk>/edit/", views.hub_edit, name="hub-edit"),
    path("hubs/<int:pk>/transition/", views.hub_transition, name="hub-transition"),
]
