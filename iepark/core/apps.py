from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "iepark.core"
    label = "core"
    verbose_name = _("Park core")

    def ready(self) -> None:
        # Register the background tasks, so every runner (web thread or Celery worker) knows them.
        # The attachments module registers its policy rule.
        from . import attachments  # noqa: F401
        from .io import tasks  # noqa: F401
