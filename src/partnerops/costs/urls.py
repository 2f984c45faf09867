from django.urls import path

from partnerops.costs import views

app_name = "costs"
urlpatterns = [
    path("costs/", views.cost_overview, name="overview"),
    path("costs/<str:month>/", views.cost_month, name="month"),
    path("costs/<str:month>/<str:currency>/<str:hub>/", views.cost_drilldown, name="drilldown"),
]
