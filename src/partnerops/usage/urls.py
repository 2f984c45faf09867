from django.urls import path

from partnerops.usage import views

app_name = "usage"
urlpatterns = [
    path("usage/", views.overview, name="overview"),
    path("usage/import/", views.import_csv, name="import"),
    path("usage/excluded/new/", views.excluded_add, name="excluded-add"),
    path("usage/excluded/<int:pk>/remove/", views.excluded_remove, name="excluded-remove"),
    path("usage/<str:month>/", views.month, name="month"),
    path("clusters/", views.cluster_list, name="cluster-list"),
    path("clusters/new/", views.cluster_create, name="cluster-create"),
    path("clusters/<int:pk>/", views.cluster_detail, name="cluster-detail"),
    path("clusters/<int:pk>/edit/", views.cluster_edit, name="cluster-edit"),
    path("clusters/<int:pk>/pull/", views.cluster_pull, name="cluster-pull"),
]
