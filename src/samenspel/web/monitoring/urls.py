from django.urls import path

from . import views

urlpatterns = [
    path("p/<int:programme_id>/population/", views.population, name="population"),
    path(
        "p/<int:programme_id>/population/datasets/<int:dataset_id>/run/",
        views.start_run,
        name="dataset_run",
    ),
    path(
        "p/<int:programme_id>/population/datasets/<int:dataset_id>/delete/",
        views.delete_dataset,
        name="dataset_delete",
    ),
    path(
        "p/<int:programme_id>/population/open-data/<int:file_id>/delete/",
        views.delete_open_data,
        name="open_data_delete",
    ),
    path(
        "p/<int:programme_id>/population/open-data.xlsx",
        views.open_data_excel,
        name="open_data_excel",
    ),
    path("p/<int:programme_id>/population/runs/<int:run_id>/", views.regiobeeld, name="regiobeeld"),
    path(
        "p/<int:programme_id>/population/runs/<int:run_id>/regiobeeld.xlsx",
        views.regiobeeld_excel,
        name="regiobeeld_excel",
    ),
    path(
        "p/<int:programme_id>/population/runs/<int:run_id>/regiobeeld.pdf",
        views.regiobeeld_pdf,
        name="regiobeeld_pdf",
    ),
]
