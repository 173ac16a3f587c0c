"""Admin recipes for the security models: {model: (build(rows, related), [changelist filter query strings])}."""

from django_otp.plugins.otp_totp.models import TOTPDevice

from cafcases.audit.models import AccessAction, AccessLog
from cafcases.audit.services import access_log_record
from cafcases.services.access import RevealPurpose
from tests.factories import PersonFactory, UserFactory


def build_access_log(rows, related):
    """`rows` lines by distinct agents about distinct people, reveals and exports; `related` is not used (no inline)."""
    lines = []
    for index in range(rows):
        export = index % 3 == 2
        lines.append(
            access_log_record(
                action=AccessAction.EXPORT if export else AccessAction.REVEAL,
                purpose="export" if export else RevealPurpose.LETTER,
                user=UserFactory(),
                person=None if export else PersonFactory(),
                count=10 if export else 1,
                ip_address="192.0.2.1",
            )
        )
    return lines[0]


def build_totp_devices(rows, related):
    """`rows` authenticator apps of distinct users, some not confirmed yet; `related` is not used (no inline)."""
    devices = [
        TOTPDevice.objects.create(user=UserFactory(), name="app", confirmed=index % 4 != 3) for index in range(rows)
    ]
    return devices[0]


RECIPES = {
    AccessLog: (build_access_log, ["action__exact=reveal", "purpose=letter", "action__exact=export&q=agent"]),
    TOTPDevice: (build_totp_devices, ["confirmed__exact=1", "q=agent"]),
}
