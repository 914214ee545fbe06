"""Answer sets for intake tests (the fixtures live in tests/conftest.py, shared with later apps)."""

from tests.answer_sets import CHATBOT, CV_SCREENING

__all__ = ["CHATBOT", "CV_SCREENING"]
