from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "iepark.governance"
    label = "governance"
    verbose_name = _("Governance")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Policy rules and background tasks register themselves on import; the demo park gets this app's part.
        from iepark.core.demo.builder import register_demo_extension

        from . import demo, policy, tasks  # noqa: F401

        register_demo_extension(demo.build)
