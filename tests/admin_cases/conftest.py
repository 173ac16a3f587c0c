import pytest

from cafcases.models import Role
from tests.admin_cases.helpers import make_world


@pytest.fixture(autouse=True)
def _static_root(settings, tmp_path):
    # WhiteNoise warns (an error under filterwarnings=error) when STATIC_ROOT does not exist, as in a fresh checkout.
    settings.STATIC_ROOT = tmp_path


@pytest.fixture
def world(db):
    return make_world()


@pytest.fixture
def national_admin(db, django_user_model):
    return django_user_model.objects.create_user(
        username="admin-national", password="mot-de-passe-admin", role=Role.NATIONAL_ADMIN, is_staff=True
    )
