"""`manage.py nginx_config`, the front a deployer puts before gunicorn: what it writes from the
settings, and that it refuses arguments that would break out of the configuration it writes.
(test_front.py serves the site through the configuration it makes, with Debian's nginx.)"""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command


def nginx_config(*args):
    out = StringIO()
    call_command("nginx_config", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def production_paths(settings, tmp_path):
    settings.SITE_URL = "https://ioi.test"
    settings.STATIC_ROOT = tmp_path / "static"
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path


def test_the_site_address_names_the_server_and_disk_paths_come_from_the_settings(
    production_paths,
):
    config = nginx_config("--upstream", "127.0.0.1:9000", "--listen", "127.0.0.1:8080")
    assert "server_name ioi.test;" in config
    assert "server 127.0.0.1:9000;" in config
    assert "listen 127.0.0.1:8080;" in config
    assert f"alias {production_paths / 'static'}/;" in config
    assert f"alias {production_paths / 'media'}/;" in config
    # The scheme nginx saw, unless a load balancer in front says which one the visitor used.
    assert "X-Forwarded-Proto $scheme;" in config
    assert "$http_x_forwarded_proto" not in config


def test_behind_a_load_balancer_its_scheme_is_passed_on(production_paths):
    config = nginx_config("--behind-proxy")
    assert "map $http_x_forwarded_proto $ioi_forwarded_proto" in config
    assert "X-Forwarded-Proto $ioi_forwarded_proto;" in config


def test_upload_limits_follow_the_settings(production_paths, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 3 * 1024 * 1024
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 40 * 1024 * 1024
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
    config = nginx_config()
    # Public forms: the request limit; the admin: the largest upload and a megabyte for the form.
    assert "client_max_body_size 3m;" in config
    assert "client_max_body_size 41m;" in config


def test_gunicorns_timeout_is_outlasted_so_its_own_answer_reaches_the_visitor(
    production_paths, monkeypatch
):
    monkeypatch.setenv("GUNICORN_TIMEOUT", "50")
    assert "proxy_read_timeout 55s;" in nginx_config()


def test_the_server_name_defaults_to_any_host_without_a_site_address(production_paths, settings):
    settings.SITE_URL = ""
    assert "server_name _;" in nginx_config()


def test_output_goes_to_a_file_when_asked(production_paths):
    target = production_paths / "ioi.conf"
    said = nginx_config("--output", str(target))
    assert said.strip() == f"Wrote {target}."
    assert "server_name ioi.test;" in Path(target).read_text()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--upstream", "127.0.0.1:8000; include /etc/passwd"], "--upstream must be"),
        (["--upstream", "gunicorn"], "--upstream must be"),
        (["--listen", "80 default_server; root /"], "--listen must be"),
        (["--server-name", "ioi.test; return 200"], "--server-name must be"),
        (["--server-name", "ioi.test\n}"], "--server-name must be"),
    ],
)
def test_arguments_that_would_write_other_directives_are_refused(production_paths, args, message):
    with pytest.raises(CommandError, match=message):
        nginx_config(*args)


def test_without_a_static_root_it_says_to_use_production_settings(production_paths, settings):
    settings.STATIC_ROOT = None
    with pytest.raises(CommandError, match="production settings"):
        nginx_config()
