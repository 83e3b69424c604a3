"""Run the real `studyapp` command in a subprocess, with its data folder given as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_cli(*args: str, data_dir: Path, **kwargs) -> subprocess.CompletedProcess:  # noqa: ANN003
    env = {**os.environ, "STUDYAPP_DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "studyapp", *args], capture_output=True, text=True, env=env,
                          timeout=60, **kwargs)
