"""The matcher is pure domain code: importing it loads neither Flask nor the ORM."""

from __future__ import annotations

import subprocess
import sys


def test_the_matcher_imports_without_flask_or_sqlalchemy():
    code = ("import sys, matchmaker.matching; "
            "print(sorted(m for m in ('flask', 'sqlalchemy', 'flask_sqlalchemy') if m in sys.modules))")
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.strip() == "[]"
