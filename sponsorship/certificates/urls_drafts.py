"""Drafts of certificates: create (new, or based on another), the task list, a section, check
and assign, delete. Mounted under /certificates/ in the "certificates" namespace."""

from django.urls import path

from .views import drafts

urlpatterns = [
    path("new/", drafts.draft_new, name="draft_new"),
    path("<int:certificate_id>/draft/", drafts.draft, name="draft"),
    path("<int:certificate_id>/draft/delete/", drafts.draft_delete, name="draft_delete"),
    path("<int:certificate_id>/draft/<str:section>/", drafts.draft_section, name="draft_section"),
    path("<int:certificate_id>/check/", drafts.draft_check, name="draft_check"),
    path("<int:certificate_id>/copy/", drafts.draft_copy, name="draft_copy"),
]
