"""Composition: compare programmes, import and export."""

from django.urls import path

from . import views

urlpatterns = [
    path("p/compare/", views.compare, name="compare"),
    path("p/import/", views.import_programme, name="programme_import"),
    path("p/<int:programme_id>/export.json", views.export_json, name="programme_export"),
    path("p/<int:programme_id>/import/", views.import_table, name="table_import"),
    path("p/<int:programme_id>/ideas/", views.ideas, name="ideas"),
]
