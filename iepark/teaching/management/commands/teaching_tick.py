"""``manage.py teaching_tick``: remind the parties of cooperation agreements ending soon (run daily; safe to rerun)."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError

from iepark.core.models import Park


class Command(BaseCommand):
    help = "Remind the parties' administrators of agreements ending within their reminder period (once each)."

    def add_arguments(self, parser):
        parser.add_argument("--park", help="Only this park (its code).")
        parser.add_argument("--date", help="Act as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, **options):
        from iepark.teaching.services import agreements_remind

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
        reminded = agreements_remind(today=today, park=park)
        self.stdout.write(f"{len(reminded)} agreement reminder(s) sent.")
