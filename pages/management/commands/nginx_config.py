"""Print the nginx configuration that fronts gunicorn (templates/deploy/nginx.conf), with this
deployment's settings filled in: where static files and uploads are on disk, the upload limits,
the site's host name and gunicorn's address."""

import os
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string

MEGABYTE = 1024 * 1024
ADDRESS = re.compile(r"^(unix:/[^\s;{}]+|[A-Za-z0-9.\-\[\]:]+:\d{1,5})$")
LISTEN = re.compile(r"^([A-Za-z0-9.\-\[\]:]+:)?\d{1,5}$")
NAME = re.compile(r"^[A-Za-z0-9.\-*_]+$")


def megabytes(size):
    return f"{-(-size // MEGABYTE)}m"


class Command(BaseCommand):
    help = (
        "Print the nginx configuration to put in front of gunicorn: static files and uploaded "
        "images from disk, requests buffered against slow clients, oversized uploads refused."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--upstream",
            default="127.0.0.1:8000",
            help="gunicorn's address: host:port or unix:/path/to/socket (default 127.0.0.1:8000).",
        )
        parser.add_argument(
            "--listen", default="80", help="What nginx listens on: a port or host:port (80)."
        )
        parser.add_argument(
            "--server-name",
            help="The host name nginx answers for; default: DJANGO_SITE_URL's host.",
        )
        parser.add_argument(
            "--behind-proxy",
            action="store_true",
            help="A load balancer in front terminates TLS: pass on its X-Forwarded-Proto.",
        )
        parser.add_argument(
            "--output", help="Write the configuration to this file instead of printing it."
        )

    def handle(self, *args, upstream, listen, server_name, behind_proxy, output, **options):
        if not ADDRESS.match(upstream):
            raise CommandError(f"--upstream must be host:port or unix:/path (got {upstream!r}).")
        if not LISTEN.match(listen):
            raise CommandError(f"--listen must be a port or host:port (got {listen!r}).")
        if server_name is None:
            server_name = urlsplit(settings.SITE_URL).hostname or "_"
        if not NAME.match(server_name):
            raise CommandError(f"--server-name must be a host name (got {server_name!r}).")
        if not settings.STATIC_ROOT:
            raise CommandError("STATIC_ROOT is not set: run this with production settings.")
        upload = max(settings.WAGTAILDOCS_MAX_UPLOAD_SIZE, settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE)
        config = render_to_string(
            "deploy/nginx.conf",
            {
                "site_url": settings.SITE_URL,
                "upstream": upstream,
                "listen": listen,
                "server_name": server_name,
                "behind_proxy": behind_proxy,
                "static_url": settings.STATIC_URL,
                "static_root": str(settings.STATIC_ROOT).rstrip("/"),
                "media_url": settings.MEDIA_URL,
                "media_root": str(settings.MEDIA_ROOT).rstrip("/"),
                "public_body_limit": megabytes(settings.DATA_UPLOAD_MAX_MEMORY_SIZE),
                "upload_body_limit": megabytes(upload + MEGABYTE),
                # A little longer than gunicorn's own worker timeout, so gunicorn's answer wins.
                "read_timeout": int(os.environ.get("GUNICORN_TIMEOUT", "30")) + 5,
            },
        )
        if output:
            with open(output, "w", encoding="utf-8") as f:
                f.write(config)
            self.stdout.write(f"Wrote {output}.")
        else:
            self.stdout.write(config, ending="")
