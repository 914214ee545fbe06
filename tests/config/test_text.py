"""What typed text may hold: control characters and explicit direction controls are refused, the marks are kept."""

import pytest

from config.errors import DomainError
from config.text import CONTROL_MESSAGE, ensure_text, has_control_characters, text_errors

DIRECTION_CONTROLS = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]


@pytest.mark.parametrize("char", DIRECTION_CONTROLS, ids=[f"U+{ord(c):04X}" for c in DIRECTION_CONTROLS])
def test_every_explicit_direction_embedding_override_and_isolate_is_refused(char):
    assert has_control_characters(f"invoice{char}fdp.exe")


@pytest.mark.parametrize("char", ["\u200e", "\u200f", "\u061c"], ids=["LRM", "RLM", "ALM"])
def test_the_implicit_direction_marks_are_allowed(char):
    assert not has_control_characters(f"שלום{char} GPT")


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\x9f"])
def test_c0_del_and_c1_controls_are_refused(char):
    assert has_control_characters(f"a{char}b")


def test_tabs_line_breaks_and_ordinary_text_are_allowed():
    assert not has_control_characters("Two lines\r\nand a\ttab, café, 東京, emoji 👩‍💻")


def test_text_errors_names_each_field_with_each_problem():
    errors = text_errors(
        {"title": "x" * 11, "note": "ok", "owner": f"a{DIRECTION_CONTROLS[0]}", "count": 3},
        max_lengths={"title": 10},
    )
    assert errors == {"title": ["At most 10 characters."], "owner": [CONTROL_MESSAGE]}


def test_ensure_text_raises_a_domain_error_naming_the_fields():
    with pytest.raises(DomainError) as excinfo:
        ensure_text({"reason": "x" * 2001}, max_lengths={"reason": 2000})
    assert excinfo.value.errors == {"reason": ["At most 2,000 characters."]}
    ensure_text({"reason": "fine"}, max_lengths={"reason": 2000})
