"""How alike two titles read: normalising, stop words, the crude stemmer and the words the search narrows by. No
database."""

import pytest

from intake.similarity import key_words, normalise, search_words, stem, title_similarity


@pytest.mark.parametrize(
    ("word", "stemmed"),
    [
        ("replies", "reply"),
        ("policies", "policy"),
        ("drafting", "draft"),
        ("screening", "screen"),
        ("answers", "answer"),
        ("helpers", "helper"),
        ("boxes", "boxe"),  # crude, and alike for "boxes" and "boxe"
        ("processes", "processe"),
        ("screened", "screen"),
        ("agents", "agent"),
        ("drawings", "drawing"),  # one suffix only
        ("carries", "carry"),
    ],
)
def test_the_stemmer_takes_off_the_first_suffix_that_fits(word, stemmed):
    assert stem(word) == stemmed


@pytest.mark.parametrize(
    ("word", "stemmed"),
    [
        ("cats", "cat"),  # a stem of exactly three letters is kept
        ("uses", "use"),  # "es" would leave two letters, so "s" is taken off instead
        ("spies", "spie"),  # likewise "ies", then "es"
        ("tired", "tir"),
        ("string", "str"),
        ("bring", "bring"),  # a stem of two letters is too short: the word stays as it is
        ("used", "used"),
        ("bus", "bus"),
        ("sing", "sing"),
        ("ai", "ai"),
        ("", ""),
    ],
)
def test_the_stemmer_never_leaves_a_stem_shorter_than_three_letters(word, stemmed):
    assert stem(word) == stemmed


def test_words_without_a_known_suffix_are_kept():
    assert [stem(w) for w in ["customer", "email", "chatbot", "triage"]] == [
        "customer",
        "email",
        "chatbot",
        "triage",
    ]


def test_normalising_keeps_lower_case_letters_and_digits_with_one_space_between_words():
    assert normalise("  Customer-Service: AI  Bot #2\n(v3.1) ") == "customer service ai bot 2 v3 1"
    assert normalise("Café résumé") == "caf r sum"  # letters outside a-z split words
    assert normalise("— !!") == ""


def test_key_words_are_the_stems_of_the_words_that_are_not_stop_words():
    title = (
        "The AI assistant for drafting replies to our customers, with and by and from the team of an HR unit in Ghent"
        " on call"
    )
    assert key_words(title) == {
        "assistant",
        "draft",
        "reply",
        "customer",
        "team",
        "hr",
        "unit",
        "ghent",
        "call",
    }
    assert key_words("The AI of a") == set()


def test_the_search_narrows_by_the_longest_key_words_longest_first_then_alphabetically():
    assert search_words("Drafting replies to customer email") == ["customer", "draft", "email", "reply"]
    assert search_words("CV bot tool") == ["tool"]  # words of fewer than four letters match too many titles
    long_title = (
        "Summarising procurement contracts, invoices, purchase orders and supplier onboarding documents"
    )
    expected = ["procurement", "contract", "document", "purchase", "summaris", "supplier"]  # not "onboard"
    assert search_words(long_title) == expected


def test_similar_titles_score_high_and_unrelated_low():
    assert title_similarity("Customer service reply drafting", "Drafting customer service replies") >= 0.6
    assert title_similarity("CV screening assistant", "Refund approval agent") < 0.3


def test_the_same_key_words_in_another_order_and_form_read_as_the_same_title():
    assert title_similarity("Customer service reply drafting", "Drafting customer service replies") == 1.0
    assert title_similarity("Meeting notes", "meeting   NOTES!") == 1.0


def test_the_character_sequence_counts_when_it_is_closer_than_the_word_overlap():
    # Key words overlap 2 of 4, but the titles differ by one character.
    assert title_similarity("Invoice OCR v2", "Invoice OCR v3") == pytest.approx(26 / 28)


def test_the_word_overlap_counts_when_it_is_closer_than_the_character_sequence():
    assert title_similarity("Replies drafting", "Draft reply") == 1.0


def test_titles_of_only_stop_words_are_compared_by_their_characters():
    assert title_similarity("The AI", "the ai") == 1.0
    assert 0 < title_similarity("The AI", "Our AI") < 1


def test_a_title_without_letters_or_digits_is_like_nothing():
    assert title_similarity("", "Customer service") == 0.0
    assert title_similarity("Customer service", "?!") == 0.0
    assert title_similarity("", "") == 0.0


def test_similarity_does_not_depend_on_the_order_of_the_two_titles():
    a, b = "Meeting notes summariser", "Summarising meeting notes for the board"
    assert title_similarity(a, b) == title_similarity(b, a)
