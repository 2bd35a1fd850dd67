"""What changed between two revisions of a story, for the review page.

Field by field. Texts are compared word by word, within the lines that
changed: spacing, trailing spaces, line endings and runs of blank lines are
not changes. Streams and tags are compared as sets (their order is not a
change; a tag's case is not either), the primary stream, the year and the
visibility as values."""

import difflib
import re
from dataclasses import dataclass, field

from stories.models import Visibility

TEXTS = {
    "title": "Title",
    "summary": "Summary",
    "storytellers": "Credited storytellers",
    "body": "The story",
    "what_worked": "What worked",
    "what_didnt": "What didn't work",
    "conditions": "Conditions that made it possible",
}
CONTEXT_LINES = 2  # unchanged lines shown on each side of a change
BREAK = "\n"
PILCROW = "¶"  # a line break that changed
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
# the words of a changed passage compared one by one, at most: past that
# (a whole long paragraph rewritten) it is shown removed, then added
WORDS_COMPARED = 1000
WORDS_AROUND = 12  # unchanged words shown on each side of a change in a line


@dataclass
class Change:
    """One field's change: `segments` for a text, (kind, text) with kind
    "same", "ins", "del" or "gap" (unchanged lines left out); `added` and
    `removed` for a set; `before` and `after` for a value."""

    label: str
    segments: list = field(default_factory=list)
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    before: str = ""
    after: str = ""


def revision_diff(old, new, stream_names=None):
    """The changes from revision data `old` to `new` (a revision's `data`),
    in the order of the story form; `stream_names` maps a stream's slug to
    its name."""
    names = stream_names or {}
    changes = [_text(old, new, key) for key in ["title", "summary"]]
    changes += [_streams(old, new, names), _primary(old, new, names)]
    changes += [_tags(old, new), _value(old, new, "year", "Year of the work")]
    changes.append(_value(old, new, "visibility", "Visibility", _visibility))
    changes += [_text(old, new, key) for key in list(TEXTS)[2:]]
    return [change for change in changes if change is not None]


def _text(old, new, key):
    before, after = _lines(old.get(key)), _lines(new.get(key))
    if before == after:
        return None
    return Change(TEXTS[key], segments=text_segments(before, after))


def _streams(old, new, names):
    before, after = set(old.get("streams") or []), set(new.get("streams") or [])
    if before == after:
        return None
    return Change(
        "Streams",
        added=[names.get(slug, slug) for slug in sorted(after - before)],
        removed=[names.get(slug, slug) for slug in sorted(before - after)],
    )


def _primary(old, new, names):
    before, after = old.get("primary_stream"), new.get("primary_stream")
    if before == after:
        return None
    return Change(
        "Primary stream",
        before=names.get(before, before or "none"),
        after=names.get(after, after or "none"),
    )


def _tags(old, new):
    before = {tag.casefold(): tag for tag in old.get("tags") or []}
    after = {tag.casefold(): tag for tag in new.get("tags") or []}
    if set(before) == set(after):
        return None
    return Change(
        "Tags",
        added=sorted(
            (after[key] for key in set(after) - set(before)), key=str.casefold
        ),
        removed=sorted(
            (before[key] for key in set(before) - set(after)), key=str.casefold
        ),
    )


def _visibility(value):
    return Visibility(value).label if value in Visibility.values else value or "none"


def _value(old, new, key, label, shown=None):
    before, after = old.get(key), new.get(key)
    if before == after:
        return None
    shown = shown or (lambda value: "none" if value in (None, "") else str(value))
    return Change(label, before=shown(before), after=shown(after))


def _lines(text):
    """The text's lines with their spacing made plain: words joined by one
    space, at most one blank line in a row, none at either end."""
    lines = []
    for line in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        words = " ".join(line.split())
        if words or (lines and lines[-1]):
            lines.append(words)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _tokens(lines):
    """Words, with a BREAK between two lines."""
    tokens = []
    for number, line in enumerate(lines):
        if number:
            tokens.append(BREAK)
        tokens.extend(line.split())
    return tokens


def text_segments(before, after):
    """(kind, text) pieces showing how the lines `before` became `after`:
    changed lines compared word by word, unchanged ones kept only near a
    change."""
    pieces = []  # (kind, tokens)
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    opcodes = matcher.get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            pieces += _context(before[i1:i2], index, len(opcodes))
            continue
        old, new = _tokens(before[i1:i2]), _tokens(after[j1:j2])
        if tag == "replace":
            pieces += _changed(before[i1:i2], after[j1:j2])
        else:
            # a blank line added or taken away shows as a changed break
            pieces.append(
                ("del", old or [PILCROW])
                if tag == "delete"
                else ("ins", new or [PILCROW])
            )
        if index + 1 < len(opcodes):
            pieces.append(("same", [BREAK]))
    return _joined(pieces)


def _context(lines, index, total):
    """Unchanged lines: all of them if few, else those next to a change."""
    keep_before = CONTEXT_LINES if index > 0 else 0
    keep_after = CONTEXT_LINES if index + 1 < total else 0
    if len(lines) <= keep_before + keep_after + 1:
        tokens = _tokens(lines)
        return [("same", tokens + ([BREAK] if keep_after else []))]
    pieces = []
    if keep_before:
        pieces.append(("same", _tokens(lines[:keep_before]) + [BREAK]))
    pieces.append(("gap", [BREAK]))
    if keep_after:
        pieces.append(("same", _tokens(lines[-keep_after:]) + [BREAK]))
    return pieces


def _sentences(lines):
    """The lines' sentences, with a BREAK between two lines."""
    units = []
    for number, line in enumerate(lines):
        if number:
            units.append(BREAK)
        units += SENTENCE_END.split(line) if line else []
    return units


def _words(units):
    tokens = []
    for unit in units:
        tokens += [BREAK] if unit == BREAK else unit.split()
    return tokens


def _changed(old_lines, new_lines):
    """Lines that changed: their sentences compared, then the words of the
    sentences that changed (one by one where as many changed on each side)."""
    old, new = _sentences(old_lines), _sentences(new_lines)
    pieces = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(("same", _words(old[i1:i2])))
        elif tag == "delete":
            pieces.append(("del", _words(old[i1:i2])))
        elif tag == "insert":
            pieces.append(("ins", _words(new[j1:j2])))
        elif i2 - i1 == j2 - j1:
            for one, other in zip(old[i1:i2], new[j1:j2], strict=True):
                pieces += _word_pieces(_words([one]), _words([other]))
        else:
            pieces += _word_pieces(_words(old[i1:i2]), _words(new[j1:j2]))
    return _trimmed(pieces)


def _trimmed(pieces):
    """Long unchanged runs inside changed lines kept only near the changes."""
    shown = []
    for index, (kind, tokens) in enumerate(pieces):
        keep_before = WORDS_AROUND if index > 0 else 0
        keep_after = WORDS_AROUND if index + 1 < len(pieces) else 0
        if kind != "same" or len(tokens) <= keep_before + keep_after + 5:
            shown.append((kind, tokens))
            continue
        if keep_before:
            shown.append(("same", tokens[:keep_before]))
        shown.append(("gap", []))
        if keep_after:
            shown.append(("same", tokens[-keep_after:]))
    return shown


def _word_pieces(old, new):
    if len(old) + len(new) > WORDS_COMPARED:  # shown whole: removed, then added
        return [("del", old), ("ins", new)]
    pieces = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(("same", old[i1:i2]))
            continue
        if i2 > i1:
            pieces.append(("del", old[i1:i2]))
        if j2 > j1:
            pieces.append(("ins", new[j1:j2]))
    return pieces


def _joined(pieces):
    """Each piece's tokens as text: words spaced, a changed line break shown
    as ¶; neighbours of one kind merged."""
    segments, after_word = [], False
    for kind, tokens in pieces:
        text = ""
        # a changed piece of line breaks alone is marked, or it would not show
        only_breaks = kind in {"ins", "del"} and set(tokens) == {BREAK}
        for token in tokens:
            if token == BREAK:
                text += f"{PILCROW}\n" if only_breaks else "\n"
                after_word = False
            else:
                text += (" " if after_word else "") + token
                after_word = True
        if kind == "gap":
            # between lines left out (a BREAK), or words within a line
            text = "…\n" if tokens else (" … " if after_word else "… ")
            after_word = False
        if kind in {"ins", "del"} and text.startswith(" "):
            _add(segments, "same", " ")  # the space before a change isn't one
            text = text[1:]
        _add(segments, kind, text)
    return segments


def _add(segments, kind, text):
    if segments and segments[-1][0] == kind and kind != "gap":
        segments[-1] = (kind, segments[-1][1] + text)
    elif text:
        segments.append((kind, text))
