from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "iepark.operations.surveys"
    label = "surveys"
    verbose_name = _("Satisfaction surveys")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Policy rules register themselves on import; the demo park gets this app's part.
        from iepark.core.demo.builder import register_demo_extension

        from . import demo, policy  # noqa: F401

        register_demo_extension(demo.build)
