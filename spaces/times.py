"""A session's time as a reader reads it: the day, the start and end on the
clock of the reader's zone, with its abbreviation (AEDT, AWST: daylight
saving included), and the same in every other Australian zone."""

from dataclasses import dataclass

from common.timezones import ZONES, city, zone


def clock(moment):
    """10:00 am, 2:30 pm: as Australians write a time."""
    return f"{moment.hour % 12 or 12}:{moment:%M} {'am' if moment.hour < 12 else 'pm'}"


@dataclass(frozen=True)
class When:
    day: str  # Tuesday 2 February 2027
    starts: str  # 10:00 am
    ends: str  # 11:00 am
    abbreviation: str  # AEDT
    city: str  # Sydney
    iso: str  # the start with its offset, for <time datetime>
    label: str = ""  # the zone's places, "Perth (Western Australia)"

    def __str__(self):
        return f"{self.day}, {self.starts} to {self.ends} {self.abbreviation}"


def when(session, key, label=""):
    starts = session.starts_at.astimezone(zone(key))
    ends = session.ends_at.astimezone(zone(key))
    return When(
        day=f"{starts:%A} {starts.day} {starts:%B %Y}",
        starts=clock(starts),
        ends=clock(ends),
        abbreviation=starts.tzname(),
        city=city(key),
        iso=starts.isoformat(timespec="minutes"),
        label=label,
    )


def everywhere(session):
    """`when` in each Australian zone, east to west."""
    return [when(session, key, label) for key, label in ZONES]
