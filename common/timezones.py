"""Australia's time zones: the ones a reader may choose to see times in, and
the one each state or territory keeps. Every zone follows its own daylight
saving (or none): a time is kept in UTC and shown in the reader's zone."""

from zoneinfo import ZoneInfo

# east to west; each names the places a reader would look for
ZONES = [
    ("Australia/Sydney", "Sydney and Canberra (NSW, ACT)"),
    ("Australia/Melbourne", "Melbourne (Victoria)"),
    ("Australia/Hobart", "Hobart (Tasmania)"),
    ("Australia/Brisbane", "Brisbane (Queensland)"),
    ("Australia/Adelaide", "Adelaide (South Australia)"),
    ("Australia/Darwin", "Darwin (Northern Territory)"),
    ("Australia/Perth", "Perth (Western Australia)"),
]
ZONE_LABELS = dict(ZONES)

STATE_ZONES = {
    "ACT": "Australia/Sydney",
    "NSW": "Australia/Sydney",
    "NT": "Australia/Darwin",
    "QLD": "Australia/Brisbane",
    "SA": "Australia/Adelaide",
    "TAS": "Australia/Hobart",
    "VIC": "Australia/Melbourne",
    "WA": "Australia/Perth",
}


def city(key):
    """ "Sydney" for "Australia/Sydney": how a time is named ("Sydney time")."""
    return key.rsplit("/", 1)[-1].replace("_", " ")


def zone(key):
    return ZoneInfo(key)


def local(naive, key):
    """`naive` (a wall-clock datetime) as it is in zone `key`, or None when
    the clocks change then and that time is missing or happens twice."""
    tz = ZoneInfo(key)
    first, second = naive.replace(tzinfo=tz, fold=0), naive.replace(tzinfo=tz, fold=1)
    if first.utcoffset() != second.utcoffset():
        return None  # happens twice (clocks go back) or never (clocks go forward)
    return first
