from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeachingConfig(AppConfig):
    name = "iepark.teaching"
    label = "teaching"
    verbose_name = _("Teaching")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Policy rules, notification texts, background tasks and the importers of rooms, courses and
        # enrolments register themselves on import; the demo park gets this app's part.
        from iepark.core.demo.builder import register_demo_extension

        from . import demo, importers, notifications, policy, tasks  # noqa: F401

        register_demo_extension(demo.build)
