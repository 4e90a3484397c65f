"""Input shapes for the Home Office's certificate pages. The rules stay in the services; these
forms check the input's shape and show the services' refusals on their fields."""

from django import forms

from ..models import FINAL_OUTCOMES, ApplicationOutcome, normalise_reference
from ..services.lifecycle import MAX_REASON

FIND_MAX = 40


class FindForm(forms.Form):
    q = forms.CharField(
        label="Certificate number or passport number",
        help_text="The whole number, like C2G8H88871U or EP1234567. Spaces and upper or lower "
        "case do not matter.",
        max_length=FIND_MAX,
        error_messages={
            "required": "Enter a certificate number or passport number",
            "max_length": f"A certificate or passport number is {FIND_MAX} characters or fewer",
        },
    )

    def clean_q(self) -> str:
        query = normalise_reference(self.cleaned_data["q"])
        if not query:
            raise forms.ValidationError("Enter a certificate number or passport number")
        return query


def _outcome_words(outcomes: list[str]) -> str:
    labels = [ApplicationOutcome(o).label.lower() for o in outcomes]
    return ", ".join(labels[:-1]) + " or " + labels[-1] if len(labels) > 1 else labels[0]


FINAL = [o for o in ApplicationOutcome.values if o in FINAL_OUTCOMES]
REUSABLE = [o for o in ApplicationOutcome.values if o not in FINAL_OUTCOMES]
OUTCOME_HINT = (
    f"{_outcome_words(FINAL).capitalize()}: the certificate can never be used again. "
    f"{_outcome_words(REUSABLE).capitalize()}: the certificate is assigned again and the worker "
    "can rely on it in another application."
)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="What was the outcome of the application?",
        help_text=OUTCOME_HINT,
        choices=ApplicationOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the outcome of the application",
            "invalid_choice": "Select the outcome of the application",
        },
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Why are you cancelling this certificate?",
        help_text="The sponsor reads this reason in the certificate's history. Cancelling is "
        "final.",
        max_length=MAX_REASON,
        widget=forms.Textarea,
        error_messages={
            "required": "Enter the reason for cancelling the certificate",
            "max_length": f"The reason must be {MAX_REASON:,} characters or fewer",
        },
    )
