"""The one lookup every store module makes: exactly the row asked for, or a named exception."""


def one_row(db, sql, params, missing):
    """The first row of ``sql``; raises ``missing`` (an exception instance) when there is none."""
    for row in db.query(sql, params):
        return row
    raise missing
