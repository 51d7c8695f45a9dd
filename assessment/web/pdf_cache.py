"""Recently built roadmap PDFs, so that the results page can state the size and the download that
follows does not build the same file again (a workshop of 300 downloads at once).

Kept as files in one folder, so that every server worker process finds what another built. A file
is written under a temporary name and renamed into place, so a reader never sees half a PDF; the
oldest files go when there are more than ``capacity``.
"""
import hashlib
import os
import tempfile


class PdfCache:
    def __init__(self, directory, capacity=512):
        self.directory = directory
        self.capacity = capacity

    def _path(self, key):
        return os.path.join(self.directory, hashlib.sha256(repr(key).encode()).hexdigest() + ".pdf")

    def size(self, key):
        """The cached PDF's size in bytes, or None; builds nothing."""
        try:
            return os.stat(self._path(key)).st_size
        except OSError:
            return None

    def get_or_build(self, key, build):
        """The cached bytes for ``key``, or ``build()``'s, kept for next time."""
        path = self._path(key)
        try:
            with open(path, "rb") as handle:
                return handle.read()
        except OSError:
            pass
        data = build()
        self._store(path, data)
        return data

    def _store(self, path, data):
        os.makedirs(self.directory, mode=0o700, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.directory, suffix=".part")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
        self._prune()

    def _prune(self):
        """Removes the oldest files over ``capacity``; another worker may be pruning at the same
        time, so a file that is gone already is simply skipped. Files are counted by name first:
        reading each one's time (a stat call per file) is only worth it when some must go."""
        paths = [entry.path for entry in os.scandir(self.directory) if entry.name.endswith(".pdf")]
        if len(paths) <= self.capacity:
            return
        for _mtime, path in sorted(self._ages(paths))[:len(paths) - self.capacity]:
            try:
                os.remove(path)
            except OSError:
                pass

    @staticmethod
    def _ages(paths):
        """(modification time, path) of each file still there."""
        ages = []
        for path in paths:
            try:
                ages.append((os.stat(path).st_mtime, path))
            except OSError:
                continue
        return ages
