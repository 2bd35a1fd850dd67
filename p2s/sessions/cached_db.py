from django.conf import settings
from django.contrib.sessions.backends import cached_db

from p2s.sessions import ReadOnce


class SessionStore(ReadOnce, cached_db.SessionStore):
    def load(self):
        """Django's, with the library version (`p2s.cache`) asked for in the
        same round trip as the session when both live in the same cache: a
        signed-in reader's page then asks the cache once for the two."""
        from p2s.cache import VERSION_KEY, version_seen

        if settings.SESSION_CACHE_ALIAS != "default":  # p2s.cache's cache
            return super().load()
        try:
            found = self._cache.get_many([self.cache_key, VERSION_KEY])
        except Exception:  # as Django's: an unreadable key resets the session
            found = {}
        version_seen(found.get(VERSION_KEY))
        data = found.get(self.cache_key)
        # not in the cache: Django's own (the cache asked once more, then
        # the database, and the cache filled)
        return super().load() if data is None else data
