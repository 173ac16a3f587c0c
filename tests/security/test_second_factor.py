"""TOTP second factor: enrolment with a QR code, a code after the password, for supervisors, national
administrators and the admin site; sessions end after 30 idle minutes."""

import datetime
import time

import pytest
import time_machine
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import DEMO_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("dashboard")
QUEUE = reverse("queue")
VERIFY = reverse("otp_verify")
ENROL = reverse("otp_enrol")


@pytest.fixture(autouse=True)
def otp_required(settings):
    settings.OTP_REQUIRED = True


def code(device):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def enrolled(user):
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def sign_in(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    return response


def test_a_supervisor_without_a_device_enrols_with_a_qr_code_then_gets_in(client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp waits a second after a wrong code: not in this test
    supervisor = UserFactory(supervisor=True)
    sign_in(client, supervisor)
    response = client.get(DASHBOARD)
    assert response.status_code == 302 and response["Location"].startswith(f"{ENROL}?next=")
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert 'src="data:image/svg+xml;base64,' in html and "<script" not in html and 'style="' not in html
    device = TOTPDevice.objects.get(user=supervisor, confirmed=False)
    assert client.post(ENROL, {"token": "000000", "next": DASHBOARD}).status_code == 400
    response = client.post(ENROL, {"token": code(device), "next": DASHBOARD})
    assert response.status_code == 302 and response["Location"] == DASHBOARD
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(DASHBOARD).status_code == 200


def test_an_enrolled_supervisor_gives_a_code_after_the_password(client):
    supervisor = UserFactory(supervisor=True)
    device = enrolled(supervisor)
    sign_in(client, supervisor)
    response = client.get(DASHBOARD)
    assert response.status_code == 302 and response["Location"] == f"{VERIFY}?next={DASHBOARD}"
    assert client.get(ENROL).status_code == 302  # no second device behind the first one's back
    wrong = client.post(VERIFY, {"token": "12345", "next": DASHBOARD})
    assert wrong.status_code == 400 and "6 chiffres" in wrong.content.decode()
    response = client.post(VERIFY, {"token": code(device), "next": "https://ailleurs.example/"})
    assert response["Location"] == "/"  # never sent to another site
    assert client.get(DASHBOARD).status_code == 200


def test_a_national_admin_needs_it_everywhere(client):
    admin_user = UserFactory(national_admin=True)
    enrolled(admin_user)
    client.force_login(admin_user)
    for url in (QUEUE, DASHBOARD, reverse("admin:index")):
        assert client.get(url)["Location"].startswith(VERIFY)


def test_an_agent_works_without_it_but_not_on_the_admin_site(client):
    agent = UserFactory()
    client.force_login(agent)
    assert client.get(QUEUE).status_code == 200
    response = client.get(reverse("admin:cafcases_person_changelist"))
    assert response.status_code == 302 and response["Location"].startswith(f"{ENROL}?next=/admin/")


def test_signing_out_stays_possible_before_the_code(client):
    supervisor = UserFactory(supervisor=True)
    enrolled(supervisor)
    client.force_login(supervisor)
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_session_marked_verified_by_device_is_accepted(client):
    """How load tests and fixtures sign a user in with the second factor: the device's persistent_id in session."""
    supervisor = UserFactory(supervisor=True)
    device = enrolled(supervisor)
    client.force_login(supervisor)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    assert client.get(DASHBOARD).status_code == 200


def test_an_unconfirmed_device_does_not_verify_a_session(client):
    supervisor = UserFactory(supervisor=True)
    device = TOTPDevice.objects.create(user=supervisor, name="app", confirmed=False)
    client.force_login(supervisor)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    assert client.get(DASHBOARD).status_code == 302


def test_without_enforcement_supervisors_go_straight_in(client, settings):
    settings.OTP_REQUIRED = False
    client.force_login(UserFactory(supervisor=True))
    assert client.get(DASHBOARD).status_code == 200


def test_a_session_ends_after_30_idle_minutes_and_lives_while_used(client, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    agent = UserFactory()
    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        client.force_login(agent)
        for _ in range(3):  # used every 20 minutes for an hour: still signed in
            traveller.shift(datetime.timedelta(minutes=20))
            assert client.get(QUEUE).status_code == 200, time.time()
        traveller.shift(datetime.timedelta(minutes=31))
        assert client.get(QUEUE)["Location"].startswith(reverse("login"))
