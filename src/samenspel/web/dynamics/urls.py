from django.urls import path

from . import views

urlpatterns = [
    path("s/<str:token>/", views.respond, name="respond"),
    path("s/<str:token>/opt-out/", views.opt_out, name="opt_out"),
    path("p/compare/dynamics/", views.compare_dynamics, name="compare_dynamics"),
    path("p/<int:programme_id>/dynamics/", views.dashboard, name="dynamics"),
    path("p/<int:programme_id>/dynamics/explore/", views.explore, name="explore"),
    path(
        "p/<int:programme_id>/dynamics/profile/<int:organisation_id>/",
        views.profile,
        name="organisation_profile",
    ),
    path(
        "p/<int:programme_id>/dynamics/profile/<int:organisation_id>.pdf",
        views.profile_pdf,
        name="organisation_profile_pdf",
    ),
    path("p/<int:programme_id>/dynamics/network.json", views.network_json, name="network_json"),
    path("p/<int:programme_id>/dynamics/report.pdf", views.dashboard_pdf, name="dynamics_pdf"),
    path("p/<int:programme_id>/dynamics/nodes.csv", views.export_nodes, name="dynamics_nodes"),
    path("p/<int:programme_id>/dynamics/edges.csv", views.export_edges, name="dynamics_edges"),
    path(
        "p/<int:programme_id>/dynamics/network.graphml",
        views.export_graphml,
        name="dynamics_graphml",
    ),
    path("p/<int:programme_id>/waves/", views.waves, name="waves"),
    path("p/<int:programme_id>/waves/<int:wave_id>/", views.wave_detail, name="wave"),
    path("p/<int:programme_id>/waves/<int:wave_id>/links.csv", views.wave_links, name="wave_links"),
    path(
        "p/<int:programme_id>/waves/<int:wave_id>/<str:action>/",
        views.wave_action,
        name="wave_action",
    ),
]
