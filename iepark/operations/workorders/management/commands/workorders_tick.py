"""``manage.py workorders_tick``: escalate overdue work orders and create due preventive orders (run daily)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from iepark.core.models import Park


class Command(BaseCommand):
    help = "Escalate overdue work orders to the park administrators and create the orders of due preventive plans."

    def add_arguments(self, parser):
        parser.add_argument("--park", help="Code of one park (all parks by default).")

    def handle(self, *args, **options):
        from iepark.operations.workorders.services import tick

        park = None
        if options.get("park"):
            park = Park.objects.filter(code=options["park"]).first()
            if park is None:
                raise CommandError(f"No park with code {options['park']!r}.")
        result = tick(actor=None, park=park)
        self.stdout.write(f"{result['escalated']} orders escalated, {result['created']} preventive orders created.")
