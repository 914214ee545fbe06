"""Answers that cannot all be true as given: each pair is named with the reason and the article, and a request that
holds one cannot be submitted until the person reconciles it (pure Python, no database).

Where an answer settles a fact by itself, the assessment derives it instead of asking again (a system shown live to
customers interacts with people, Art. 50(1); a general-purpose app put to an Annex III use changes its purpose,
Art. 25(1)(c)). What is left here are facts the Regulation turns on that only the person can settle.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from intake.assessment.predicates import When, has, is_, lacks, only

WORKPLACE_PRACTICE = "emotion_recognition_workplace_education"
# The people of a workplace: staff, and candidates while they are recruited.
ONLY_STAFF_OR_CANDIDATES = only("affected_persons", "employees", "applicants")


@dataclass(frozen=True)
class Contradiction:
    id: str
    fields: tuple[
        str, ...
    ]  # every field the person may change to reconcile it, the first the one that says most
    when: When
    message: str  # shown on each of those fields: what conflicts, why, and how to settle it
    citation: str


CONTRADICTIONS: tuple[Contradiction, ...] = (
    *(
        Contradiction(
            f"EMOTION-RECOGNITION-AT-WORK-{source.upper().replace('_', '-')}",
            (source, "affected_persons", "prohibited_practices"),
            condition & ONLY_STAFF_OR_CANDIDATES & lacks("prohibited_practices", WORKPLACE_PRACTICE),
            f"{what}, and the only people it affects are staff or candidates: that is emotion recognition at work, "
            "banned unless it is for medical or safety reasons (EU AI Act Art. 5(1)(f)). Tick “Recognises emotions "
            "at work or in education” among the banned practices (you will then be asked whether it is for medical "
            "or safety reasons), or correct who it affects.",
            "EU AI Act Art. 5(1)(f)",
        )
        for source, condition, what in (
            ("decision_domain", is_("decision_domain", "emotion_recognition"), "It recognises emotions"),
            (
                "transparency_triggers",
                has("transparency_triggers", "emotion_recognition"),
                "It is said to recognise emotions",
            ),
        )
    ),
    Contradiction(
        "PRE-MARKET-RESEARCH-IN-USE",
        ("scope_exclusions", "stage"),
        has("scope_exclusions", "pre_market_research") & is_("stage", "pilot", "production", "change"),
        "Research, testing and development before it is put into use is outside the Act only while nobody uses it "
        "and it is not tested in real-world conditions (EU AI Act Art. 2(8)); a pilot with users or a service in "
        "production is neither. Untick that exclusion, or correct the stage.",
        "EU AI Act Art. 2(8)",
    ),
)


def contradictions(answers: Mapping[str, Any]) -> dict[str, list[str]]:
    """Each field caught in a contradiction, with the reason (empty when the answers agree)."""
    found: dict[str, list[str]] = {}
    for contradiction in CONTRADICTIONS:
        if contradiction.when(answers):
            for name in contradiction.fields:
                messages = found.setdefault(name, [])
                if contradiction.message not in messages:
                    messages.append(contradiction.message)
    return found
