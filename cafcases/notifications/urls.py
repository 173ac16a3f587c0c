"""Endpoints that providers call back (included at "webhooks/")."""

from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("messages/<str:provider>/", views.delivery_report, name="delivery_report"),
]
