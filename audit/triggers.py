"""Database triggers that keep the audit log append-only even against raw SQL.

What the database refuses:

- PostgreSQL: every UPDATE that changes anything but nulling ``actor_id`` or ``community_id``
  (what ``SET_NULL`` does when an account or a community is deleted), and every DELETE of rows.
  ``TRUNCATE`` stays possible: it is how Django's ``flush`` (and the test suite) empties a whole
  database, and whoever may truncate tables owns the database anyway.
- SQLite: the same UPDATEs. Not DELETE: SQLite has no TRUNCATE, Django's ``flush`` empties tables
  with ``DELETE FROM``, and a row trigger cannot tell that from deleting one entry. On SQLite,
  deleting entries is refused by the models (``AuditEntry.delete`` and its queryset) only.

The first migration installs these. Changing them, or altering the table on SQLite (which
rebuilds the table and loses its triggers), needs a migration that installs them again.
"""

TABLE = "audit_auditentry"
# Every column but the two links that SET_NULL may clear.
RECORDED = ["id", "when", "actor_name", "action", "target_type", "target_id", "target_label", "target_url",
            "details"]

POSTGRESQL = [
    """
    CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION 'The audit log is append-only: entries are never deleted.';
        END IF;
        IF (to_jsonb(NEW) - 'actor_id' - 'community_id') IS DISTINCT FROM (to_jsonb(OLD) - 'actor_id' - 'community_id')
           OR (NEW.actor_id IS NOT NULL AND NEW.actor_id IS DISTINCT FROM OLD.actor_id)
           OR (NEW.community_id IS NOT NULL AND NEW.community_id IS DISTINCT FROM OLD.community_id) THEN
            RAISE EXCEPTION 'The audit log is append-only: entries are never changed.';
        END IF;
        RETURN NEW;
    END
    $$;
    """,
    f"""
    CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only();
    """,
]
POSTGRESQL_REVERSE = [
    f"DROP TRIGGER IF EXISTS audit_entry_append_only ON {TABLE};",
    "DROP FUNCTION IF EXISTS audit_entry_append_only();",
]

_changed = " OR ".join(f'NEW."{column}" IS NOT OLD."{column}"' for column in RECORDED)
SQLITE = [
    f"""
    CREATE TRIGGER audit_entry_append_only BEFORE UPDATE ON {TABLE}
    FOR EACH ROW WHEN {_changed}
        OR (NEW.actor_id IS NOT NULL AND NEW.actor_id IS NOT OLD.actor_id)
        OR (NEW.community_id IS NOT NULL AND NEW.community_id IS NOT OLD.community_id)
    BEGIN
        SELECT RAISE(ABORT, 'The audit log is append-only: entries are never changed.');
    END;
    """,
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS audit_entry_append_only;"]


def install(apps, schema_editor) -> None:
    statements = {"postgresql": POSTGRESQL, "sqlite": SQLITE}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def uninstall(apps, schema_editor) -> None:
    statements = {"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)
