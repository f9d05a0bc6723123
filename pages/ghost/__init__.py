"""Moving the old site here: `manage.py import_ghost` reads a Ghost export (docs/editors.md,
"Moving from Ghost")."""
