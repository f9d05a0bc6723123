class BackupRefused(Exception):
    """A file that is not a backup of this site, or is damaged, or cannot be restored here. The
    message says which, for the person running the restore; nothing has been changed."""


class DatabaseToolFailed(Exception):
    """pg_dump, psql or SQLite failed while copying the database; the message has their words."""
