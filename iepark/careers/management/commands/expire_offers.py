"""
Expire the offers nobody answered in time: ``manage.py expire_offers [--date YYYY-MM-DD]``.

Run it daily shortly after midnight (e.g. cron ``5 0 * * * manage.py expire_offers``): each
pending offer whose answer-by date is before today becomes "expired" and its application
"declined", audited as done by the system. Pages show an overdue offer as expired already.
"""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError

from iepark.careers.applications.services import expire_offers


class Command(BaseCommand):
    help = "Expire pending offers whose answer-by date has passed (run daily)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Expire as of this date (YYYY-MM-DD; default: today).")

    def handle(self, *args, **options):
        today = None
        if options.get("date"):
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"--date: {exc}") from exc
        count = expire_offers(today)
        self.stdout.write(f"{count} offer(s) expired.")
