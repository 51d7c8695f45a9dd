"""Building PDFs in a separate worker process when serving a room.

A roadmap PDF costs 30-50 ms of Python (bench/pdf.py). Built in a thread of the server process, it
would hold the GIL that the same process's page requests need; in a PDF process of its own (one per
server process: waitress's one, or each gunicorn worker's) the operating system shares the cores
between pages and PDFs instead. Nothing is shared between these processes but files: the database
and the PDF cache's folder. The process is sent an assessment's id and the files to read
(firm_report.roadmap_pdf_in_pdf_process), not the roadmap itself. Tests and the CLI build
in-process (PDF_WORKER off); `smartstep serve` turns it on.
"""
import contextlib
import multiprocessing
import os
import signal
import threading
from concurrent.futures import ProcessPoolExecutor

# How long a download waits for its PDF (queued behind others in a burst) before the phone is
# asked to try again (503 with Retry-After) rather than kept waiting past its patience.
BUILD_TIMEOUT_S = 20


class PdfQueueFull(Exception):
    """The PDF was not built within BUILD_TIMEOUT_S: too many at once."""


class PdfWorker:
    def __init__(self):
        self.pool = None
        self.lock = threading.Lock()

    def start(self, function, *args):
        """Starts the PDF process now and has it run ``function(*args)`` first (opening files,
        loading fonts), so that a room's first PDF does not wait for that; returns its future."""
        with _ctrl_c_left_to_the_server():
            return self._pool().submit(function, *args)

    def run(self, function, *args):
        """``function(*args)`` in the worker process; send it small arguments (ids, file names):
        everything is pickled on the way in, and the way back."""
        future = self._pool().submit(function, *args)
        try:
            return future.result(timeout=BUILD_TIMEOUT_S)
        except TimeoutError as exc:
            future.cancel()  # still queued: nobody waits for it any more
            raise PdfQueueFull() from exc

    def _pool(self):
        with self.lock:
            if self.pool is None:
                # spawn, not fork: forking a process with running server threads is unsafe.
                self.pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                                initializer=exit_with_parent)
            return self.pool


pdf_worker = PdfWorker()


@contextlib.contextmanager
def _ctrl_c_left_to_the_server():
    """A PDF process started in this block ignores Ctrl+C from its first instruction: the terminal
    sends it to every process of the server's group, and a PDF process interrupted while it imports
    or waits printed a KeyboardInterrupt traceback. It ends with its server instead. An ignored
    signal stays ignored in the new program, and Python then sets no handler of its own. Signal
    handlers can only be changed from the main thread, where the server starts its PDF process."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def exit_with_parent():
    """In the PDF process: ends it as soon as the server process that started it is gone, however
    that went. A server stopped by a signal (waitress on SIGTERM) skips the pool's own shutdown, and
    the PDF process, which holds its own end of the task pipe, would live on with the database open.
    Ctrl+C is left to the server here too, for a PDF process started again from a request's thread."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_after, args=(parent,), daemon=True, name="exit-with-parent").start()


def _exit_after(parent):
    parent.join()  # waits on the parent's sentinel: no polling
    os._exit(0)
