"""The database in and out of a backup, through django-dbbackup's connectors.

- SQLite: a copy made with SQLite's online backup API, a consistent snapshot even while the
  site writes, and no program needed but Python. Restored through the same API into the live
  database (django-dbbackup's own restore writes the file over, under any process that has it
  open), so each process sees either the old database or the restored one, whole.
- PostgreSQL: pg_dump's SQL (one consistent snapshot, without owners or grants, so that another
  role can restore it), restored by psql in one transaction that first drops every table of
  the schema: the database ends up exactly as backed up, or, if anything fails, as it was."""

import logging
import shlex
import sqlite3
from pathlib import Path

from dbbackup.db.exceptions import CommandConnectorError
from dbbackup.db.postgresql import PgDumpConnector
from dbbackup.db.sqlite import SqliteBackupConnector
from django.db import DatabaseError, connection
from django.db.migrations.recorder import MigrationRecorder

from .errors import BackupRefused, DatabaseToolFailed

# django-dbbackup sets this logger to DEBUG itself, which would print every pg_dump command
# line into each cron mail.
logging.getLogger("dbbackup.command").setLevel(logging.WARNING)


def read_only(path):
    return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)


class SqliteDatabase(SqliteBackupConnector):
    member = "database.sqlite3.gz"

    def describe(self):
        return f"the SQLite database {self.settings['NAME']}"

    def exists(self):
        return self.connection.is_in_memory_db() or Path(self.settings["NAME"]).is_file()

    @staticmethod
    def check(copy, shown_as):
        db = read_only(copy)
        try:
            verdict = db.execute("PRAGMA integrity_check").fetchone()[0]
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
        except sqlite3.DatabaseError as error:
            verdict, tables = str(error), set()
        finally:
            db.close()
        if verdict == "ok" and "django_migrations" not in tables:
            verdict = "it has no django_migrations table"
        if verdict != "ok":
            raise BackupRefused(
                f"The database in {shown_as} is not a readable site database ({verdict}). "
                "Nothing was changed."
            )

    def dump(self):
        try:
            return self.create_dump()
        except (sqlite3.Error, DatabaseError) as error:
            raise DatabaseToolFailed(f"SQLite could not copy the database: {error}") from None

    def restore(self, copy):
        source = read_only(copy)
        try:
            connection.ensure_connection()
            source.backup(connection.connection)
        except (sqlite3.Error, DatabaseError) as error:
            raise DatabaseToolFailed(f"SQLite could not write the database: {error}") from None
        finally:
            source.close()
            connection.close()


# Every table of the schema, dropped inside psql's one transaction before the dump's own
# statements, so that a table the backup does not have (from a later migration) goes too.
DROP_EVERY_TABLE = (
    "DO $$DECLARE t record; BEGIN FOR t IN SELECT tablename FROM pg_tables "
    "WHERE schemaname = current_schema() LOOP "
    "EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', t.tablename); END LOOP; END$$"
)
COMPLETE = b"-- PostgreSQL database dump complete"


class PostgresDatabase(PgDumpConnector):
    member = "database.sql.gz"
    dump_suffix = "--no-owner --no-privileges"
    restore_suffix = f"-c {shlex.quote(DROP_EVERY_TABLE)} -f -"

    def describe(self):
        where = self.settings.get("HOST") or "localhost"
        if self.settings.get("PORT"):
            where += f":{self.settings['PORT']}"
        return f"the PostgreSQL database {self.settings['NAME']} on {where}"

    def exists(self):
        return True  # connecting says so, with the server's own words

    @staticmethod
    def check(copy, shown_as):
        with open(copy, "rb") as dump:
            head = dump.read(100)
            dump.seek(0, 2)
            dump.seek(max(0, dump.tell() - 4096))
            tail = dump.read()
        if not head.startswith(b"--\n-- PostgreSQL database dump") or COMPLETE not in tail:
            raise BackupRefused(
                f"The database in {shown_as} is not a whole PostgreSQL dump. Nothing was changed."
            )

    def dump(self):
        try:
            return self.create_dump()
        except CommandConnectorError as error:
            raise DatabaseToolFailed(str(error)) from None

    def restore(self, copy):
        with open(copy, "rb") as dump:
            try:
                self.restore_dump(dump)
            except CommandConnectorError as error:
                raise DatabaseToolFailed(str(error)) from None


CONNECTORS = {"sqlite": SqliteDatabase, "postgresql": PostgresDatabase}
KINDS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def this_database():
    """The connector for the site's database, or BackupRefused for a kind it cannot back up."""
    if connection.vendor not in CONNECTORS:
        raise BackupRefused(
            f"Backups are made of SQLite or PostgreSQL only, not {connection.vendor}."
        )
    return CONNECTORS[connection.vendor]()


def applied_migrations():
    recorder = MigrationRecorder(connection)
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())
