from django.core.management.base import BaseCommand, CommandError

from pages.links import checker
from pages.links.tasks import check_links_task


class Command(BaseCommand):
    help = (
        "Check every address the site links to (link library, rich text, link blocks, settings; "
        "pages against the page tree), never fetching an internal address. Prints a one-line "
        "summary; exits 1 when any link is broken or unreachable, 2 when another check is "
        "running (nothing is checked then). Staff see the results in Reports → Link health."
    )

    def add_arguments(self, parser):
        defaults = checker.default_options()
        parser.add_argument(
            "--concurrency",
            type=int,
            default=defaults.concurrency,
            help="Requests in flight at once (default: %(default)s).",
        )
        parser.add_argument(
            "--per-host",
            type=int,
            default=defaults.per_host,
            help="Requests in flight to one host at once (default: %(default)s).",
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=defaults.timeout,
            help="Seconds to wait for each answer (default: %(default)s).",
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Hand the check to the background worker instead of running it here.",
        )

    def handle(self, *args, concurrency, per_host, timeout, enqueue, **options):
        if concurrency < 1 or per_host < 1 or timeout <= 0:
            raise CommandError("--concurrency and --per-host must be 1 or more, --timeout above 0.")
        if enqueue:
            result = check_links_task.enqueue()
            self.stdout.write(f"Link check queued (task {result.id}).")
            return
        options = checker.CheckSettings(concurrency=concurrency, per_host=per_host, timeout=timeout)
        try:
            summary = checker.run(options, progress=checker.terminal_progress(self.stderr._out))
        except checker.CheckRunning as running:
            raise CommandError(str(running), returncode=2) from running
        self.stdout.write(str(summary))
        if summary.failed:
            raise SystemExit(1)
