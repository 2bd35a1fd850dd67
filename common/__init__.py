"""Helpers every app may use, below all of them (docs/architecture.md): the
cache and the library version (cache.py), the one Markdown renderer
(markdown.py), rate limits and the client's address (ratelimit.py,
client_ip.py), hand-ordered rows (ordering.py) and plain form labels
(forms.py). Nothing here imports an app."""
