"""The address a request came from, as far as we can trust it."""

from django.conf import settings


def client_ip(request):
    """REMOTE_ADDR, or with TRUSTED_PROXY_COUNT = n > 0 (our own proxies in
    front of the app), the address the outermost of those proxies saw: the
    n-th entry from the right of X-Forwarded-For. Entries further left were
    written by the client and may be forged, so they are never used."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < count:
        return remote
    return forwarded[-count]
