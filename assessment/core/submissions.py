"""A page's answers as one submission that may arrive late or twice (a phone that lost its
connection sends again): who made it, when each answer was chosen, and which answer is newer."""
import re
from dataclasses import dataclass, field

ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{8,64}")


def valid_id(value):
    """A submission or device id as the phone or page makes it, else None."""
    return value if isinstance(value, str) and ID_PATTERN.fullmatch(value) else None


@dataclass(frozen=True)
class AnswerTime:
    server_ms: int  # when it was chosen, on the server's clock (estimated)
    device_ms: int | None = None  # when it was chosen, on the phone's own clock


@dataclass(frozen=True)
class Submission:
    """``submission_id``: None for a sender that names none (a resend then saves again).
    ``device``: the phone's id, None without JavaScript. ``times``: question id -> AnswerTime for
    the answers the phone says were chosen; every other answer counts as chosen at ``default_ms``."""
    submission_id: str | None
    default_ms: int
    device: str | None = None
    times: dict = field(default_factory=dict)

    def time_of(self, question_id):
        return self.times.get(question_id, AnswerTime(self.default_ms))


def parse_times(text, sent_ms, received_ms):
    """"q1:1700000000000 q2:…" (each answer's choice time on the phone's clock) -> AnswerTime each.
    The phone's clock may be wrong by hours; only its differences count: an answer chosen
    ``sent_ms - chosen`` before sending was chosen that long before it arrived (an upper bound on
    its age, as the trip itself takes time)."""
    times = {}
    for part in (text or "").split():
        question_id, _colon, stamp = part.rpartition(":")
        if not question_id or not stamp.isdigit():
            continue
        chosen = int(stamp)
        age = max(0, sent_ms - chosen)
        times[question_id] = AnswerTime(received_ms - age, chosen)
    return times


def is_older(incoming, device, stored):
    """True when an incoming answer (AnswerTime from ``device``) was chosen before the stored one
    (a dict with answered_ms, device, device_ms). Two answers from one phone compare on its clock;
    from two phones, on the server's estimate."""
    if device and stored["device"] == device and stored["device_ms"] is not None \
            and incoming.device_ms is not None:
        return incoming.device_ms < stored["device_ms"]
    return incoming.server_ms < stored["answered_ms"]
