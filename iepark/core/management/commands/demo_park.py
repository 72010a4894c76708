"""
Build the demo park: ``manage.py demo_park [--seed 42] [--students 600] [--park-code zhundong] [--quiet]``.

Deterministic for a seed, written through the services (every object has its
audit event, by the ``system`` superuser) in one transaction, and idempotent:
if the park code exists, nothing is created and the demo logins are listed
again. Every demo login's password is ``iepark-demo-2026``.
"""

from __future__ import annotations

import argparse
import time

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from iepark.core.demo import builder, data
from iepark.core.models import Park


def _students(value: str) -> int:
    n = int(value)
    if n < 2:
        raise argparse.ArgumentTypeError("at least 2 (two students are demo logins)")
    return n


class Command(BaseCommand):
    help = (
        "Build a realistic demo park (management committee, modern industrial college, cooperative colleges, "
        "coal-industry enterprises, operator, majors, teachers, students) and its demo logins, "
        f"all with the password {data.DEMO_PASSWORD!r}. Does nothing but list the logins if the park exists."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=data.DEFAULT_SEED, help="Random seed (default: %(default)s).")
        parser.add_argument(
            "--students",
            type=_students,
            default=data.DEFAULT_STUDENTS,
            help="Number of students (default: %(default)s).",
        )
        parser.add_argument(
            "--park-code", default=data.DEFAULT_PARK_CODE, help="Code of the park to build (default: %(default)s)."
        )
        parser.add_argument(
            "--login-prefix",
            default="",
            help="Prefix of the demo usernames, for a second demo park in the same database (default: none).",
        )
        parser.add_argument("--quiet", action="store_true", help="Print nothing.")

    def handle(self, *args, **options):
        quiet = options["quiet"]
        code = options["park_code"]
        prefix = options["login_prefix"]

        def say(message: str = "") -> None:
            if not quiet:
                self.stdout.write(message)

        park = Park.objects.filter(code=code).first()
        if park is not None:
            say(f"The park {code!r} exists already; nothing was created.")
            self._print_logins(park, prefix, say)
            return

        taken = list(get_user_model().objects.filter(username__in=builder.login_usernames(prefix)))
        if taken:
            names = ", ".join(sorted(u.username for u in taken))
            raise CommandError(f"Demo usernames already taken ({names}); pass another --login-prefix.")
        try:
            actor = builder.system_user()
        except ValueError as exc:
            raise CommandError(str(exc)) from exc

        started = time.monotonic()
        plan = builder.plan_for_database(
            seed=options["seed"], students=options["students"], park_code=code, login_prefix=prefix
        )
        say(
            f"Building the demo park {code!r} (seed {options['seed']}): {len(plan.organisations)} organisations, "
            f"{len(plan.staff)} staff, {len(plan.teachers)} teachers, {len(plan.students)} students."
        )
        try:
            # With DEBUG on, Django logs every query, and on SQLite it quotes each query's parameters with
            # one more query: that doubles the build's queries for nothing. The notifications the demo's
            # workflows send stay in the app: no e-mail goes to the demo people's made-up addresses.
            with override_settings(DEBUG=False, EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
                park = builder.build_park(plan, actor=actor, progress=(lambda m: say(f"  {m}")))
        except ValidationError as exc:
            raise CommandError(f"The demo park could not be built: {exc}") from exc
        counts = builder.park_counts(park)
        say(
            f"Built the park {park.code!r} in {time.monotonic() - started:.1f} s: "
            f"{counts['organisations']} organisations, {counts['majors']} majors, {counts['people']} people, "
            f"{counts['teachers']} teachers, {counts['students']} students, {counts['memberships']} memberships."
        )
        self._print_logins(park, prefix, say)

    def _print_logins(self, park: Park, prefix: str, say) -> None:
        rows = builder.login_rows(park, prefix)
        table = builder.format_table(
            ["username", "role", "organisation"],
            [(r.username, r.role, r.organisation if r.exists else "(missing)") for r in rows],
        )
        say("")
        say(f"Demo logins of {park.code!r} (password for all: {data.DEMO_PASSWORD}):")
        say(table)
