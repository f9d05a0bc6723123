"""The licences the site's publications and data may carry. IOI's own content is CC BY 4.0."""

from typing import NamedTuple


class Licence(NamedTuple):
    label: str
    url: str


LICENCES = {
    "cc-by-4.0": Licence("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    "cc-by-sa-4.0": Licence("CC BY-SA 4.0", "https://creativecommons.org/licenses/by-sa/4.0/"),
    "cc-by-nc-4.0": Licence("CC BY-NC 4.0", "https://creativecommons.org/licenses/by-nc/4.0/"),
    "cc0-1.0": Licence(
        "CC0 1.0 (public domain)", "https://creativecommons.org/publicdomain/zero/1.0/"
    ),
    "all-rights-reserved": Licence("All rights reserved", ""),
}
LICENCE_CHOICES = [(code, licence.label) for code, licence in LICENCES.items()]
