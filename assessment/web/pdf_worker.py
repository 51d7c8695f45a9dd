"""Building PDFs in a separate worker process when serving a room.

A roadmap PDF costs about 100 ms of Python. Built in a thread of the server process, it would hold
the GIL that the same process's page requests need; in a PDF process of its own (one per server
process: waitress's one, or each gunicorn worker's) the operating system shares the cores between
pages and PDFs instead. Nothing is shared between these processes but the PDF cache's folder.
Tests and the CLI build in-process (PDF_WORKER off); `smartstep serve` turns it on.
"""
import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor

BUILD_TIMEOUT_S = 120


class PdfWorker:
    def __init__(self):
        self.pool = None
        self.lock = threading.Lock()

    def run(self, enabled, function, *args):
        """``function(*args)`` in the worker process when ``enabled``, else here."""
        if not enabled:
            return function(*args)
        return self._pool().submit(function, *args).result(timeout=BUILD_TIMEOUT_S)

    def _pool(self):
        with self.lock:
            if self.pool is None:
                # spawn, not fork: forking a process with running server threads is unsafe.
                self.pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
            return self.pool


pdf_worker = PdfWorker()
