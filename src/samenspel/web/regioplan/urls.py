from django.urls import path

from . import views

urlpatterns = [
    path("p/<int:programme_id>/plan/", views.plan, name="plan"),
    path("p/<int:programme_id>/plan/regioplan.pdf", views.plan_pdf, name="plan_pdf"),
    path("p/<int:programme_id>/plan/regioplan.xlsx", views.plan_excel, name="plan_excel"),
    path("p/<int:programme_id>/plan/freeze/", views.freeze, name="plan_freeze"),
    path("p/<int:programme_id>/plan/decide/", views.decide, name="plan_decide"),
    path("p/<int:programme_id>/plan/agenda/", views.agenda, name="plan_agenda"),
    path("p/<int:programme_id>/plan/matrix/", views.matrix, name="plan_matrix"),
    path(
        "p/<int:programme_id>/plan/organisation/<int:organisation_id>/",
        views.organisation,
        name="plan_organisation",
    ),
    path(
        "p/<int:programme_id>/plan/organisation/",
        views.organisation_pick,
        name="plan_organisation_pick",
    ),
    path("p/<int:programme_id>/plan/action/<int:action_id>/", views.report, name="plan_report"),
    path(
        "p/<int:programme_id>/plan/adopt/<int:initiative_id>/", views.adopt, name="plan_adopt"
    ),
]
