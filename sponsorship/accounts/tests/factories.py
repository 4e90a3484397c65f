"""Factories for users. Every factory user has the same known password."""

import factory

from sponsorship.accounts.models import User, UserLevel, UserStatus
from sponsorship.licences.tests.factories import SponsorFactory

PASSWORD = "Correct#Horse42Battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"USER{n:05d}")
    given_names = factory.Faker("first_name")
    family_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username.lower()}@example.org")
    level = UserLevel.LEVEL_1
    status = UserStatus.ACTIVE
    sponsor = factory.SubFactory(SponsorFactory)
    must_change_password = False
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class Level1Factory(UserFactory):
    level = UserLevel.LEVEL_1
    is_settled_worker = True


class Level2Factory(UserFactory):
    level = UserLevel.LEVEL_2


class CaseworkerFactory(UserFactory):
    level = UserLevel.CASEWORKER
    sponsor = None  # type: ignore[assignment]
