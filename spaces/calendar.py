"""Practice sessions as an iCalendar file (RFC 5545), for a reader's own
calendar: one session, or a space's every session. Times are written in UTC,
so each calendar shows them in its owner's zone; text is escaped and long
lines folded as the standard asks."""

from datetime import UTC

PRODUCT = "-//Pathway to Scale Interactive//Practice sessions//EN"


def escape(text):
    """TEXT as RFC 5545 writes it: backslash, semicolon, comma and newline
    escaped; carriage returns dropped."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def fold(line):
    """`line` in pieces of at most 75 octets, each after the first begun by
    a space, never splitting a character."""
    pieces, piece, size = [], "", 0
    for character in line:
        width = len(character.encode())
        if size + width > (75 if not pieces else 74):
            pieces.append(piece)
            piece, size = "", 0
        piece += character
        size += width
    pieces.append(piece)
    return "\r\n ".join(pieces)


def stamp(moment):
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def event(session, url, host):
    """The VEVENT lines of `session`, whose page is `url`: its title, time,
    video link and agenda (never its notes)."""
    described = [
        session.agenda.strip(),
        session.video_link and f"Video link: {session.video_link}",
        f"Session page: {url}",
    ]
    lines = [
        "BEGIN:VEVENT",
        f"UID:practice-session-{session.pk}@{host}",
        f"DTSTAMP:{stamp(session.updated_at)}",
        f"LAST-MODIFIED:{stamp(session.updated_at)}",
        f"DTSTART:{stamp(session.starts_at)}",
        f"DTEND:{stamp(session.ends_at)}",
        f"SUMMARY:{escape(f'{session.title} ({session.space})')}",
        "DESCRIPTION:" + escape("\n\n".join(part for part in described if part)),
        f"URL:{url}",
    ]
    if session.video_link:
        lines.append(f"LOCATION:{escape(session.video_link)}")
    return [*lines, "END:VEVENT"]


def calendar(events, name):
    """A whole VCALENDAR of `events` (lists of lines), named `name`; CRLF
    line ends, folded, as bytes of UTF-8."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
        *(line for lines in events for line in lines),
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + "\r\n" for line in lines).encode()
