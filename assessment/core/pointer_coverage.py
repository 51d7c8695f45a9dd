"""Which countries have named pointers a firm can act on, and which pointers need checking again."""
from dataclasses import dataclass
from datetime import date, timedelta

from assessment.core.catalogs import _parse_date

STALE_AFTER = timedelta(days=365)


@dataclass(frozen=True)
class CountryCoverage:
    code: str
    region: str | None
    financing: tuple   # named financing pointers for the country itself
    awareness: tuple   # named awareness pointers for the country itself
    regional: tuple    # named pointers of the country's region (the fallback before global ones)

    @property
    def status(self):
        if self.financing and self.awareness:
            return "named financing and awareness"
        if self.financing:
            return "named financing only"
        if self.awareness:
            return "named awareness only"
        return "regional fallback" if self.regional else "global fallback only"


def country_coverage(pointers, questionnaire):
    """One CountryCoverage per country option of the questionnaire (not "other"), in its order."""
    regions = questionnaire.regions()
    named = [p for p in pointers if not p.generic]
    rows = []
    for code, region in regions.items():
        if region == "global":
            continue
        mine = [p for p in named if p.scope == f"country:{code}"]
        rows.append(CountryCoverage(
            code=code, region=region,
            financing=tuple(p for p in mine if p.kind == "financing"),
            awareness=tuple(p for p in mine if p.kind == "awareness"),
            regional=tuple(p for p in named if p.scope == f"region:{region}")))
    return rows


def stale_pointers(pointers, today):
    """Named pointers whose source was last read more than 12 months before ``today`` (or never)."""
    cutoff = today - STALE_AFTER
    return [p for p in pointers if not p.generic
            and ((_parse_date(p.checked) or date.min) < cutoff)]


def coverage_lines(pointers, questionnaire, today):
    """The `smartstep pointers report` text, one line per country, then totals and stale entries."""
    rows = country_coverage(pointers, questionnaire)
    lines = [f"{'country':<8}{'region':<26}{'financing':>10}{'awareness':>10}  status"]
    for row in rows:
        lines.append(f"{row.code:<8}{row.region:<26}{len(row.financing):>10}{len(row.awareness):>10}  {row.status}")
    both = sum(1 for r in rows if r.financing and r.awareness)
    some = sum(1 for r in rows if r.financing or r.awareness)
    lines.append("")
    lines.append(f"{both} of {len(rows)} countries have named financing and named awareness pointers; "
                 f"{some} have at least one named pointer; {len(rows) - some} fall back to regional and global ones.")
    stale = stale_pointers(pointers, today)
    lines.append(f"Named pointers checked more than 12 months ago (or never): {len(stale)}")
    lines.extend(f"  {p.id}  checked {p.checked or 'never'}  {p.url or p.source}" for p in stale)
    return lines
