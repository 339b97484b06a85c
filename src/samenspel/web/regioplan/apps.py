from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegioplanConfig(AppConfig):
    name = "samenspel.web.regioplan"
    label = "regioplan"
    verbose_name = _("Regioplan")

    def ready(self) -> None:
        from . import resources  # noqa: F401  (registers the record kinds)
