"""The README documents every CLI command, and every command has help text."""
from pathlib import Path

from assessment.cli import smartstep

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_cli_command_has_help_and_is_in_the_readme():
    assert smartstep.commands
    for name, command in smartstep.commands.items():
        assert (command.help or "").strip(), f"{name} has no help text"
        assert f"smartstep {name}" in README, f"README does not mention `smartstep {name}`"


def test_readme_quick_start_has_the_two_commands():
    quick_start = README[README.index("## Quick start"):][:1500]
    assert "make run" in quick_start and "make test" in quick_start


def test_readme_states_the_scoring_formula():
    assert "mean of" in README and "in_overall" in README


def test_every_test_named_in_the_security_doc_exists():
    import ast
    import re
    root = Path(__file__).resolve().parent.parent
    named = re.findall(r"`(tests/test_\w+\.py)::(test_\w+)`", (root / "docs" / "security.md").read_text(encoding="utf-8"))
    assert len(named) > 30
    for path, name in named:
        tree = ast.parse((root / path).read_text(encoding="utf-8"))
        functions = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
        assert name in functions, f"docs/security.md names {path}::{name}, which does not exist"
