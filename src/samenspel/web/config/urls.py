"""URL configuration."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from samenspel.web.core.accounts import throttle, two_factor
from samenspel.web.workspace.api import api

urlpatterns = [
    path("accounts/login/", throttle.ThrottledLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/2fa/setup/", two_factor.setup, name="two_factor_setup"),
    path("accounts/2fa/link/<str:token>/", two_factor.link, name="two_factor_link"),
    path("accounts/2fa/verify/", two_factor.verify, name="two_factor_verify"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("samenspel.web.workspace.urls")),
    path("", include("samenspel.web.composition.urls")),
    path("", include("samenspel.web.finance.urls")),
    path("", include("samenspel.web.dynamics.urls")),
    path("", include("samenspel.web.monitoring.urls")),
    path("", include("samenspel.web.regioplan.urls")),
    path("", include("samenspel.web.core.urls")),  # last: its record routes catch all slugs
]

handler403 = "samenspel.web.core.errors.forbidden"
handler404 = "samenspel.web.core.errors.not_found"
handler500 = "samenspel.web.core.errors.server_error"
