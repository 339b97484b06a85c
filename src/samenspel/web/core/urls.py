"""Programmes, roles and the records of a programme (the catch-all record routes: include last)."""

from django.urls import path

from . import views

urlpatterns = [
    path("health/", views.health, name="health"),
    path("p/new/", views.programme_create, name="programme_new"),
    path("p/<int:programme_id>/edit/", views.programme_edit, name="programme_edit"),
    path("p/<int:programme_id>/roles/", views.roles, name="roles"),
    path(
        "p/<int:programme_id>/roles/<int:grant_id>/remove/", views.role_revoke, name="role_revoke"
    ),
    path("p/<int:programme_id>/<slug:slug>/", views.record_list, name="records"),
    path("p/<int:programme_id>/<slug:slug>/new/", views.record_edit, name="record_new"),
    path("p/<int:programme_id>/<slug:slug>/<int:record_id>/", views.record_detail, name="record"),
    path(
        "p/<int:programme_id>/<slug:slug>/<int:record_id>/edit/",
        views.record_edit,
        name="record_edit",
    ),
    path(
        "p/<int:programme_id>/<slug:slug>/<int:record_id>/delete/",
        views.record_delete,
        name="record_delete",
    ),
]
