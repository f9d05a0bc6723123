"""What `make run` does before it serves (docs/first-run.md): the database made, or brought up to
date, and the IOI content loaded into a site that has none, each step saying what it does and
how long it took.

A new SQLite database is built in a file beside the real one and moved into place only when
it is complete, with its journal in memory and no waiting on the disk while it is built
(`BUILD_PRAGMAS`). A build that is interrupted leaves no database, and the next run starts it
again. Once in place the database is an ordinary one, with SQLite's safe defaults."""

import gc
import os
import time
from contextlib import contextmanager
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.core.management.commands.migrate import Command as MigrateCommand
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from home.models import HomePage

# Safe only for a database being created, which nothing else reads and which is thrown away if
# the build stops: SQLite's rollback journal kept in memory (transactions and savepoints still
# roll back; a crash could leave the file inconsistent), and no fsync after each of the some
# 260 migrations' commits.
BUILD_PRAGMAS = "PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF"
BUILDING_SUFFIX = ".building"
# Python's cyclic garbage collector while a batch job makes millions of short-lived objects
# (Django renders the models' historical states for every migration): a collection after
# 50,000 new objects instead of 700; the older generations as by default. `migrate` on an empty
# SQLite file took 14.4-15.3 s so, 16.9-17.1 s with the defaults, its peak memory 252 MB where
# it was 202 (docs/first-run.md). The test processes run with it too (conftest.py).
BATCH_GC_THRESHOLDS = (50_000, 10, 10)


@contextmanager
def fewer_collections():
    """BATCH_GC_THRESHOLDS while the block runs, then the thresholds as they were."""
    before = gc.get_threshold()
    gc.set_threshold(*BATCH_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


class Steps:
    """Prints each step as it starts and its time when it ends; on a terminal, a long step keeps
    one line up to date with how far it has got."""

    def __init__(self, out):
        self.out = out
        self.live = out.isatty()

    @contextmanager
    def step(self, text):
        self.out.write(f"{text} ...")
        self.out.flush()
        started = time.monotonic()
        yield
        self.clear()
        self.out.write(f"  done in {time.monotonic() - started:.1f} s")

    def progress(self, text):
        if self.live:
            self.out.write(f"\r\033[K  {text}", ending="")
            self.out.flush()

    def clear(self):
        if self.live:
            self.out.write("\r\033[K", ending="")

    def say(self, text):
        self.out.write(text)


class MigrateWithProgress(MigrateCommand):
    """Django's migrate, counting the migrations on one line instead of a line for each."""

    def __init__(self, steps, total, **kwargs):
        super().__init__(**kwargs)
        self.steps, self.total, self.applied = steps, total, 0

    def migration_progress_callback(self, action, migration=None, fake=False):
        if action == "apply_success":
            self.applied += 1
            self.steps.progress(f"{self.applied} of {self.total} migrations ({migration})")


def pending_migrations(connection):
    executor = MigrationExecutor(connection)
    return executor.migration_plan(executor.loader.graph.leaf_nodes())


def migrate(steps, pending):
    with steps.step(f"Applying {len(pending)} database migrations"):
        command = MigrateWithProgress(steps, len(pending))
        call_command(command, interactive=False, verbosity=0, skip_checks=True)


def load_content(steps):
    with steps.step("Loading the IOI content: the pages in English and Spanish, and the rest"):
        out = StringIO()
        call_command("load_ioi_content", "--if-empty", stdout=out)
    made = out.getvalue().split(":", 1)[0].strip()
    if made.startswith("Created"):
        steps.say(f"  {made.lower()} (pages, their Spanish versions, snippets, settings)")


def new_sqlite_file(connection):
    """The SQLite file the site will use, if there is none yet (or an empty one, which is what a
    connection leaves where there was none); None for an existing database or another kind."""
    if connection.vendor != "sqlite":
        return None
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        return None
    path = Path(name)
    return path if not path.exists() or path.stat().st_size == 0 else None


@contextmanager
def building(connection, path):
    """The connection points at a new file beside `path`, with BUILD_PRAGMAS, while the body
    runs; the file replaces `path` only if the body finishes. Django's own test database swaps
    its NAME the same way."""
    temporary = path.with_name(path.name + BUILDING_SUFFIX)
    temporary.unlink(missing_ok=True)  # what a build that was killed left
    settings = connection.settings_dict
    name, options = settings["NAME"], settings.get("OPTIONS", {})
    init = "; ".join(filter(None, [options.get("init_command", ""), BUILD_PRAGMAS]))
    connection.close()
    settings["NAME"], settings["OPTIONS"] = str(temporary), {**options, "init_command": init}
    try:
        yield
        connection.close()
        os.replace(temporary, path)
    finally:
        connection.close()
        settings["NAME"], settings["OPTIONS"] = name, options
        temporary.unlink(missing_ok=True)


@fewer_collections()
def set_up(out):
    """Makes the database and the content ready, doing only what is missing."""
    steps = Steps(out)
    connection = connections[DEFAULT_DB_ALIAS]
    path = new_sqlite_file(connection)
    if path is not None:
        steps.say(f"A new database in {path.name}, built beside it and moved into place when done.")
        with building(connection, path):
            migrate(steps, pending_migrations(connection))
            load_content(steps)
        return
    pending = pending_migrations(connection)
    if pending:
        migrate(steps, pending)
    empty = not HomePage.objects.exists()
    if empty:
        load_content(steps)
    if not pending and not empty:
        steps.say("The database is up to date and has its content: nothing to set up.")
