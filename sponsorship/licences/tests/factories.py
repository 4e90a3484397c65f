"""Factories for sponsors, routes and messages."""

from datetime import date, timedelta

import factory
from django.utils import timezone

from sponsorship.licences.models import (
    ActionPlan,
    Allocation,
    KeyPerson,
    KeyPersonRole,
    LicenceRequest,
    LicenceStatus,
    Message,
    MessageRead,
    MessageRoute,
    PayeReference,
    Rating,
    RequestKind,
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
    address_line_1 = "1 High Street"
    town = "London"
    postcode = "SW1A 1AA"


class AllocationFactory(factory.django.DjangoModelFactory):
    """This year's allocation: `AllocationFactory(sponsor=s, limit=20)`."""

    class Meta:
        model = Allocation

    sponsor = factory.SubFactory(SponsorFactory)
    route = Route.SKILLED_WORKER
    year_start = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=100))
    year_end = factory.LazyAttribute(lambda a: a.year_start + timedelta(days=364))
    limit = 10
    used = 0


class LicenceRequestFactory(factory.django.DjangoModelFactory):
    """An open allocation increase by default; pass `kind=` and its fields for others.
    `submitted_by` must be a user of `sponsor`."""

    class Meta:
        model = LicenceRequest

    sponsor = factory.LazyAttribute(lambda r: r.submitted_by.sponsor)
    kind = RequestKind.ALLOCATION_INCREASE
    route = Route.SKILLED_WORKER
    number_requested = 5
    description = "Five new care roles from January."


class PayeReferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PayeReference

    sponsor = factory.LazyAttribute(lambda p: p.added_by.sponsor)
    reference = factory.Sequence(lambda n: f"123/AB{n:05d}")


class ActionPlanFactory(factory.django.DjangoModelFactory):
    """`ActionPlanFactory(sponsor=s, created_by=caseworker)`: awaiting payment."""

    class Meta:
        model = ActionPlan

    route = Route.SKILLED_WORKER
    steps = "Bring right to work checks up to date for every sponsored worker."
    fee_pence = 157_900
    payment_due = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=14))
