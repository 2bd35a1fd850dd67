"""CSV files that a spreadsheet opens safely."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A spreadsheet runs a cell that starts like a formula: make it text."""
    if value is None:
        return ""
    value = str(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


class Echo:
    """csv.writer writes to this and gets the line back to stream it."""

    def write(self, value):
        return value
