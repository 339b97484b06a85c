from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipConfig(AppConfig):
    name = "samenspel.web.partnership"
    label = "partnership"
    verbose_name = _("Partnership")

    def ready(self) -> None:
        from . import signals

        signals.connect()
