from framework.selectors import all_streams

NAMESPACES = {
    "communities",
    "themes",
    "collections",
    "synthesis",
    "assessments",
    "spaces",
}


def streams(request):
    """The main navigation's streams and which of its places this page is."""
    return {
        "nav_streams": lambda: all_streams(request),
        "nav_section": lambda: section(request),
    }


def section(request):
    """Which of the main navigation's places this page is (aria-current): a
    stream's address, a namespace, "stories" for browse, or ""."""
    match = request.resolver_match
    if match is None:
        return ""
    if match.namespace == "stories":
        if match.url_name == "list":
            return "stories"
        return request.path if match.url_name == "stream" else ""
    return match.namespace if match.namespace in NAMESPACES else ""
