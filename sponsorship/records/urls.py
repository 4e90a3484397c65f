"""Record keeping pages, in the "records" namespace: a worker's checklist beside the register,
and the audit readiness pages under /compliance/."""

from django.urls import URLPattern, path

from .views import compliance, records

app_name = "records"

WORKER = "workers/register/<int:worker_id>/records/"
ITEM = WORKER + "<slug:item>/"

urlpatterns: list[URLPattern] = [
    path(WORKER, records.checklist, name="checklist"),
    path(ITEM, records.item, name="item"),
    path(ITEM + "upload/", records.upload, name="upload"),
    path(ITEM + "not-needed/", records.not_needed, name="not_needed"),
    path(ITEM + "needed/", records.needed_again, name="needed_again"),
    path(ITEM + "versions/<int:number>/", records.download, name="download"),
    path("compliance/records-to-delete/", compliance.records_to_delete, name="to_delete"),
    path(
        "compliance/records-to-delete/<int:worker_id>/",
        compliance.records_delete,
        name="delete",
    ),
    path("compliance/evidence-packs/", compliance.packs, name="packs"),
    path("compliance/evidence-packs/new/", compliance.pack_new, name="pack_new"),
    path("compliance/evidence-packs/<int:pack_id>/", compliance.pack, name="pack"),
    path(
        "compliance/evidence-packs/<int:pack_id>/download/",
        compliance.pack_download,
        name="pack_download",
    ),
    path("compliance/mock-audit/", compliance.mock_audit_page, name="mock_audit"),
]
