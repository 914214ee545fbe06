"""Use cases for tests, created through the same services the product uses."""

import pytest

from accounts.roles import Role
from intake import services
from tests.factories import TeamFactory, UserFactory

CHATBOT = {
    "stage": "pilot",
    "sourcing": "api_model",
    "provider": "Azure OpenAI",
    "model_name": "gpt-4.1",
    "hosting_region": "eu",
    "provider_terms": ["zero_retention", "dpa_signed"],
    "capabilities": ["chat", "retrieval_rag"],
    "output_use": "customer_interactive",
    "autonomy": 0,
    "tool_permissions": [],
    "users": "customers",
    "affected_persons": ["customers"],
    "user_count": "gte_5000",
    "data_classification": "internal",
    "personal_data": ["basic"],
    "retrieval_sources": ["curated_internal"],
    "decision_domain": "none",
    "profiling": False,
    "art6_3_exemption": "none",
    "prohibited_practices": [],
    "transparency_triggers": ["interacts_with_people"],
    "eu_nexus": "eu_affected",
    "role_modifiers": [],
    "public_body": False,
    "human_oversight": "Agents review escalations daily; customers can ask for a person at any time.",
    "kill_switch": True,
}

CV_SCREENING = {
    **CHATBOT,
    "capabilities": ["scoring_classification", "text_generation"],
    "output_use": "decision_support",
    "users": "employees_limited",
    "affected_persons": ["applicants"],
    "user_count": "lt_50",
    "personal_data": ["basic"],
    "decision_domain": "employment_recruitment",
    "profiling": True,
    "transparency_triggers": [],
}


@pytest.fixture
def other_team_requester(db):
    return UserFactory(username="other_req", roles=[Role.REQUESTER], teams=[TeamFactory(name="People & HR")])


@pytest.fixture
def teammate(db, team):
    return UserFactory(username="teammate", roles=[Role.REQUESTER], teams=[team])


@pytest.fixture
def make_use_case(requester, team):
    def _make(*, actor=None, title="Customer service assistant", answers=None, submit=False, **fields):
        use_case = services.use_case_create(
            actor=actor or requester,
            team=team if actor is None else actor.teams.first(),
            title=title,
            summary=fields.pop("summary", "Answers customer questions from our help articles."),
            answers=CHATBOT if answers is None else answers,
            **fields,
        )
        if submit:
            use_case = services.use_case_submit(actor=actor or requester, use_case=use_case)
        return use_case

    return _make
