from django.urls import path

from partnerops.outbox import views

app_name = "outbox"
urlpatterns = [
    path("notifications/", views.notifications, name="notifications"),
]
