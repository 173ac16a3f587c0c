"""The demo's booking data: sites with hours and free slots, motifs, a few appointments; a second run adds nothing."""

import pytest

from cafcases.booking.demo import seed_booking_demo
from cafcases.booking.models import Appointment, Motif, Site
from cafcases.booking.slots import site_slots
from tests.factories import CaseFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_demo_gives_each_caf_a_bookable_site_and_runs_twice_without_duplicates():
    teams = {}
    for department in ("59", "33"):
        caf = OrganisationFactory(department=department)
        cpam = OrganisationFactory(cpam=True, department=department)
        for _ in range(6):
            CaseFactory(caf=caf, cpam=cpam)
        teams[department] = (caf, cpam, UserFactory(organisation=caf), UserFactory(organisation=cpam))
    assert seed_booking_demo(teams) == 2
    assert seed_booking_demo(teams) == 0
    assert Site.objects.count() == 2 and Motif.objects.count() == 4
    assert Appointment.objects.filter(channel="public", person__isnull=True).count() == 2
    assert Appointment.objects.filter(case__isnull=False).count() == 12
    for site in Site.objects.all():
        assert site_slots(site, Motif.objects.public().first(), days=14)
