"""
Database triggers refusing changes to approved assessment runs and their lines (installed by the migration).

The services refuse such changes and the models' ``save``/``delete`` refuse them
too; these triggers hold even for a raw ``UPDATE`` or a queryset ``delete()``.
An approved run may still become "paid" (with its payment date and reference).
"""

from __future__ import annotations

LOCKED = "('approved','paid')"
RUN_FIELDS = (
    "fingerprint",
    "lines_digest",
    "total",
    "period_start",
    "period_end",
    "version_id",
    "adjustments",
    "line_count",
    "park_id",
)
MESSAGE_LINE = "governance: the lines of an approved assessment run are immutable"
MESSAGE_RUN = "governance: an approved assessment run is immutable"

SQLITE = [
    *[
        f"""CREATE TRIGGER IF NOT EXISTS governance_line_locked_{op.lower()} BEFORE {op} ON governance_assessmentline
        WHEN (SELECT status FROM governance_assessmentrun WHERE id = {row}.run_id) IN {LOCKED}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE_LINE}'); END;"""
        for op, row in (("INSERT", "NEW"), ("UPDATE", "OLD"), ("DELETE", "OLD"))
    ],
    f"""CREATE TRIGGER IF NOT EXISTS governance_run_locked_update BEFORE UPDATE ON governance_assessmentrun
    WHEN OLD.status IN {LOCKED} AND (
        {" OR ".join(f"NEW.{f} IS NOT OLD.{f}" for f in RUN_FIELDS)}
        OR (OLD.status = 'paid' AND NEW.status IS NOT 'paid')
        OR (OLD.status = 'approved' AND NEW.status NOT IN {LOCKED}))
    BEGIN SELECT RAISE(ABORT, '{MESSAGE_RUN}'); END;""",
    f"""CREATE TRIGGER IF NOT EXISTS governance_run_locked_delete BEFORE DELETE ON governance_assessmentrun
    WHEN OLD.status IN {LOCKED}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE_RUN}'); END;""",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {name};"
    for name in (
        "governance_line_locked_insert",
        "governance_line_locked_update",
        "governance_line_locked_delete",
        "governance_run_locked_update",
        "governance_run_locked_delete",
    )
]

POSTGRES = [
    f"""CREATE OR REPLACE FUNCTION governance_line_guard() RETURNS trigger AS $$
    DECLARE run_status varchar;
    BEGIN
        IF TG_OP = 'INSERT' THEN
            SELECT status INTO run_status FROM governance_assessmentrun WHERE id = NEW.run_id;
        ELSE
            SELECT status INTO run_status FROM governance_assessmentrun WHERE id = OLD.run_id;
        END IF;
        IF run_status IN {LOCKED} THEN
            RAISE EXCEPTION '{MESSAGE_LINE}';
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER governance_line_guard BEFORE INSERT OR UPDATE OR DELETE ON governance_assessmentline
    FOR EACH ROW EXECUTE FUNCTION governance_line_guard();""",
    f"""CREATE OR REPLACE FUNCTION governance_run_guard() RETURNS trigger AS $$
    BEGIN
        IF OLD.status IN {LOCKED} THEN
            IF TG_OP = 'DELETE' THEN
                RAISE EXCEPTION '{MESSAGE_RUN}';
            END IF;
            IF {" OR ".join(f"NEW.{f} IS DISTINCT FROM OLD.{f}" for f in RUN_FIELDS)}
               OR (OLD.status = 'paid' AND NEW.status <> 'paid')
               OR (OLD.status = 'approved' AND NEW.status NOT IN {LOCKED}) THEN
                RAISE EXCEPTION '{MESSAGE_RUN}';
            END IF;
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER governance_run_guard BEFORE UPDATE OR DELETE ON governance_assessmentrun
    FOR EACH ROW EXECUTE FUNCTION governance_run_guard();""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS governance_line_guard ON governance_assessmentline;",
    "DROP TRIGGER IF EXISTS governance_run_guard ON governance_assessmentrun;",
    "DROP FUNCTION IF EXISTS governance_line_guard();",
    "DROP FUNCTION IF EXISTS governance_run_guard();",
]


def _statements(vendor: str, drop: bool) -> list[str]:
    if vendor == "sqlite":
        return SQLITE_DROP if drop else SQLITE
    if vendor == "postgresql":
        return POSTGRES_DROP if drop else POSTGRES
    return []  # other databases rely on the services and the models' save/delete


def install(apps, schema_editor) -> None:
    for statement in _statements(schema_editor.connection.vendor, drop=False):
        schema_editor.execute(statement)


def uninstall(apps, schema_editor) -> None:
    for statement in _statements(schema_editor.connection.vendor, drop=True):
        schema_editor.execute(statement)
