"""Input shapes of a CAS draft that a CoS does not have: the first page (Student or Child
Student and the student's family name) and the route section. The sections of the form are
`forms.drafts.SectionForm`, built from CAS_SECTIONS."""

from typing import Any

from django import forms

from sponsorship.licences.forms.dates import DateInputMixin
from sponsorship.licences.models import ROUTE_GROUPS, Route, RouteGroup

from ..models import Certificate, CertificateKind
from .drafts import RouteField, ServiceErrorsMixin, VersionMixin, family_name_field

# The pseudo-section of a CAS that holds its route, chosen on the first page.
CAS_ROUTE_SECTION_TITLE = "Route"


def student_route_choices(held: frozenset[str]) -> list[tuple[str, str]]:
    """The licence's Student route group: Student, Child Student, or both."""
    return [
        (route.value, route.label)
        for route in Route
        if route in held and ROUTE_GROUPS[route] == RouteGroup.STUDENT
    ]


def _route_field(held: frozenset[str]) -> RouteField:
    choices = student_route_choices(held)
    return RouteField(
        label="Which route is the CAS for?",
        help_text="Child Student is for students aged 4 to 17 at an independent school."
        if Route.CHILD_STUDENT in held
        else "",
        choices=choices,
        initial=choices[0][0] if len(choices) == 1 else None,
        widget=forms.RadioSelect,
        error_messages={"required": "Select Student or Child Student"},
    )


class NewCasForm(ServiceErrorsMixin, DateInputMixin, forms.Form):
    """The first page: the route and the student's family name: enough to save a draft."""

    family_name = family_name_field(CertificateKind.CAS)

    def __init__(self, *args: Any, held: frozenset[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["route"] = _route_field(held)
        self.order_fields(["route", "family_name"])


class CasRouteForm(ServiceErrorsMixin, DateInputMixin, VersionMixin):
    """The route of a CAS draft."""

    title = CAS_ROUTE_SECTION_TITLE

    def __init__(self, *args: Any, held: frozenset[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["route"] = _route_field(held)

    def values(self) -> dict[str, Any]:
        return {"route": self.cleaned_data["route"]}


def cas_route_initial(certificate: Certificate) -> dict[str, Any]:
    return {"version": certificate.version, "route": certificate.route}
