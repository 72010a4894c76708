from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareersConfig(AppConfig):
    name = "iepark.careers"
    label = "careers"
    verbose_name = _("Careers")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Policy rules and background tasks register themselves on import.
        from iepark.core.demo.builder import register_demo_extension

        from . import demo, home, policy, tasks  # noqa: F401

        register_demo_extension(demo.build)
