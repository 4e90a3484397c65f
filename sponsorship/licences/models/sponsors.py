"""Sponsors, their licence, routes and ratings, and key personnel."""

import re

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Replace, Upper
from django.utils import timezone

from sponsorship.core.db import choices_check


class LicenceStatus(models.TextChoices):
    ACTIVE = "ACTIVE", "Active"
    SUSPENDED = "SUSPENDED", "Suspended"
    DORMANT = "DORMANT", "Dormant"
    REVOKED = "REVOKED", "Revoked"
    EXPIRED = "EXPIRED", "Expired"
    SURRENDERED = "SURRENDERED", "Surrendered"


# DOMAIN.md "Licence": users of these licences may not sign in at all.
SIGN_IN_REFUSED_STATUSES = frozenset(
    {LicenceStatus.REVOKED, LicenceStatus.EXPIRED, LicenceStatus.SURRENDERED}
)


class RouteGroup(models.TextChoices):
    WORKER = "WORKER", "Worker"
    TEMPORARY_WORKER = "TEMPORARY_WORKER", "Temporary Worker"
    STUDENT = "STUDENT", "Student"


class Route(models.TextChoices):
    SKILLED_WORKER = "SKILLED_WORKER", "Skilled Worker"
    GBM_SENIOR_SPECIALIST = (
        "GBM_SENIOR_SPECIALIST",
        "Global Business Mobility: Senior or Specialist Worker",
    )
    GBM_GRADUATE_TRAINEE = "GBM_GRADUATE_TRAINEE", "Global Business Mobility: Graduate Trainee"
    GBM_UK_EXPANSION = "GBM_UK_EXPANSION", "Global Business Mobility: UK Expansion Worker"
    GBM_SERVICE_SUPPLIER = "GBM_SERVICE_SUPPLIER", "Global Business Mobility: Service Supplier"
    GBM_SECONDMENT = "GBM_SECONDMENT", "Global Business Mobility: Secondment Worker"
    SCALE_UP = "SCALE_UP", "Scale-up"
    MINISTER_OF_RELIGION = "MINISTER_OF_RELIGION", "Minister of Religion"
    INTERNATIONAL_SPORTSPERSON = "INTERNATIONAL_SPORTSPERSON", "International Sportsperson"
    CREATIVE_WORKER = "CREATIVE_WORKER", "Creative Worker"
    CHARITY_WORKER = "CHARITY_WORKER", "Charity Worker"
    RELIGIOUS_WORKER = "RELIGIOUS_WORKER", "Religious Worker"
    GOVERNMENT_AUTHORISED_EXCHANGE = (
        "GOVERNMENT_AUTHORISED_EXCHANGE",
        "Government Authorised Exchange",
    )
    INTERNATIONAL_AGREEMENT = "INTERNATIONAL_AGREEMENT", "International Agreement"
    SEASONAL_WORKER = "SEASONAL_WORKER", "Seasonal Worker"
    STUDENT = "STUDENT", "Student"
    CHILD_STUDENT = "CHILD_STUDENT", "Child Student"


ROUTE_GROUPS: dict[str, RouteGroup] = {
    **dict.fromkeys(
        (
            Route.SKILLED_WORKER,
            Route.GBM_SENIOR_SPECIALIST,
            Route.GBM_GRADUATE_TRAINEE,
            Route.GBM_UK_EXPANSION,
            Route.GBM_SERVICE_SUPPLIER,
            Route.GBM_SECONDMENT,
            Route.SCALE_UP,
            Route.MINISTER_OF_RELIGION,
            Route.INTERNATIONAL_SPORTSPERSON,
        ),
        RouteGroup.WORKER,
    ),
    **dict.fromkeys(
        (
            Route.CREATIVE_WORKER,
            Route.CHARITY_WORKER,
            Route.RELIGIOUS_WORKER,
            Route.GOVERNMENT_AUTHORISED_EXCHANGE,
            Route.INTERNATIONAL_AGREEMENT,
            Route.SEASONAL_WORKER,
        ),
        RouteGroup.TEMPORARY_WORKER,
    ),
    Route.STUDENT: RouteGroup.STUDENT,
    Route.CHILD_STUDENT: RouteGroup.STUDENT,
}


class Rating(models.TextChoices):
    A = "A", "A-rated"
    B = "B", "B-rated"
    PROVISIONAL = "PROVISIONAL", "Provisional"


class Nation(models.TextChoices):
    """The part of the UK whose bank holidays apply."""

    ENGLAND = "ENG", "England"
    WALES = "WLS", "Wales"
    SCOTLAND = "SCT", "Scotland"
    NORTHERN_IRELAND = "NIR", "Northern Ireland"


class SponsorSize(models.TextChoices):
    LARGE = "LARGE", "Large"
    SMALL_OR_CHARITABLE = "SMALL_OR_CHARITABLE", "Small or charitable"


licence_number_validator = RegexValidator(
    r"^[A-Z0-9]{9}$", "A licence number is 9 capital letters and digits, like T83VF9QR4."
)


class SettledWorkerException(models.TextChoices):
    """DOMAIN.md "Actors": when a licence need not have a settled Level 1 user."""

    NONE = "", "None: at least one Level 1 user must be a settled worker"
    INTERNATIONAL_AGREEMENT = (
        "INTERNATIONAL_AGREEMENT",
        "Diplomatic mission or international organisation (International Agreement route)",
    )
    OVERSEAS_BUSINESS_OR_ENTREPRENEUR = (
        "OVERSEAS_BUSINESS_OR_ENTREPRENEUR",
        "Authorising Officer is a Representative of an Overseas Business or an Entrepreneur",
    )


def normalise_postcode(postcode: str) -> str:
    """`sw1a 1aa` and `SW1A1AA` are the same postcode."""
    return "".join(postcode.split()).upper()


# The shape of a UK postcode once normalised (no space): SW1A1AA, M11AE, EH89YL.
POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$")


class Sponsor(models.Model):
    """An organisation holding a sponsor licence: the tenant."""

    name = models.CharField(max_length=200)
    licence_number = models.CharField(
        max_length=9, unique=True, validators=[licence_number_validator]
    )
    status = models.CharField(
        max_length=12, choices=LicenceStatus.choices, default=LicenceStatus.ACTIVE
    )
    status_changed_at = models.DateTimeField(default=timezone.now)
    organisation_type = models.CharField(max_length=100, blank=True)
    size = models.CharField(max_length=20, choices=SponsorSize.choices, default=SponsorSize.LARGE)
    address_line_1 = models.CharField(max_length=200)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100)
    postcode = models.CharField(max_length=10)
    # Searchable form of the postcode: capitals, no spaces (as normalise_postcode gives).
    postcode_normalised = models.GeneratedField(
        expression=Upper(Replace("postcode", Value(" "), Value(""))),
        output_field=models.CharField(max_length=10),
        db_persist=True,
    )
    nation = models.CharField(max_length=3, choices=Nation.choices, default=Nation.ENGLAND)
    phone = models.CharField(max_length=30, blank=True)
    licence_granted_on = models.DateField()
    licence_expires_on = models.DateField(null=True, blank=True)
    # Why the licence has its status, and by when a suspended sponsor must respond.
    status_reason = models.TextField(blank=True)
    status_response_due = models.DateField(null=True, blank=True)
    premium_since = models.DateField(null=True, blank=True)
    student_sponsor_status_since = models.DateField(null=True, blank=True)
    settled_worker_exception = models.CharField(
        max_length=40, choices=SettledWorkerException.choices, default="", blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["name"]),
            models.Index(fields=["status"]),
            models.Index(fields=["postcode_normalised"]),
        ]
        constraints = [
            choices_check("status", LicenceStatus, "sponsor_status_valid"),
            choices_check("size", SponsorSize, "sponsor_size_valid"),
            choices_check("nation", Nation, "sponsor_nation_valid"),
            choices_check(
                "settled_worker_exception",
                SettledWorkerException,
                "sponsor_settled_exception_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.licence_number})"

    # Route questions are asked on every page (menus), so they read one cached set.
    @property
    def route_ratings(self) -> dict[str, str]:
        """Route code to rating, read once per object."""
        cached = getattr(self, "_route_ratings", None)
        if cached is None:
            cached = dict(self.routes.values_list("route", "rating"))
            self._route_ratings = cached
        return cached

    @property
    def route_codes(self) -> frozenset[str]:
        return frozenset(self.route_ratings)

    @property
    def has_b_rated_route(self) -> bool:
        return Rating.B in self.route_ratings.values()

    @property
    def has_worker_route(self) -> bool:
        return any(
            ROUTE_GROUPS[r] in (RouteGroup.WORKER, RouteGroup.TEMPORARY_WORKER)
            for r in self.route_codes
        )

    @property
    def has_student_route(self) -> bool:
        return any(ROUTE_GROUPS[r] == RouteGroup.STUDENT for r in self.route_codes)

    @property
    def has_skilled_worker_route(self) -> bool:
        return Route.SKILLED_WORKER in self.route_codes

    @property
    def has_provisional_route(self) -> bool:
        return Rating.PROVISIONAL in self.route_ratings.values()

    @property
    def is_fully_a_rated(self) -> bool:
        return bool(self.route_ratings) and all(r == Rating.A for r in self.route_ratings.values())

    @property
    def is_active(self) -> bool:
        return self.status == LicenceStatus.ACTIVE

    @property
    def is_dormant(self) -> bool:
        return self.status == LicenceStatus.DORMANT

    @property
    def blocks_certificates(self) -> bool:
        return self.status in (LicenceStatus.SUSPENDED, LicenceStatus.DORMANT)

    @property
    def sign_in_allowed(self) -> bool:
        return self.status not in SIGN_IN_REFUSED_STATUSES


class SponsorRoute(models.Model):
    """A route the licence covers, with its rating."""

    sponsor = models.ForeignKey(Sponsor, on_delete=models.CASCADE, related_name="routes")
    route = models.CharField(max_length=40, choices=Route.choices)
    rating = models.CharField(max_length=12, choices=Rating.choices, default=Rating.A)
    rating_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["route"]
        constraints = [
            models.UniqueConstraint(fields=["sponsor", "route"], name="sponsor_route_unique"),
            choices_check("route", Route, "sponsor_route_route_valid"),
            choices_check("rating", Rating, "sponsor_route_rating_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_route_display()}: {self.get_rating_display()}"

    @property
    def group(self) -> RouteGroup:
        return ROUTE_GROUPS[self.route]


class KeyPersonRole(models.TextChoices):
    AUTHORISING_OFFICER = "AUTHORISING_OFFICER", "Authorising Officer"
    KEY_CONTACT = "KEY_CONTACT", "Key Contact"


class KeyPerson(models.Model):
    """The Authorising Officer or Key Contact of a licence (not necessarily a user)."""

    sponsor = models.ForeignKey(Sponsor, on_delete=models.CASCADE, related_name="key_people")
    role = models.CharField(max_length=24, choices=KeyPersonRole.choices)
    given_names = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    job_title = models.CharField(max_length=100, blank=True)
    email = models.EmailField()
    phone = models.CharField(max_length=30, blank=True)
    address_line_1 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    is_legal_representative = models.BooleanField(default=False)
    user = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["role"]
        constraints = [
            models.UniqueConstraint(fields=["sponsor", "role"], name="key_person_role_unique"),
            choices_check("role", KeyPersonRole, "key_person_role_valid"),
            # DOMAIN.md: the Authorising Officer cannot be a representative.
            models.CheckConstraint(
                condition=~Q(role="AUTHORISING_OFFICER", is_legal_representative=True),
                name="key_person_ao_not_representative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_role_display()})"

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_name}"
