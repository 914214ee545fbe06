"""Reading configuration from the environment: typed, strict, with clear errors."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str


def test_env_str_uses_the_default_or_demands_the_variable(monkeypatch):
    monkeypatch.delenv("X_TEST", raising=False)
    assert env_str("X_TEST", "fallback") == "fallback"
    with pytest.raises(ImproperlyConfigured, match="X_TEST"):
        env_str("X_TEST")


@pytest.mark.parametrize(("raw", "expected"), [("true", True), ("1", True), ("Off", False), ("no", False)])
def test_env_bool_reads_common_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("X_BOOL", raw)
    assert env_bool("X_BOOL", not expected) is expected


def test_env_bool_refuses_nonsense_naming_the_variable(monkeypatch):
    monkeypatch.setenv("X_BOOL", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_BOOL"):
        env_bool("X_BOOL", False)


def test_env_int_and_list(monkeypatch):
    monkeypatch.setenv("X_INT", "42")
    monkeypatch.setenv("X_LIST", " a.example , b.example,, ")
    assert env_int("X_INT", 1) == 42
    assert env_list("X_LIST") == ["a.example", "b.example"]
    monkeypatch.setenv("X_INT", "forty")
    with pytest.raises(ImproperlyConfigured, match="X_INT"):
        env_int("X_INT", 1)
