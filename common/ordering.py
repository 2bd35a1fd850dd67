"""Hand-ordered rows with a `position` (a story's lessons, a collection's
stories): moving one up or down, and closing gaps."""

DIRECTIONS = ("up", "down")


def renumber(rows):
    """Positions 0..n-1 in the given order, written in one query; also closes
    any gap left before. `rows` are instances of one model."""
    changed = []
    for position, row in enumerate(rows):
        if row.position != position:
            row.position = position
            changed.append(row)
    if changed:
        type(changed[0]).objects.bulk_update(changed, ["position"])


def move(rows, row, direction):
    """Swap `row` with its neighbour above ("up") or below ("down") among
    `rows` (in their order) and renumber. Returns False when it is already at
    that end and nothing moved."""
    if direction not in DIRECTIONS:
        raise ValueError(f"Unknown direction {direction!r}")
    rows = list(rows)
    index = next(i for i, each in enumerate(rows) if each.pk == row.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(rows):
        return False
    rows[index], rows[other] = rows[other], rows[index]
    renumber(rows)
    return True
