"""Public booking under /rendez-vous/ (no login); the agents' agenda under /agenda/. Paths are French."""

from django.urls import path
from django.views.i18n import set_language

from .views import agenda, agent, public

app_name = "booking"

urlpatterns = [
    path("rendez-vous/", public.public_start, name="public_start"),
    path("rendez-vous/langue/", set_language, name="set_language"),
    path("rendez-vous/accueil/<int:site>/", public.public_motifs, name="public_motifs"),
    path("rendez-vous/accueil/<int:site>/motif/<int:motif>/", public.public_slots, name="public_slots"),
    path("rendez-vous/accueil/<int:site>/motif/<int:motif>/reserver/", public.public_book, name="public_book"),
    path("rendez-vous/confirmation/<str:token>/", public.public_confirmation, name="public_confirmation"),
    path("rendez-vous/gerer/<str:token>/", public.manage, name="manage"),
    path("rendez-vous/gerer/<str:token>/deplacer/", public.manage_move, name="manage_move"),
    path("agenda/", agenda.agenda_home, name="agenda"),
    path("agenda/a-renseigner/", agenda.to_record, name="to_record"),
    path("agenda/accueil/<int:pk>/", agenda.site_agenda, name="site_agenda"),
    path("agenda/rendez-vous/<int:pk>/", agenda.appointment_detail, name="appointment"),
    path("agenda/rendez-vous/<int:pk>/presence/", agenda.appointment_attendance, name="appointment_attendance"),
    path("agenda/rendez-vous/<int:pk>/annuler/", agenda.appointment_cancel_view, name="appointment_cancel"),
    path("agenda/rendez-vous/<int:pk>/rattacher/", agenda.appointment_link_view, name="appointment_link"),
    path("dossiers/<int:pk>/rendez-vous/", agent.book_for_case, name="book_for_case"),
    path("personnes/<int:pk>/rendez-vous/", agent.book_for_person, name="book_for_person"),
]
