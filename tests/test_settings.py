"""Settings are declared once, documented in the README, and read from TRACUU_* variables."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from service.settings import Settings

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_is_documented_in_the_readme(name):
    assert f"TRACUU_{name.upper()}" in README
    assert Settings.model_fields[name].description


def test_settings_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("TRACUU_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("TRACUU_PORT", "8123")
    s = Settings(_env_file=None)
    assert s.data_dir == tmp_path and s.port == 8123 and s.host == "127.0.0.1"
    assert s.options().data_dir == tmp_path


def test_unknown_or_malformed_settings_are_refused(monkeypatch):
    monkeypatch.setenv("TRACUU_PORT", "not-a-port")
    with pytest.raises(ValidationError):
        Settings(_env_file=None)


def test_several_workers_without_a_chroma_server_are_refused(monkeypatch, tmp_path):
    """Embedded Chroma allows one process per data dir: `serve --workers 2` says what to set."""
    from typer.testing import CliRunner

    from service.cli import app
    from service.settings import get_settings

    monkeypatch.delenv("TRACUU_CHROMA_URL", raising=False)
    monkeypatch.setenv("TRACUU_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["serve", "--workers", "2"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2 and "TRACUU_CHROMA_URL" in result.output
