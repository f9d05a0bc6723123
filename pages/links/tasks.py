"""The link check, for the background worker."""

import logging

from django_tasks import task

from . import checker

logger = logging.getLogger(__name__)


@task()
def check_links_task():
    """Scheduled by `check_links --enqueue` (docs/links.md)."""
    try:
        summary = checker.run(checker.default_options())
    except checker.CheckRunning as running:
        logger.warning("%s", running)
        return str(running)
    logger.info("%s", summary)
    return str(summary)
