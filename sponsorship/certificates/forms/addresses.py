"""Input shapes for pre-stored work and study addresses. The service checks every value and
names each field that is wrong, for the web and the API alike; these forms only carry the
input."""

from typing import Any

from django import forms

from sponsorship.licences.models import Nation

from ..models import AddressPurpose
from ..services.addresses import NATION_INVALID, NUL_CHARACTER

RELOAD = "Reload the page and try again"


def _text(label: str, *, hint: str = "", **attrs: str) -> Any:
    # Not required here: the service says which fields are missing, in the same words as the API.
    return forms.CharField(
        label=label,
        required=False,
        help_text=hint,
        strip=False,
        error_messages={"null_characters_not_allowed": NUL_CHARACTER},
        widget=forms.TextInput(attrs=attrs),
    )


class _Version(forms.IntegerField):
    """The version the form was filled from, so a save over someone else's change is refused
    rather than lost."""

    def __init__(self) -> None:
        super().__init__(
            widget=forms.HiddenInput,
            min_value=1,
            error_messages={"required": RELOAD, "invalid": RELOAD, "min_value": RELOAD},
        )


class _Versioned(forms.Form):
    """A missing or broken version is about the whole form, not a field anyone can see."""

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        if "version" in self.errors:
            del self.errors["version"]
            self.add_error(None, RELOAD)
        return cleaned


class WorkAddressForm(forms.Form):
    name = _text(
        "Name (optional)",
        hint="A short name your users will recognise, like Leeds office.",
        autocomplete="off",
    )
    line_1 = _text("Address line 1", autocomplete="address-line1")
    line_2 = _text("Address line 2 (optional)", autocomplete="address-line2")
    town = _text("Town or city", autocomplete="address-level2")
    postcode = _text("Postcode", hint="For example, SW1A 2AA.", autocomplete="postal-code")
    nation = forms.ChoiceField(
        label="Which part of the UK is it in?",
        help_text=(
            "Its bank holidays count when working out the reporting deadlines of workers "
            "based here."
        ),
        choices=Nation.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": NATION_INVALID},
    )

    def __init__(self, *args: Any, purpose: str = AddressPurpose.WORK, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if purpose == AddressPurpose.STUDY:
            self.fields[
                "name"
            ].help_text = "A short name your users will recognise, like Main campus."
            self.fields["nation"].help_text = (
                "Its bank holidays count when working out the reporting deadlines of students "
                "studying here."
            )

    def values(self) -> dict[str, str]:
        """What the service takes, from a valid form."""
        return {field: self.cleaned_data[field] or "" for field in self.ADDRESS_FIELDS}

    ADDRESS_FIELDS = ("name", "line_1", "line_2", "town", "postcode", "nation")


class WorkAddressChangeForm(_Versioned, WorkAddressForm):
    version = _Version()


class WorkAddressRetireForm(_Versioned):
    version = _Version()
