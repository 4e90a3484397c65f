from django import forms


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Token name",
        max_length=80,
        help_text="What will use it, for example 'HR system' or 'Student records'.",
        error_messages={"required": "Enter a name for the token"},
    )
    expires_on = forms.DateField(
        label="Expiry date (optional)",
        required=False,
        help_text="After this date the token stops working. Leave empty for no expiry.",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter the expiry date as a real date, like 2027-03-31"},
    )
