"""Root URL configuration: page paths are French and carry no language prefix."""

from django.contrib import admin
from django.urls import path

from cafcases.views.health import health

admin.site.site_header = "cafcases — administration"
admin.site.site_title = "cafcases"
admin.site.index_title = "Administration des dossiers"

urlpatterns = [
    path("sante/", health, name="health"),
    path("admin/", admin.site.urls),
]
