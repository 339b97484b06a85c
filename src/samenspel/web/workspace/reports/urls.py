from django.urls import path

from . import views

urlpatterns = [
    path("p/<int:programme_id>/report.pdf", views.report_pdf, name="programme_report_pdf"),
    path("p/<int:programme_id>/report.xlsx", views.report_excel, name="programme_report_excel"),
]
