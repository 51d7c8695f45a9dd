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
