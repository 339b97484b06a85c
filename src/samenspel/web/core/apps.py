from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The core: programmes and the partnership register. The label stays "partnership" so the
    tables and migrations keep their names."""

    name = "samenspel.web.core"
    label = "partnership"
    verbose_name = _("Partnership")

    def ready(self) -> None:
        from . import signals

        signals.connect()
