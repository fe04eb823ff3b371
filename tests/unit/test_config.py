"""Typed settings from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from congvu.config import DEV_SECRET, AppSettings, SettingsError


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    for name, _ in AppSettings.describe():
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CONGVU_DATA_DIR", str(tmp_path))
    return monkeypatch


def test_sqlite_in_the_data_folder_is_the_default_database(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    s = AppSettings.from_environ()
    assert s.database_url == f"sqlite:///{tmp_path / 'congvu.sqlite3'}"
    assert s.env == "development"
    assert s.debug is True


def test_database_url_comes_from_the_environment(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("DATABASE_URL", "postgres://u@h:5432/db")
    assert AppSettings.from_environ().database_url == "postgres://u@h:5432/db"


def test_production_refuses_the_default_secret(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("CONGVU_ENV", "production")
    with pytest.raises(SettingsError, match="CONGVU_SECRET_KEY"):
        AppSettings.from_environ()


def test_production_refuses_debug(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("CONGVU_ENV", "production")
    clean_env.setenv("CONGVU_SECRET_KEY", "x" * 50)
    clean_env.setenv("CONGVU_DEBUG", "true")
    with pytest.raises(SettingsError, match="CONGVU_DEBUG"):
        AppSettings.from_environ()


def test_production_with_a_secret_and_no_debug_is_accepted(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("CONGVU_ENV", "production")
    clean_env.setenv("CONGVU_SECRET_KEY", "s" * 50)
    s = AppSettings.from_environ()
    assert s.debug is False
    assert s.secret_key != DEV_SECRET


@pytest.mark.parametrize(("raw", "problem"), [("maybe", "CONGVU_DEBUG"), ("staging", "CONGVU_ENV")])
def test_invalid_values_are_named_in_the_error(clean_env: pytest.MonkeyPatch, raw: str, problem: str) -> None:
    clean_env.setenv(problem, raw)
    with pytest.raises(SettingsError, match=problem):
        AppSettings.from_environ()


def test_every_setting_has_help_text() -> None:
    assert all(help_text for _, help_text in AppSettings.describe())
