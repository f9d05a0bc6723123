from django.utils.functional import SimpleLazyObject

from pages.models.site_settings import OrganisationWording


def organisation_wording(request):
    """`wording` in every template: the tagline and footer in the page's language, looked up
    only when a template reads it (an admin page or a feed does not)."""
    return {"wording": SimpleLazyObject(lambda: OrganisationWording.for_request(request))}
