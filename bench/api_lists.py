"""
List pages and API lists at park scale.

Builds a demo park of ``--students`` students (default 20,000) in a scratch
SQLite database (or the database of ``DATABASE_URL``), then times the first
page of the student, people and organisation lists, through the API and the
HTML pages, as a park administrator and as a college administrator; and the
operator's and the committee's dashboards and the busiest operations and
governance lists, for the roles that use them.

Reference: the iepark budget for a list page is 300 ms (p95) and a query
count that does not depend on the data size; the figures are compared with it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

BUDGET_MS = 300.0


def _setup(students: int, seed: int) -> None:
    if "DATABASE_URL" not in os.environ:
        scratch = Path(tempfile.mkdtemp(prefix="iepark-bench-"))
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch / 'bench.sqlite3'}"
        os.environ["IEPARK_VAR_DIR"] = str(scratch)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iepark.settings")
    os.environ.setdefault("IEPARK_ALLOW_DEV_SECRET", "1")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import warnings

    warnings.filterwarnings("ignore", message="No directory at")  # no collectstatic in a scratch folder
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("demo_park", students=students, seed=seed, quiet=True)
    print(f"demo park with {students} students ready in {time.perf_counter() - started:.1f} s")


def _measure(client, url: str, repeat: int) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm up
    times = []
    queries = 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(ctx.captured_queries)
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return statistics.median(times), p95, queries


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--students", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv if argv is not None else sys.argv[1:])
    _setup(args.students, args.seed)

    from django.contrib.auth import get_user_model
    from django.test import Client

    common = [
        "/api/v1/students/?page_size=50",
        "/api/v1/students/?page_size=50&page=40",
        "/api/v1/people/?page_size=50",
        "/api/v1/organisations/?page_size=50",
        "/students/",
        "/people/",
    ]
    # The dashboards and the busiest lists of operations and governance, for the roles that use them.
    per_user = {
        "admin": [
            *common,
            "/api/v1/bed-assignments/?page_size=50",
            "/bed-assignments/",
            "/work-orders/",
            "/operations/dashboard/",
            "/governance/dashboard/",
            "/governance/lines/",
        ],
        "college1": common,
        "operator": ["/work-orders/", "/api/v1/work-orders/?page_size=50", "/operations/dashboard/"],
        "committee": ["/governance/dashboard/", "/governance/issues/", "/api/v1/assessment-lines/?page_size=50"],
    }
    print(f"{'user':<10} {'url':<42} {'median ms':>10} {'p95 ms':>8} {'queries':>8}  vs budget {BUDGET_MS:.0f} ms")
    for username, urls in per_user.items():
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        for url in urls:
            median, p95, queries = _measure(client, url, args.repeat)
            verdict = "within" if p95 <= BUDGET_MS else "OVER"
            print(f"{username:<10} {url:<42} {median:>10.1f} {p95:>8.1f} {queries:>8}  {verdict}")


if __name__ == "__main__":
    main()
