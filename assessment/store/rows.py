"""The lookups every store module makes, read with plain statements.

sqlite-utils' ``Database.query`` wraps every read in a SAVEPOINT and a RELEASE: three statements
where one does, and each statement lets go of Python's lock and waits to take it back, which a
server thread pays for on every page. Reads on the pages every respondent opens go through here.
"""


def one_row(db, sql, params, missing):
    """The first row of ``sql`` as a dict; raises ``missing`` (an exception instance) when there is none."""
    cursor = db.execute(sql, params)
    row = cursor.fetchone()
    if row is None:
        raise missing
    return dict(zip((column[0] for column in cursor.description), row))
