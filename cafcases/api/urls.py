"""Placeholder until the app lands."""

urlpatterns = []
