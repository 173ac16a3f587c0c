import pytest

from tests.factories import UserFactory


@pytest.fixture
def admin_user(db, django_user_model):
    return django_user_model.objects.create_superuser(
        username="admin", email="admin@caisse.invalid", password="mot-de-passe-admin"
    )


@pytest.fixture
def superuser(admin_user):
    return admin_user


@pytest.fixture
def national_admin(db):
    return UserFactory(national_admin=True, username="admin-national")
