"""Short codes people read aloud, type on a phone or write down: no look-alike characters."""
import re
import secrets

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"


def new_code(length):
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def normalise_code(text):
    """What a person typed -> the stored form: upper case, spaces and dashes dropped."""
    return re.sub(r"[\s\-]", "", (text or "").upper())
