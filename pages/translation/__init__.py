"""English and Spanish: which language a request is in, and each language's rows of the
translatable snippets (docs/translation.md). Pages and snippets stand on this; it stands on
Django and Wagtail alone."""
