"""bench/page_throughput.py in small: one-second wrk runs against the real server, no budget checked
(the ratio is a benchmark figure, not a test: DESIGN.md, "Budgets")."""
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import page_throughput  # noqa: E402  (bench/ is a folder of scripts, not a package)

LAST_LINE = re.compile(r"bare_rps=(\d+) question_rps=(\d+) question_ratio=([\d.]+) "
                       r"results_ratio=([\d.]+) landing_ratio=([\d.]+)")


def test_the_bench_serves_every_page_and_prints_its_figures(capsys):
    page_throughput.main(["--duration", "1", "--rounds", "1", "--connections", "4", "--threads", "4"])
    output = capsys.readouterr().out
    lines = [line for line in output.splitlines() if not line.startswith("OVER BUDGET")]
    found = LAST_LINE.fullmatch(lines[-1])
    assert found, output
    assert int(found.group(1)) > 0 and int(found.group(2)) > 0, output
    rows = {line.split()[0]: line.split()[1:] for line in lines if line.split()[0] in
            ("bare", "question", "results", "landing")}
    assert set(rows) == {"bare", "question", "results", "landing"}, output
    for name, (rps, _ratio, _median, non_2xx, cpu_ms) in rows.items():
        assert float(rps) > 0 and non_2xx == "0", (name, output)  # every page answered 200
        assert float(cpu_ms) > 0, (name, output)  # the server's CPU per request, read from /proc
