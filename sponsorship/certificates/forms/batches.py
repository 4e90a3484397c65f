"""Batches and Creative Worker groups: name one, add drafts to it, give it to someone. A batch
holds certificates of sponsorship or CAS (`kind`); groups are for Creative Worker certificates
only."""

from typing import Any

from django import forms

from ..models import BatchKind, CertificateKind, CosCategory
from .cas import student_route_choices
from .drafts import worker_route_choices

CAS = CertificateKind.CAS


class BatchForm(forms.Form):
    name = forms.CharField(
        label="Name",
        help_text="Something your colleagues will recognise, like 'Winter tour 2027'.",
        max_length=100,
        error_messages={
            "required": "Enter a name for it",
            "max_length": "The name must be 100 characters or fewer",
        },
    )
    kind = forms.ChoiceField(
        label="What are you preparing?",
        choices=[
            (BatchKind.BATCH.value, "A batch: each certificate is assigned when it is ready"),
            (
                BatchKind.GROUP.value,
                "A Creative Worker group: all assigned together, or none",
            ),
        ],
        widget=forms.RadioSelect,
        initial=BatchKind.BATCH.value,
        error_messages={"required": "Choose a batch or a group"},
    )

    def __init__(
        self,
        *args: Any,
        groups_allowed: bool,
        kind: str = CertificateKind.COS,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        if kind == CAS:
            # CAS come in batches only: there is nothing to choose.
            del self.fields["kind"]
            self.fields[
                "name"
            ].help_text = (
                "Something your colleagues will recognise, like 'MSc Marine Biology, January 2027'."
            )
        elif not groups_allowed:
            self.fields["kind"].choices = self.fields["kind"].choices[:1]  # type: ignore[attr-defined]

    @property
    def batch_kind(self) -> str:
        return self.cleaned_data.get("kind") or BatchKind.BATCH


class AddDraftsForm(forms.Form):
    family_names = forms.CharField(
        label="Family names of the workers",
        help_text="One on each line, as in their passports. A draft is made for each.",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter the family name of each worker, one on each line"},
    )
    based_on = forms.CharField(
        label="Base them on a certificate (optional)",
        help_text="Its number, like C2G8H88871U: each draft gets its job, work and PAYE "
        "details. Leave blank to start them empty.",
        required=False,
        max_length=14,
    )
    route = forms.ChoiceField(label="Route", widget=forms.RadioSelect, required=False)
    category = forms.ChoiceField(
        label="What are the certificates for?",
        choices=CosCategory.choices,
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(
        self, *args: Any, held: frozenset[str], kind: str = CertificateKind.COS, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind == CAS:
            choices = student_route_choices(held)
            del self.fields["category"]
            names = self.fields["family_names"]
            names.label = "Family names of the students"
            names.error_messages["required"] = (
                "Enter the family name of each student, one on each line"
            )
            based_on = self.fields["based_on"]
            based_on.label = "Base them on a CAS (optional)"
            based_on.help_text = (
                "Its CAS number, like E4G8H88871U2AB: each draft gets its course, study address, "
                "ATAS and fees, but nothing about the student. Leave blank to start them empty."
            )
        else:
            choices = worker_route_choices(held)
        self.fields["route"].choices = choices  # type: ignore[attr-defined]
        if len(choices) == 1:
            self.fields["route"].initial = choices[0][0]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("based_on"):
            if self.kind == CAS:
                if not data.get("route"):
                    self.add_error(
                        "route", "Select Student or Child Student, or give a CAS to base them on"
                    )
                return data
            if not data.get("route"):
                self.add_error("route", "Select the route, or give a certificate to base them on")
            if not data.get("category"):
                self.add_error(
                    "category", "Select what they are for, or give a certificate to base them on"
                )
        return data


class LinkForm(forms.Form):
    certificate_id = forms.TypedChoiceField(
        label="Add one of your drafts",
        coerce=int,
        error_messages={"required": "Choose a draft", "invalid_choice": "Choose a draft"},
    )

    def __init__(self, *args: Any, drafts: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["certificate_id"].choices = [("", "Choose a draft"), *drafts]  # type: ignore[attr-defined]


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class TransferForm(forms.Form):
    to_user = forms.TypedChoiceField(
        label="Who should own it now?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who should own it", "invalid_choice": "Choose a user"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, users: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["to_user"].choices = users  # type: ignore[attr-defined]
