"""Small middleware of the project's own."""

from django.utils.cache import patch_cache_control


class PrivateWhenSignedIn:
    """A signed-in reader may be shown Collective-only or unpublished stories
    on any page, so nothing answered to them may be kept by a shared cache or
    by the browser: `Cache-Control: private, no-store`. Visitors only ever see
    public content, which may be cached as usual."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
