"""The command line, run as a user runs it: a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from studyapp import __version__
from tests.cli_run import run_cli as run


def test_version_and_help(data_dir: Path) -> None:
    assert run("--version", data_dir=data_dir).stdout.strip() == f"studyapp {__version__}"
    help_text = run("--help", data_dir=data_dir).stdout
    for word in ("check", "stats", "--data-dir", "--decks"):
        assert word in help_text


def test_check_passes_good_decks(mini_decks: Path, data_dir: Path) -> None:
    result = run("check", str(mini_decks), data_dir=data_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 decks loaded (3 cards" in result.stderr


def test_check_prints_one_line_per_problem_and_fails(mini_decks: Path, data_dir: Path) -> None:
    bad = mini_decks / "bad.toml"
    bad.write_text((mini_decks / "mini.toml").read_text().replace('id = "mini"', 'id = "bad"')
                   .replace('facet = "members"', 'facet = "people"'))
    result = run("check", str(mini_decks), data_dir=data_dir)
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"{bad}:18: wp-members: facet: 'people' is not a facet")


def test_stats_json_counts_the_bundled_and_extra_decks(mini_decks: Path, data_dir: Path) -> None:
    result = run("--decks", str(mini_decks), "stats", "--json", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    mini = next(d for d in report["decks"] if d["id"] == "mini")
    assert (mini["cards"], mini["new"], mini["due"], mini["learned"]) == (3, 3, 0, 0)
    assert report["reviews"] == 0 and report["recall_30d"] is None
    assert report["exam"] is None
    assert (data_dir / "studyapp.db").exists()


def test_stats_json_gives_the_exam_outlook_the_home_screen_shows(mini_decks: Path, data_dir: Path) -> None:
    from datetime import date, timedelta

    day = (date.today() + timedelta(days=30)).isoformat()
    assert run("--decks", str(mini_decks), "exam", "set", day, data_dir=data_dir).returncode == 0
    report = json.loads(run("--decks", str(mini_decks), "stats", "--json", data_dir=data_dir).stdout)
    exam = report["exam"]
    assert exam["date"] == day and 29 <= exam["days_left"] <= 31  # in study days, whatever the hour
    assert exam["predicted_recall"] == 0.0 and exam["cards"] >= 3  # nothing studied yet


def test_stats_text(mini_decks: Path, data_dir: Path) -> None:
    result = run("stats", "--decks", str(mini_decks), data_dir=data_dir)
    assert result.returncode == 0
    # Deck titles, as the home screen shows them, not ids.
    assert any(line.split()[:3] == ["Mini", "deck", "3"] for line in result.stdout.splitlines()), result.stdout


@pytest.mark.parametrize("command", [["--help"], ["check", "--help"]])
def test_help_loads_neither_textual_nor_sqlalchemy(command: list[str], data_dir: Path) -> None:
    code = ("import sys; from studyapp.cli import main\n"
            "try: main(sys.argv[1:])\nexcept SystemExit: pass\n"
            "print('LOADED', 'textual' in sys.modules, 'sqlalchemy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, *command], capture_output=True, text=True).stdout
    assert "LOADED False False" in out
