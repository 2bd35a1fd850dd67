"""The project's database backends (ENGINE), each Django's own with one
change: see `IdleHealthCheck`."""

import time


class IdleHealthCheck:
    """Django's health check (CONN_HEALTH_CHECKS) asks a persistent
    connection "are you there?" (a round trip) before the first query of
    every request. What it guards against is a connection that died while it
    sat unused: the database restarted or failed over, or a firewall dropped
    it. One busy in the last second has just answered, so the check is only
    asked of a connection idle for longer than HEALTH_CHECK_AFTER_IDLE
    seconds. A connection that fails anyway (the server went away within
    that second) fails that one request, and Django closes it at the
    request's end, as it would without health checks."""

    HEALTH_CHECK_AFTER_IDLE = 1.0  # seconds

    last_used = None  # time.monotonic() of this connection's latest cursor

    def connect(self):
        super().connect()
        self.last_used = time.monotonic()

    def close_if_health_check_failed(self):
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and self.last_used is not None
            and time.monotonic() - self.last_used < self.HEALTH_CHECK_AFTER_IDLE
        ):
            self.health_check_done = True  # it has just answered
        super().close_if_health_check_failed()

    def _cursor(self, name=None):
        cursor = super()._cursor(name)
        self.last_used = time.monotonic()
        return cursor
