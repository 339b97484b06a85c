"""The workspace: my programmes, the programme at a glance, and its report."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("p/<int:programme_id>/", views.programme_overview, name="programme"),
    path("", include("samenspel.web.workspace.reports.urls")),
]
