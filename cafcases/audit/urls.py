"""The second factor: enrolment (QR code) and verification after the password (cafcases.audit.views)."""

from django.urls import path

from cafcases.audit import views

urlpatterns = [
    path("connexion/verification/", views.otp_verify, name="otp_verify"),
    path("connexion/double-authentification/", views.otp_enrol, name="otp_enrol"),
]
