"""Input shapes of the record keeping pages: a document to upload and a reason it is not
needed. Field errors only; what may be marked or deleted is the services' rule."""

from typing import Any

from django import forms
from django.conf import settings

from sponsorship.core.errors import ApplicationError
from sponsorship.core.uploads import ALLOWED_DESCRIPTION, CheckedUpload, check_upload, size_in_words

from .services.documents import REASON_MAX


def upload_hint() -> str:
    """What is accepted, from the settings of the moment."""
    return (
        f"A {ALLOWED_DESCRIPTION} file, no larger than "
        f"{size_in_words(settings.UPLOAD_MAX_BYTES)}. Uploading again keeps the earlier "
        "versions."
    )


class DocumentField(forms.FileField):
    """One document, checked by core.uploads.check_upload (its type from its first bytes, its
    size, not empty). Cleans to a CheckedUpload."""

    def clean(self, data: Any, initial: Any = None) -> CheckedUpload:
        upload = super().clean(data, initial)
        try:
            return check_upload(upload, upload.name or "", field="file")
        except ApplicationError as error:
            raise forms.ValidationError(error.message) from error


class UploadForm(forms.Form):
    file = DocumentField(
        label="Upload a document",
        error_messages={
            "required": "Choose a file to upload",
            "empty": "The file you chose is empty: choose another",
            "invalid": "Choose a file to upload",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = upload_hint()


class NotNeededForm(forms.Form):
    reason = forms.CharField(
        label="Why is this document not needed for this worker?",
        max_length=REASON_MAX,
        widget=forms.Textarea,
        error_messages={
            "required": "Enter why this document is not needed for this worker",
            "max_length": f"The reason must be {REASON_MAX:,} characters or fewer",
        },
    )


class PackForm(forms.Form):
    """Which pack: the whole licence, or the worker named."""

    worker_id = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
