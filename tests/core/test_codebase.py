"""The repository stays clean: lint, formatting, migrations, and docs in step with code."""

import os
import re
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

BASE_DIR = Path(__file__).resolve().parents[2]
RUFF = Path(sys.executable).with_name("ruff")
if not RUFF.exists():
    RUFF = Path(shutil.which("ruff") or "ruff")


def ruff(*args):
    return subprocess.run(
        [str(RUFF), *args, str(BASE_DIR)], cwd=BASE_DIR, capture_output=True, text=True
    )


def test_ruff_check_is_clean():
    result = ruff("check", "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean():
    result = ruff("format", "--check", "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_migrations_match_the_models():
    out = StringIO()
    try:
        call_command("makemigrations", check=True, dry_run=True, stdout=out, stderr=out)
    except SystemExit:
        pytest.fail("Thiếu migration:\n" + out.getvalue())


def requirement_names():
    names = set()
    for file in ("requirements.txt", "requirements-dev.txt"):
        for line in (BASE_DIR / file).read_text().splitlines():
            line = line.split("#", 1)[0].strip()
            if line and not line.startswith("-"):
                names.add(re.split(r"[<>=!~\[; ]", line, maxsplit=1)[0].lower())
    return names


def test_readme_explains_every_dependency():
    readme = (BASE_DIR / "README.md").read_text(encoding="utf-8").lower()
    rows = set(re.findall(r"^\| `([a-z0-9_.\-]+)`", readme, flags=re.MULTILINE))

    assert requirement_names() <= rows, "README thiếu: " + ", ".join(
        sorted(requirement_names() - rows)
    )


def settings_variables():
    source = (BASE_DIR / "cchc_inspection" / "settings.py").read_text()
    return set(re.findall(r'env(?:_bool|_int|_list)?\("([A-Z_]+)"', source)) | set(
        re.findall(r'os\.environ\.get\("([A-Z_]+)"', source)
    )


def test_every_setting_variable_is_documented():
    example = (BASE_DIR / ".env.example").read_text(encoding="utf-8")
    documented = set(re.findall(r"^([A-Z_]+)=", example, flags=re.MULTILINE))
    readme = (BASE_DIR / "README.md").read_text(encoding="utf-8")

    assert len(settings_variables()) > 15
    assert settings_variables() <= documented, settings_variables() - documented
    missing = {name for name in documented if f"`{name}`" not in readme}
    assert not missing, f"README thiếu biến: {sorted(missing)}"


@pytest.mark.parametrize(
    "script", ["scripts/setup.sh", "scripts/run.sh", "scripts/test.sh", ".ci/run"]
)
def test_scripts_are_executable_bash(script):
    path = BASE_DIR / script
    assert os.access(path, os.X_OK), f"{script} chưa có quyền thực thi"
    result = subprocess.run(["bash", "-n", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
