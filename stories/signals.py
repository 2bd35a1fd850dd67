"""What the stories app tells the apps above it, which it may not import."""

from django.dispatch import Signal

# Sent with `story` once its streams were written in bulk, which sends no
# post_save for each link: the search index rewrites the story's facet keys
# (discovery.search).
stream_links_written = Signal()
