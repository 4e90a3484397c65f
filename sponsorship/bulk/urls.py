"""Bulk data transfer pages, in the "bulk" namespace, and the published schema."""

from django.urls import URLPattern, path

from . import views

app_name = "bulk"

FILE = "bulk/files/<int:bulk_file_id>/"

urlpatterns: list[URLPattern] = [
    path("bulk/", views.files, name="files"),
    path("bulk/send/", views.send, name="send"),
    path(FILE, views.file, name="file"),
    path(FILE + "progress/", views.progress, name="progress"),
    path(FILE + "result.xml", views.result_xml, name="result_xml"),
    path(FILE + "result.csv", views.result_csv, name="result_csv"),
    path("bulk/export/", views.export, name="export"),
    path("bulk/export/bulk-export.xml", views.export_download, name="export_download"),
    path("bulk/schema/v1/cas-bulk.xsd", views.schema, name="schema"),
]
