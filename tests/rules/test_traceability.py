"""docs/rulebooks.md is current, and every article a profile cites is proven by a test."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_traceability_table_is_current_and_complete() -> None:
    result = subprocess.run([sys.executable, "scripts/traceability.py", "--check"], cwd=ROOT, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr
