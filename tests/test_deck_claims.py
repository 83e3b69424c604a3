"""Claims and comparisons (deck format 2) say only what their cited lines support.

The course's fact checker (../shared/tools/check-decks) reads cards and [[essay]] points only, so this
copies the decks, turns every [[claim]] and [[comparison]] into an essay point with the same text and
source, and runs the checker on the copy: a number or name not in the cited lines is an error there.
Skipped where the course folder is not beside the checkout.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHECKER = ROOT.parent / "shared" / "tools" / "check-decks"


@pytest.mark.skipif(not CHECKER.exists(), reason="the course's fact checker is not beside this checkout")
def test_every_claim_and_comparison_is_supported_by_its_cited_lines(tmp_path: Path) -> None:
    decks = tmp_path / "decks"
    shutil.copytree(ROOT / "decks", decks)
    checked = 0
    for path in sorted(decks.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        blocks = [(kind, block) for kind in ("claim", "comparison") for block in data.get(kind, [])]
        if not blocks:
            continue
        extra = [f'\n[[essay]]\nid = "{kind}-{block["id"]}"\nprompt = "check"\nminutes = 10\npoints = [\n'
                 f'  {{ text = {json.dumps(block["text"])}, source = {json.dumps(block["source"])} }},\n]\n'
                 for kind, block in blocks]
        path.write_text(path.read_text(encoding="utf-8") + "".join(extra), encoding="utf-8")
        checked += len(blocks)
    result = subprocess.run([sys.executable, str(CHECKER), str(decks)], capture_output=True, text=True, timeout=300)
    ours = [line for line in (result.stdout + result.stderr).splitlines()
            if line.startswith("ERROR") and ("essay claim-" in line or "essay comparison-" in line)]
    assert checked >= 150
    assert ours == []
    assert " 0 errors" in result.stdout + result.stderr, result.stdout[-2000:]
