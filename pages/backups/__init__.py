"""Backups of the whole site, database and media, in one file (`manage.py backup_site`), and
their restore (`manage.py restore_site`), checked whole before anything is changed. The format
is in archive.py; docs/deployment.md has the schedule and the runbook."""
