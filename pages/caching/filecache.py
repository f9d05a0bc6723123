"""The shared cache of a machine without Redis: Django's file-system cache, which every process
on the machine reads and writes (one file per key, written to a temporary file and renamed into
place, so a reader sees the old value or the new, never half of one).

One change to Django's: when the folder holds MAX_ENTRIES files, Django deletes a random third
of them on the next write, and that third may hold the page cache's generation key. Losing it
is safe (the next request starts a new generation) but empties the whole page cache at once,
in every process, for a reason no editor gave. So the cull here spares that one file.
docs/caching.md says why this store and not the database cache."""

import random

from django.core.cache.backends.filebased import FileBasedCache

from .middleware import GENERATION_KEY


class SharedFileCache(FileBasedCache):
    def _cull(self):
        files = self._list_cache_files()
        if len(files) < self._max_entries:
            return
        if self._cull_frequency == 0:
            victims = files
        else:
            victims = random.sample(files, int(len(files) / self._cull_frequency))
        keep = self._key_to_file(GENERATION_KEY)
        for name in victims:
            if name != keep:
                self._delete(name)
