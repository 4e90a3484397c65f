"""Factories for sponsors, routes and messages."""

from datetime import date, timedelta

import factory
from django.utils import timezone

from sponsorship.licences.models import (
    KeyPerson,
    KeyPersonRole,
    LicenceStatus,
    Message,
    MessageRead,
    MessageRoute,
    Rating,
    Route,
    Sponsor,
    SponsorRoute,
)


class SponsorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sponsor
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Sponsor {n} Ltd")
    licence_number = factory.Sequence(lambda n: f"T{n:08d}")
    status = LicenceStatus.ACTIVE
    address_line_1 = "1 High Street"
    town = "London"
    postcode = "SW1A 1AA"
    licence_granted_on = date(2022, 1, 10)

    @factory.post_generation
    def routes(obj, create, extracted, **kwargs):
        """`SponsorFactory(routes=[Route.STUDENT])`; Skilled Worker, A-rated, by default."""
        if not create:
            return
        for route in extracted if extracted is not None else [Route.SKILLED_WORKER]:
            SponsorRoute.objects.create(sponsor=obj, route=route, rating=Rating.A)


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Message {n}")
    body = "Please read this."
    published_at = factory.LazyFunction(timezone.now)
    archive_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    for_all_routes = True

    @factory.post_generation
    def routes(obj, create, extracted, **kwargs):
        """`MessageFactory(routes=[Route.STUDENT])` addresses it to those routes only."""
        if create and extracted:
            obj.for_all_routes = False
            obj.save(update_fields=["for_all_routes"])
            for route in extracted:
                MessageRoute.objects.create(message=obj, route=route)


class MessageReadFactory(factory.django.DjangoModelFactory):
    """`MessageReadFactory(message=m, user=u)`: the user has already read the message."""

    class Meta:
        model = MessageRead

    message = factory.SubFactory(MessageFactory)
    user = None
    sponsor = factory.LazyAttribute(lambda read: read.user.sponsor)


class KeyPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyPerson

    sponsor = factory.SubFactory(SponsorFactory)
    role = KeyPersonRole.AUTHORISING_OFFICER
    given_names = "Amira"
    family_name = factory.Sequence(lambda n: f"Okafor{n}")
    job_title = "Chief Executive"
    email = factory.LazyAttribute(lambda p: f"{p.family_name.lower()}@example.org")
