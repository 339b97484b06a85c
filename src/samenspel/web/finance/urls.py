from django.urls import path

from . import views

urlpatterns = [
    path("p/<int:programme_id>/money/<int:agreement_id>/", views.money, name="agreement_money"),
    path(
        "p/<int:programme_id>/money/<int:agreement_id>/agreement.xlsx",
        views.money_excel,
        name="agreement_excel",
    ),
    path(
        "p/<int:programme_id>/money/<int:agreement_id>/agreement.pdf",
        views.money_pdf,
        name="agreement_pdf",
    ),
    path(
        "p/<int:programme_id>/money/<int:agreement_id>/agreement.json",
        views.money_json,
        name="agreement_json",
    ),
    path(
        "p/<int:programme_id>/money/<int:agreement_id>/copy/",
        views.copy_scenario,
        name="agreement_copy",
    ),
    path(
        "p/<int:programme_id>/money/<int:agreement_id>/freeze/",
        views.freeze,
        name="agreement_freeze",
    ),
    path(
        "p/<int:programme_id>/money/<int:agreement_id>/base-from-regiobeeld/",
        views.base_from_regiobeeld,
        name="agreement_base_from_regiobeeld",
    ),
    path(
        "p/<int:programme_id>/money/<int:agreement_id>/decide/",
        views.decide,
        name="agreement_decide",
    ),
]
