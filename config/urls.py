"""Root URL configuration: page paths are French and carry no language prefix."""

from django.contrib import admin
from django.urls import include, path

from cafcases.views.health import health

urlpatterns = [
    path("sante/", health, name="health"),
    path("admin/", admin.site.urls),
    path("api/", include("cafcases.api.urls")),
    path("webhooks/", include("cafcases.notifications.urls")),
    path("", include("cafcases.booking.urls")),
    path("", include("cafcases.audit.urls")),
    path("", include("cafcases.urls")),
]
