"""Reading and writing SmartStep's data through a sqlite-utils Database handed in by the caller.

No connection is opened here (that is db.py's job) and no web framework is imported, so the same
functions serve the web views, the CLI and the benchmarks.
"""
