"""The agents' workspace. Paths are French and carry no number: numbers travel in request bodies."""

from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import RedirectView

from cafcases.views import cases, letters, queue
from cafcases.views import dashboard as dashboard_views
from cafcases.views import exports as export_views

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="queue", permanent=False)),
    path(
        "connexion/",
        auth_views.LoginView.as_view(template_name="registration/login.html", redirect_authenticated_user=True),
        name="login",
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "mot-de-passe/",
        auth_views.PasswordChangeView.as_view(template_name="registration/password_change.html"),
        name="password_change",
    ),
    path(
        "mot-de-passe/modifie/",
        auth_views.PasswordChangeDoneView.as_view(template_name="registration/password_change_done.html"),
        name="password_change_done",
    ),
    path("dossiers/", queue.queue, name="queue"),
    path("dossiers/prendre/", queue.take_next, name="take_next"),
    path("dossiers/attribuer/", queue.bulk_assign, name="bulk_assign"),
    path("dossiers/recherche/", queue.search, name="search"),
    path("dossiers/export.<slug:fmt>", export_views.queue_export, name="queue_export"),
    path("dossiers/<int:pk>/", cases.case_detail, name="case_detail"),
    path("dossiers/<int:pk>/action/<slug:move_name>/", cases.case_move, name="case_move"),
    path("dossiers/<int:pk>/contact/", cases.case_contact, name="case_contact"),
    path("dossiers/<int:pk>/note/", cases.case_note, name="case_note"),
    path("dossiers/<int:pk>/pieces/<int:document_pk>/", cases.case_document, name="case_document"),
    path("dossiers/<int:pk>/demandes/<int:request_pk>/relance/", cases.case_chase, name="case_chase"),
    path("dossiers/<int:pk>/demandes/<int:request_pk>/reponse/", cases.case_answer, name="case_answer"),
    path("dossiers/<int:pk>/attribuer/", cases.case_assign_view, name="case_assign"),
    path("dossiers/<int:pk>/desattribuer/", cases.case_unassign_view, name="case_unassign"),
    path("dossiers/<int:pk>/numeros/<int:identifier_pk>/afficher/", cases.case_reveal, name="case_reveal"),
    path("dossiers/<int:pk>/lettre/", letters.case_letter, name="case_letter"),
    path("dossiers/courriers/", letters.queue_letters, name="queue_letters"),
    path("courriers/<int:batch_id>/", letters.letter_batch, name="letter_batch"),
    path("courriers/<int:batch_id>/courriers.<slug:kind>", letters.letter_batch_file, name="letter_batch_file"),
    path("pilotage/", dashboard_views.dashboard, name="dashboard"),
    path("pilotage/export/<slug:table>.<slug:fmt>", export_views.dashboard_export, name="dashboard_export"),
]
