"""Serving SmartStep in production: gunicorn on Linux and macOS, waitress elsewhere (Windows).

gunicorn runs several worker processes (one per core by default), each with a pool of threads
(the gthread worker: idle keep-alive connections wait in a selector, not in a thread), so a room
of phones uses every core. Each worker builds its own app after the fork. Everything the workers
share lives in SQLite or in files: the database, the rate-limit counters, the PDF cache.

waitress is one process with threads: it uses one core for pages and, for PDFs, a worker process.
"""
import os

from assessment.firm_report import pdf_process_files, ready_pdf_process
from assessment.web.pdf_worker import pdf_worker

SERVERS = ("auto", "gunicorn", "waitress")


def raise_open_file_limit():
    """Each phone holds a connection, and each connection a file handle: the usual soft limit of
    1,024 is too few for a hall, so raise it to the hard limit where the system allows."""
    try:
        import resource
    except ImportError:  # Windows
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard > soft:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        except (ValueError, OSError):
            pass


def prepared(app):
    """The app as a production server runs it: roadmap PDFs built in a PDF process of its own
    (web/pdf_worker.py), started now and made ready before the first PDF is asked for. Not
    gc.freeze() after start-up, tried for big exports: the caches filled later (parsed
    questionnaires, page shells) then went through full collections far more often, and a
    300-participant room's p95 doubled (bench/workshop_load.py)."""
    app.config["PDF_WORKER"] = True
    pdf_worker.start(ready_pdf_process, *pdf_process_files(app.config))
    return app


def default_workers():
    return os.cpu_count() or 1


def choose_server(name):
    """'gunicorn' where it can run (a POSIX system with gunicorn installed), else 'waitress'."""
    if name != "auto":
        return name
    if os.name != "posix":
        return "waitress"
    try:
        import gunicorn  # noqa: F401
    except ImportError:
        return "waitress"
    return "gunicorn"


def serve_with_gunicorn(make_app, host, port, workers, threads, connection_limit):
    from gunicorn.app.base import BaseApplication

    class SmartStepServer(BaseApplication):
        def load_config(self):
            settings = {
                "bind": f"{host}:{port}", "workers": workers, "threads": threads,
                "worker_class": "gthread", "worker_connections": connection_limit,
                # Phones keep their connection between pages (a page takes 5-60 s to answer).
                "keepalive": 75, "timeout": 120, "graceful_timeout": 30,
                "backlog": 2048, "accesslog": None, "errorlog": "-", "loglevel": "warning",
                "proc_name": "smartstep",
            }
            for key, value in settings.items():
                self.cfg.set(key, value)

        def load(self):
            return make_app()  # in each worker, after the fork: its own connections and threads

    raise_open_file_limit()
    SmartStepServer().run()


def serve_with_waitress(app, host, port, threads, connection_limit):
    from waitress import serve

    raise_open_file_limit()
    serve(app, host=host, port=port, threads=threads, ident="SmartStep",
          connection_limit=connection_limit, asyncore_use_poll=True)  # poll: no 1024-handle cap
