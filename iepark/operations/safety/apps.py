from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafetyConfig(AppConfig):
    name = "iepark.operations.safety"
    label = "safety"
    verbose_name = _("Security and fire safety")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Policy rules, background tasks and the demo park's part register themselves here.
        from iepark.core.demo.builder import register_demo_extension

        from . import demo, policy, tasks  # noqa: F401

        register_demo_extension(demo.build)
