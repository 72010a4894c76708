from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationConfig(AppConfig):
    name = "iepark.governance.consultation"
    label = "consultation"
    verbose_name = _("Contact meetings and major issues")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Policy rules, notification texts, background tasks and the demo park's part register themselves here.
        from iepark.core.demo.builder import register_demo_extension

        from . import demo, notifications, policy, tasks  # noqa: F401

        register_demo_extension(demo.build)
