from django.urls import path

from partnerops.team import views

app_name = "team"
urlpatterns = [
    path("team/", views.overview, name="overview"),
    path("team/capacity/", views.capacity, name="capacity"),
]
