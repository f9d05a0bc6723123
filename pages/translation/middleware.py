from django.conf import settings
from django.utils import translation
from django.utils.translation import get_language_from_path


class LanguageFromPathMiddleware:
    """The language of a request comes from its address alone: /es/... is Spanish, every other
    address is in the default language, English.

    Django's LocaleMiddleware would also read the Accept-Language header and a cookie for
    addresses outside i18n_patterns, and add `Vary: Accept-Language` to every English page, so
    a CDN would keep one copy per browser language of pages that do not change with it. Here
    one address is one page in one language, which is what the page cache and a CDN key on.
    Wagtail's admin picks each user's own language itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
