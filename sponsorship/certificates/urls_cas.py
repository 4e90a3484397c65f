"""CAS pages, under /cas/ in the "certificates" namespace: drafts (create, the task list,
sections, check and assign, delete, the list), batches of CAS and the sponsor's study
addresses. The live CAS, its search and exports are in urls_cas_live.py."""

from django.urls import path

from .views import addresses, batches, cas_drafts

urlpatterns = [
    # Drafts
    path("drafts/", cas_drafts.cas_draft_list, name="cas_drafts"),
    path("new/", cas_drafts.cas_draft_new, name="cas_draft_new"),
    path("<int:certificate_id>/draft/", cas_drafts.cas_draft, name="cas_draft"),
    path(
        "<int:certificate_id>/draft/delete/", cas_drafts.cas_draft_delete, name="cas_draft_delete"
    ),
    path(
        "<int:certificate_id>/draft/<str:section>/",
        cas_drafts.cas_draft_section,
        name="cas_draft_section",
    ),
    path("<int:certificate_id>/check/", cas_drafts.cas_draft_check, name="cas_draft_check"),
    path("<int:certificate_id>/assigned/", cas_drafts.cas_assigned, name="cas_assigned"),
    # Batches
    path("batches/", batches.cas_batch_list, name="cas_batches"),
    path("batches/new/", batches.cas_batch_new, name="cas_batch_new"),
    path("batches/<int:batch_id>/", batches.cas_batch_detail, name="cas_batch"),
    path("batches/<int:batch_id>/add/", batches.cas_batch_add, name="cas_batch_add"),
    path("batches/<int:batch_id>/link/", batches.cas_batch_link, name="cas_batch_link"),
    path(
        "batches/<int:batch_id>/unlink/<int:certificate_id>/",
        batches.cas_batch_unlink,
        name="cas_batch_unlink",
    ),
    path("batches/<int:batch_id>/assign/", batches.cas_batch_assign, name="cas_batch_assign"),
    path("batches/<int:batch_id>/transfer/", batches.cas_batch_transfer, name="cas_batch_transfer"),
    # Study addresses
    path("study-addresses/", addresses.study_addresses, name="study_addresses"),
    path("study-addresses/add/", addresses.study_address_add, name="study_address_add"),
    path(
        "study-addresses/<int:address_id>/change/",
        addresses.study_address_change,
        name="study_address_change",
    ),
    path(
        "study-addresses/<int:address_id>/retire/",
        addresses.study_address_retire,
        name="study_address_retire",
    ),
]
