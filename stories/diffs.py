"""What changed between two revisions of a story, for the review page."""

import difflib


def diff_lines(old, new):
    """Line-by-line differences of two revisions, for the template to mark up."""
    old, new = revision_text(old).splitlines(), revision_text(new).splitlines()
    lines = difflib.unified_diff(old, new, lineterm="", n=2)
    result = []
    for line in list(lines)[2:]:
        kind = {"+": "ins", "-": "del", "@": "hunk"}.get(line[:1], "same")
        result.append((kind, line[1:] if kind != "hunk" else "…"))
    return result


def revision_text(data):
    streams = ", ".join(data.get("streams") or [])
    parts = [
        f"Title: {data.get('title', '')}",
        f"Summary: {data.get('summary', '')}",
        f"Streams: {streams} (primary: {data.get('primary_stream')})",
        f"Tags: {', '.join(data.get('tags') or [])}",
        f"Year: {data.get('year') or ''}",
        f"Visibility: {data.get('visibility')}",
        f"Storytellers: {data.get('storytellers') or ''}",
        "",
        "Story:",
        *(data.get("body") or "").splitlines(),
    ]
    for field, label in REFLECTIONS:
        parts += ["", f"{label}:", *(data.get(field) or "").splitlines()]
    return "\n".join(parts)


REFLECTIONS = [
    ("what_worked", "What worked"),
    ("what_didnt", "What didn't"),
    ("conditions", "Conditions"),
]
