"""URL configuration."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from samenspel.web.accounts import two_factor
from samenspel.web.api import api

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/2fa/setup/", two_factor.setup, name="two_factor_setup"),
    path("accounts/2fa/verify/", two_factor.verify, name="two_factor_verify"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("samenspel.web.reports.urls")),
    path("", include("samenspel.web.finance.urls")),
    path("", include("samenspel.web.dynamics.urls")),
    path("", include("samenspel.web.monitoring.urls")),
    path("", include("samenspel.web.partnership.urls")),
]

handler403 = "samenspel.web.errors.forbidden"
handler404 = "samenspel.web.errors.not_found"
handler500 = "samenspel.web.errors.server_error"
