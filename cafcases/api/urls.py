"""The partner API, versioned in its path: /api/v1/… (its OpenAPI description at /api/v1/openapi.json)."""

from django.urls import path

from .views import api

urlpatterns = [
    path("v1/", api.urls),
]
