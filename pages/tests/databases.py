"""The test database, made once per run and copied rather than migrated again by each process,
and the seeded site (`load_ioi_content`), made once per run and restored into each test that
asks for it (docs/testing.md, "A seeded site").

The first pytest process to need a database takes a lock in the run's shared temporary folder
and builds both: it runs the migrations, copies the result, seeds the site, copies that, and
puts its own database back as the migrations left it. The other processes wait for the lock
and copy instead of building:

- SQLite (an in-memory test database per process): the copies are files made with SQLite's
  backup API. A process loads the migrated copy into its database with the same API, and reads
  the seeded copy's rows once, as stored (no type conversion), to insert them where asked.
  (Not ATTACH: Playwright's event loop makes Django open a second connection to the in-memory
  database in the browser tests' thread, and an attachment belongs to one connection.)
- PostgreSQL: the migrated database, with the copies in its schemas `migrated` and `seeded`,
  becomes a template database, and each process's test database is created from it
  (`CREATE DATABASE ... TEMPLATE`). The run's controller drops the template at the end.

`restore()` replaces every table's rows with the seeded copy's, in the caller's transaction: a
test's changes are rolled back with it, and the next test that asks gets the seeded site again.
`restore(MIGRATED)` puts back the database as the migrations left it: what a transactional
test's teardown does instead of Django's flush (`reset_after_transactional_tests`). Sequences
are moved past the copied ids on PostgreSQL; SQLite's AUTOINCREMENT looks at the rows
themselves.
"""

import fcntl
import re
import sqlite3
from contextlib import closing, contextmanager
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import setup_databases

SEEDED = "seeded"
MIGRATED = "migrated"
# Wagtail's full-text table on SQLite (FTS5) and its shadow tables: kept in step with
# wagtailsearch_indexentry by that table's triggers, never written directly.
FULL_TEXT = re.compile(r"^wagtailsearch_indexentry_fts(_\w+)?$")


@contextmanager
def exclusive(path, while_waiting=None):
    """A lock held by one process of the run at a time. `while_waiting` is called once, before
    waiting, if another process holds it."""
    with open(path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if while_waiting:
                while_waiting()
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def template_name(test_name):
    """The PostgreSQL template of a run's test databases: the name without xdist's suffix."""
    return re.sub(r"_gw\d+$", "", test_name) + "_template"


class TestDatabase:
    """This process's test database, and the run's copies of it in `folder`."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.vendor = connection.vendor
        self.tables = {}  # PostgreSQL: per copy, the tables and sequences a restore copies
        self.rows = {}  # SQLite: per copy, its rows, read once

    @property
    def migrated_file(self):
        """SQLite: the run's copy of the database as the migrations left it (None on
        PostgreSQL, whose copy is a template database)."""
        return self.folder / f"{MIGRATED}.sqlite3" if self.vendor == "sqlite" else None

    @property
    def ready_marker(self):
        return self.folder / "test-database.ready"

    def set_up(self, verbosity=0, while_waiting=None):
        """Builds the run's copies if no process has yet, else copies them. Returns what
        `django.test.utils.teardown_databases` needs to remove this process's database.
        `while_waiting` is called if another process is building them: work for the core
        that would otherwise wait."""
        with exclusive(self.folder / "test-database.lock", while_waiting):
            if self.ready_marker.exists():
                return self._copy()
            return self._build(verbosity)

    # Building, once per run

    def _build(self, verbosity):
        old_config = setup_databases(
            verbosity=verbosity, interactive=False, aliases={"default"}, serialized_aliases=set()
        )
        if self.vendor == "sqlite":
            self._sqlite_copy_to(self.migrated_file)
            self._seed()
            self._sqlite_copy_to(self.folder / f"{SEEDED}.sqlite3")
            self._sqlite_copy_from(self.migrated_file)
        else:
            self._postgres_copy_to_schema(MIGRATED)
            self._seed()
            self._postgres_copy_to_schema(SEEDED)
            self.restore(MIGRATED)
            self._postgres_make_template()
        self.ready_marker.touch()
        return old_config

    def _seed(self):
        """`load_ioi_content` on the migrated database, what it printed kept for the tests of
        the command itself (`seed_output`)."""
        out, err = StringIO(), StringIO()
        call_command("load_ioi_content", stdout=out, stderr=err)
        (self.folder / "seed.out").write_text(out.getvalue())
        (self.folder / "seed.err").write_text(err.getvalue())

    @property
    def seed_output(self):
        """(stdout, stderr) of the `load_ioi_content` run that made the seeded copy."""
        return (self.folder / "seed.out").read_text(), (self.folder / "seed.err").read_text()

    def _sqlite_copy_to(self, path):
        connection.ensure_connection()
        with sqlite3.connect(path) as copy:
            connection.connection.backup(copy)
        copy.close()

    def _sqlite_copy_from(self, path):
        connection.ensure_connection()
        with sqlite3.connect(path) as copy:
            copy.backup(connection.connection)
        copy.close()

    def _sqlite_rows(self, name):
        """{table: (columns, rows)} of the copy `name`, read once per process."""
        if name not in self.rows:
            rows = self.rows[name] = {}
            path = self.folder / f"{name}.sqlite3"
            with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as copy:
                names = copy.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%' ORDER BY name"
                ).fetchall()
                for (table,) in names:
                    if FULL_TEXT.match(table):
                        continue
                    cursor = copy.execute(f'SELECT * FROM "{table}"')
                    columns = [column[0] for column in cursor.description]
                    rows[table] = (columns, cursor.fetchall())
        return self.rows[name]

    def _postgres_copy_to_schema(self, schema):
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "{schema}"')
            for table in self._own_tables():
                cursor.execute(f'CREATE TABLE "{schema}"."{table}" AS TABLE "{table}"')

    def _postgres_make_template(self):
        name = connection.settings_dict["NAME"]
        template = template_name(name)
        connection.close()
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{template}"')
            cursor.execute(f'CREATE DATABASE "{template}" TEMPLATE "{name}"')
        connection.ensure_connection()

    # Copying, in every other process

    def _copy(self):
        old_name = connection.settings_dict["NAME"]
        name = connection.creation._get_test_db_name()
        if self.vendor == "postgresql":
            connection.close()
            with connection.creation._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
                cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template_name(name)}"')
        connection.close()
        settings.DATABASES[connection.alias]["NAME"] = name
        connection.settings_dict["NAME"] = name
        connection.ensure_connection()
        if self.vendor == "sqlite":
            self._sqlite_copy_from(self.folder / f"{MIGRATED}.sqlite3")
        return [(connection, old_name, True)]

    # Restoring, in a test

    def _own_tables(self):
        return [
            table
            for table in connection.introspection.table_names(include_views=False)
            if not FULL_TEXT.match(table)
        ]

    def _copied_tables(self, schema):
        """(table, has rows in the copy) for each of the copy's tables."""
        with connection.cursor() as cursor:
            tables = []
            for table in self._own_tables():
                cursor.execute(f'SELECT EXISTS (SELECT 1 FROM "{schema}"."{table}")')
                tables.append((table, bool(cursor.fetchone()[0])))
        return tables

    def _sequences(self):
        with connection.cursor() as cursor:
            cursor.execute(SEQUENCES)
            return cursor.fetchall()

    def restore(self, schema=SEEDED):
        """Every table's rows replaced with the copy's, in one transaction (the test's own when
        it has one)."""
        # SQLite counts deferred foreign-key violations as rows come and go, and its count does
        # not come back to 0 over a delete-everything-then-insert (PRAGMA foreign_key_check
        # finds nothing): the checks are off for the copy where they can be (outside a
        # transaction), and Django's TestCase checks every constraint after each test.
        with connection.constraint_checks_disabled(), transaction.atomic():
            if self.vendor == "sqlite":
                self._sqlite_restore(schema)
            else:
                self._postgres_restore(schema)

    def _sqlite_restore(self, name):
        rows = self._sqlite_rows(name)
        connection.ensure_connection()
        raw = connection.connection
        for table in rows:
            raw.execute(f'DELETE FROM "{table}"')
        for table, (columns, values) in rows.items():
            if values:
                names = ", ".join(f'"{column}"' for column in columns)
                marks = ", ".join("?" * len(columns))
                raw.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', values)

    def _postgres_restore(self, schema):
        if schema not in self.tables:
            self.tables[schema] = self._copied_tables(schema), self._sequences()
        return self._postgres_statements(*self.tables[schema], schema)

    def _postgres_statements(self, tables, sequences, schema):
        with connection.cursor() as cursor:
            cursor.execute(copying_statements(tables, sequences, schema))

    # A seeded site for a process of its own

    def postgres_migrated_database(self, name):
        """A new PostgreSQL database `name` as the migrations leave one, from the run's template
        (its `seeded` schema dropped): what a first deployment's `migrate` makes, in a second
        instead of some twenty."""
        self._postgres_database_from_template(name, seeded=False)

    def postgres_seeded_database(self, name):
        """A new PostgreSQL database `name` holding the seeded site, from the run's template
        (for a process test that serves the seeded site on PostgreSQL, instead of migrating and
        seeding a database of its own: a minute and a half). Its `seeded` schema is dropped, so
        it holds what a released site's database holds (the same for `migrated`)."""
        self._postgres_database_from_template(name, seeded=True)

    def _postgres_database_from_template(self, name, seeded):
        import psycopg

        template = template_name(connection.settings_dict["NAME"])
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        server = connection.settings_dict
        with psycopg.connect(
            dbname=name,
            host=server["HOST"] or None,
            port=server["PORT"] or None,
            user=server["USER"] or None,
            password=server["PASSWORD"] or None,
        ) as copy:
            if seeded:
                tables = [
                    (table, True)
                    for (table,) in copy.execute(
                        "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
                        [SEEDED],
                    )
                ]
                sequences = copy.execute(SEQUENCES).fetchall()
                copy.execute(copying_statements(tables, sequences, SEEDED))
            copy.execute(f'DROP SCHEMA "{SEEDED}" CASCADE; DROP SCHEMA "{MIGRATED}" CASCADE')


@contextmanager
def reset_after_transactional_tests(database):
    """After each transactional test (`transactional_db`, `live_server`), the database as the
    migrations left it, put back from the run's copy (`restore(MIGRATED)`), instead of Django's
    flush: every table emptied, then `post_migrate` making the content types and permissions
    again. On PostgreSQL that flush's TRUNCATE of some 130 tables and its signal took 0.7-1.3 s
    a test, the restore 0.1 s; on SQLite 0.09 s and 0.03 s. The next test starts where every
    test in a transaction starts: with Wagtail's root page, the default site and locale, the
    roles and the rest of what the migrations write. A test case that names its apps or asks
    for a serialized rollback keeps Django's own teardown."""
    from django.test import TransactionTestCase

    flush = TransactionTestCase._fixture_teardown

    def _fixture_teardown(self):
        if self.available_apps is not None or self.serialized_rollback:
            return flush(self)
        if set(self._databases_names(include_mirrors=False)) != {connection.alias}:
            return flush(self)
        database.restore(MIGRATED)

    TransactionTestCase._fixture_teardown = _fixture_teardown
    try:
        yield
    finally:
        TransactionTestCase._fixture_teardown = flush


# Every column a sequence numbers, in the public schema.
SEQUENCES = (
    "SELECT table_name, column_name FROM information_schema.columns "
    "WHERE table_schema = 'public' "
    "AND (is_identity = 'YES' OR column_default LIKE 'nextval%%')"
)


def copying_statements(tables, sequences, schema):
    """SQL that replaces the rows of each (table, has rows in the copy) with the copy's in
    `schema`, and moves each sequence past the copied ids, never back: a sequence keeps its
    place when a transaction is rolled back, and a world's snapshot (`Snapshot`), taken when
    the sequence was further on, puts back rows with those later ids; a sequence moved back to
    the seeded copy's ids would hand them out again (duplicate keys in the next test that adds
    a page after its world, seen once the order of the PostgreSQL pass changed)."""
    statements = [f'DELETE FROM "{table}"' for table, _ in tables]
    statements += [
        f'INSERT INTO "{table}" SELECT * FROM "{schema}"."{table}"'
        for table, has_rows in tables
        if has_rows
    ]
    statements += [
        f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'), "
        f'GREATEST(COALESCE(MAX("{column}"), 0) + 1, '
        f"nextval(pg_get_serial_sequence('\"{table}\"', '{column}'))), false) "
        f'FROM "{table}"'
        for table, column in sequences
    ]
    return ";\n".join(statements)


class Snapshot:
    """A small world a builder makes (conftest's `site_tree`), made once per process and put
    back into each later test that asks for it: the rows of every table the builder changed,
    read once, then written again in the test's transaction (a few hundredths of a second,
    where building it again cost three tenths). Tables the builder did not touch keep what
    the test's other fixtures put there.

    Rows travel as Python values on SQLite (the driver's own round trip) and as JSON on
    PostgreSQL (`json_agg` out, `json_populate_recordset` in: every column type, JSON and
    search vectors included, read and written by the server itself). PostgreSQL's sequences
    need no moving: they only go up, so the ids the first build took stay behind them."""

    def __init__(self, build):
        self.build = build
        self.tables = None
        self.result = None

    def take(self):
        """Builds the world in a transaction that is rolled back, keeping what it changed."""
        with transaction.atomic():
            before = {table: _table_rows(table) for table in _tables()}
            self.result = self.build()
            after = {table: _table_rows(table) for table in before}
            self.tables = {table: rows for table, rows in after.items() if rows != before[table]}
            transaction.set_rollback(True)

    def put_back(self):
        with connection.cursor() as cursor:
            for table in self.tables:
                cursor.execute(f'DELETE FROM "{table}"')
            for table, rows in self.tables.items():
                _insert_rows(cursor, table, rows)
        return self.result


def _tables():
    return [
        table
        for table in connection.introspection.table_names(include_views=False)
        if not FULL_TEXT.match(table)
    ]


def _table_rows(table):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT COALESCE(json_agg(t), '[]')::text FROM \"{table}\" t")
            return cursor.fetchone()[0]
        cursor.execute(f'SELECT * FROM "{table}"')
        return [column[0] for column in cursor.description], cursor.fetchall()


def _insert_rows(cursor, table, rows):
    if connection.vendor == "postgresql":
        if rows != "[]":
            cursor.execute(
                f'INSERT INTO "{table}" SELECT * FROM json_populate_recordset(NULL::"{table}", %s)',
                [rows],
            )
        return
    columns, values = rows
    if values:
        names = ", ".join(f'"{column}"' for column in columns)
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', values)
