"""Publishing is for moderators, enforced on the server.

Wagtail's editor hides the Publish button from people who may not publish, but a form posted
with `action-publish` by such a person is quietly saved as a draft instead. A forged publish
should be refused outright and change nothing, so these hooks answer it with 403 first."""

from django.core.exceptions import PermissionDenied


def _asks_to_publish(request):
    return request.method == "POST" and "action-publish" in request.POST


def refuse_publish_on_edit(request, page):
    if _asks_to_publish(request) and not page.permissions_for_user(request.user).can_publish():
        raise PermissionDenied("Only moderators can publish. Submit the page for moderation.")


def refuse_publish_on_create(request, parent_page, page_class):
    if (
        _asks_to_publish(request)
        and not parent_page.permissions_for_user(request.user).can_publish_subpage()
    ):
        raise PermissionDenied("Only moderators can publish. Submit the page for moderation.")
