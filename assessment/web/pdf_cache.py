"""Recently built roadmap PDFs, so that the results page can state the size and the download that
follows does not build the same file again (a workshop of 300 downloads at once)."""
import threading
from collections import OrderedDict


class PdfCache:
    def __init__(self, capacity=512):
        self.capacity = capacity
        self.entries = OrderedDict()
        self.lock = threading.Lock()

    def peek(self, key):
        """The cached bytes for ``key``, or None; builds nothing."""
        with self.lock:
            return self.entries.get(key)

    def get_or_build(self, key, build):
        """The cached bytes for ``key``, or ``build()``'s, kept for next time."""
        with self.lock:
            if key in self.entries:
                self.entries.move_to_end(key)
                return self.entries[key]
        data = build()
        with self.lock:
            self.entries[key] = data
            while len(self.entries) > self.capacity:
                self.entries.popitem(last=False)
        return data
