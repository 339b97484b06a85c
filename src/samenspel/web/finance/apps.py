from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "samenspel.web.finance"
    label = "finance"
    verbose_name = _("Money")

    def ready(self) -> None:
        from . import resources  # noqa: F401  (registers the record kinds)
        from .signals import connect

        connect()
