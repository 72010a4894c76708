"""``manage.py safety_tick``: create the inspection rounds due today (run daily; safe to run again)."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError

from iepark.core.models import Park


class Command(BaseCommand):
    help = "Create the inspection rounds that active schedules owe up to today (idempotent; run it daily)."

    def add_arguments(self, parser):
        parser.add_argument("--park", help="Only this park (its code).")
        parser.add_argument("--date", help="Act as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, **options):
        from iepark.operations.safety.services import rounds_generate

        park = None
        if options.get("park"):
            park = Park.objects.filter(code=options["park"]).first()
            if park is None:
                raise CommandError(f"No park with the code {options['park']!r}.")
        today = None
        if options.get("date"):
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("Give the date as YYYY-MM-DD.") from None
        rounds = rounds_generate(actor=None, park=park, today=today)
        self.stdout.write(f"{len(rounds)} inspection round(s) created.")
