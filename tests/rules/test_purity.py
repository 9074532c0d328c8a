"""The rulebook engine stays pure Python: it never imports Django (nor any platform app)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import hotline.rules

RULES = Path(hotline.rules.__file__).parent


def test_importing_the_whole_engine_loads_no_django() -> None:
    modules = sorted(p.stem for p in RULES.glob("*.py") if p.stem != "__init__")
    code = ("import sys\n" + "".join(f"import hotline.rules.{m}\n" for m in modules) +
            "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith(('django.', 'ninja')))\n"
            "print(','.join(bad))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"hotline.rules imported {result.stdout.strip()}"
    assert len(modules) >= 8


def test_no_engine_module_names_django_or_another_app() -> None:
    for path in RULES.rglob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            stripped = line.strip()
            if stripped.startswith(("import ", "from ")):
                assert "django" not in stripped and "ninja" not in stripped, f"{path.name}: {stripped}"
                if stripped.startswith("from hotline.") or stripped.startswith("import hotline."):
                    assert stripped.split()[1].startswith("hotline.rules"), f"{path.name}: {stripped}"
