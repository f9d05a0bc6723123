from django.core.validators import URLValidator

# Only addresses a reader's browser should follow: no javascript:, data:, ftp:, mailto: ...
web_url_validator = URLValidator(schemes=["http", "https"])
