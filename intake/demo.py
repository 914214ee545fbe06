"""A realistic demo portfolio of GenAI use cases, created through the same services as real requests."""

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from accounts.models import User
from intake import services
from intake.models import UseCase

BASE: dict[str, Any] = {
    "stage": "pilot",
    "sourcing": "api_model",
    "provider": "Azure OpenAI",
    "model_name": "gpt-4.1",
    "hosting_region": "eu",
    "provider_terms": ["zero_retention", "no_training_on_data", "dpa_signed"],
    "capabilities": ["text_generation"],
    "output_use": "draft_reviewed",
    "autonomy": 0,
    "tool_permissions": [],
    "users": "employees_limited",
    "affected_persons": [],
    "user_count": "lt_50",
    "data_classification": "internal",
    "personal_data": [],
    "retrieval_sources": [],
    "decision_domain": "none",
    "profiling": False,
    "art6_3_exemption": "none",
    "prohibited_practices": [],
    "transparency_triggers": [],
    "eu_nexus": "eu_affected",
    "role_modifiers": [],
    "public_body": False,
    "human_oversight": "The author reviews every output before it is used.",
    "kill_switch": True,
}


@dataclass(frozen=True)
class DemoUseCase:
    owner: str  # demo username of the submitter
    title: str
    summary: str
    business_value: str
    answers: dict[str, Any] = field(default_factory=dict)
    state: str = "submitted"  # draft | submitted | withdrawn (prohibited ones are closed by the system)


PORTFOLIO: tuple[DemoUseCase, ...] = (
    DemoUseCase(
        "requester1",
        "Customer service reply drafting",
        "Drafts replies to customer emails from our help articles; agents edit and send.",
        "Cuts average handling time by a third.",
        {
            "capabilities": ["text_generation", "retrieval_rag"],
            "retrieval_sources": ["curated_internal"],
            "personal_data": ["basic"],
            "affected_persons": ["customers"],
            "user_count": "lt_500",
        },
    ),
    DemoUseCase(
        "requester1",
        "Website chat assistant",
        "Answers customer questions on the public website and hands over to an agent.",
        "Deflects 25% of routine contacts.",
        {
            "capabilities": ["chat", "retrieval_rag"],
            "output_use": "customer_interactive",
            "users": "public",
            "user_count": "gte_5000",
            "transparency_triggers": ["interacts_with_people"],
            "affected_persons": ["customers"],
            "retrieval_sources": ["curated_internal", "web"],
            "personal_data": ["basic"],
            "stage": "production",
        },
    ),
    DemoUseCase(
        "requester1",
        "Call summarisation",
        "Summarises recorded support calls into the CRM.",
        "Saves ten minutes per call.",
        {
            "capabilities": ["text_generation"],
            "personal_data": ["basic", "financial"],
            "data_classification": "confidential",
            "affected_persons": ["customers"],
            "tool_permissions": ["write_internal"],
            "autonomy": 2,
            "user_count": "lt_500",
        },
    ),
    DemoUseCase(
        "requester1",
        "Complaint triage and routing",
        "Classifies incoming complaints by urgency and routes them.",
        "Urgent complaints reach a person within an hour.",
        {
            "capabilities": ["scoring_classification"],
            "output_use": "automated_action",
            "autonomy": 3,
            "tool_permissions": ["write_internal"],
            "affected_persons": ["customers"],
            "personal_data": ["basic"],
        },
    ),
    DemoUseCase(
        "requester1",
        "Refund approval agent",
        "An agent that approves small refunds automatically within limits.",
        "Instant refunds under 50 EUR.",
        {
            "capabilities": ["tool_use", "scoring_classification"],
            "output_use": "automated_action",
            "autonomy": 3,
            "tool_permissions": ["financial_transactions", "external_communications"],
            "users": "customers",
            "affected_persons": ["customers"],
            "personal_data": ["basic", "financial"],
            "data_classification": "confidential",
            "transparency_triggers": ["interacts_with_people"],
        },
    ),
    DemoUseCase(
        "requester1",
        "Customer sentiment dashboard",
        "Scores the sentiment of customer emails for weekly reporting.",
        "Early warning on product issues.",
        {
            "capabilities": ["scoring_classification"],
            "output_use": "decision_support",
            "affected_persons": ["customers"],
            "personal_data": ["basic"],
        },
        state="draft",
    ),
    DemoUseCase(
        "requester1",
        "Voice clone for IVR announcements",
        "Generates phone menu announcements in our brand voice.",
        "No studio costs for IVR changes.",
        {
            "capabilities": ["audio_video_generation"],
            "output_use": "published",
            "users": "employees_limited",
            "transparency_triggers": ["synthetic_media"],
            "sourcing": "enterprise_saas",
            "provider": "VoiceWorks",
            "model_name": "vw-3",
            "hosting_region": "us",
            "provider_terms": [],
        },
        state="withdrawn",
    ),
    DemoUseCase(
        "requester1",
        "Caller emotion detection for agents",
        "Detects agents' emotions on calls to coach them.",
        "Better coaching.",
        {
            "capabilities": ["scoring_classification"],
            "prohibited_practices": ["emotion_recognition_workplace_education"],
            "emotion_recognition_purpose": "other",
            "decision_domain": "employment_monitoring",
            "affected_persons": ["employees"],
            "personal_data": ["biometric"],
            "profiling": True,
        },
    ),
    DemoUseCase(
        "requester2",
        "CV screening assistant",
        "Ranks applications against the job profile for recruiters.",
        "Shortlists in a day instead of a week.",
        {
            "capabilities": ["scoring_classification", "text_generation"],
            "output_use": "decision_support",
            "decision_domain": "employment_recruitment",
            "profiling": True,
            "affected_persons": ["applicants"],
            "personal_data": ["basic"],
            "data_classification": "confidential",
        },
    ),
    DemoUseCase(
        "requester2",
        "Interview notes summariser",
        "Turns interviewers' notes into a structured summary.",
        "Consistent feedback for hiring panels.",
        {
            "capabilities": ["text_generation"],
            "decision_domain": "employment_recruitment",
            "profiling": False,
            "art6_3_exemption": "preparatory",
            "art6_3_justification": "It only restructures notes the interviewer wrote; the panel assesses the candidate.",
            "affected_persons": ["applicants"],
            "personal_data": ["basic"],
            "data_classification": "confidential",
        },
    ),
    DemoUseCase(
        "requester2",
        "HR policy chatbot",
        "Answers employees' questions about HR policies.",
        "Fewer tickets to HR.",
        {
            "capabilities": ["chat", "retrieval_rag"],
            "users": "employees_all",
            "user_count": "lt_5000",
            "retrieval_sources": ["curated_internal"],
            "transparency_triggers": ["interacts_with_people"],
            "output_use": "draft_reviewed",
        },
    ),
    DemoUseCase(
        "requester2",
        "Shift allocation optimiser",
        "Allocates warehouse shifts based on performance history.",
        "Better coverage at peaks.",
        {
            "capabilities": ["scoring_classification"],
            "decision_domain": "employment_task_allocation",
            "profiling": True,
            "output_use": "automated_action",
            "autonomy": 3,
            "affected_persons": ["employees"],
            "personal_data": ["basic"],
            "tool_permissions": ["write_internal"],
        },
    ),
    DemoUseCase(
        "requester2",
        "Job advert writer",
        "Drafts inclusive job adverts from a role profile.",
        "Faster, more inclusive adverts.",
        {"capabilities": ["text_generation"], "output_use": "published"},
    ),
    DemoUseCase(
        "requester2",
        "Employee engagement survey analysis",
        "Clusters free-text survey answers into themes.",
        "Themes in days, not weeks.",
        {
            "capabilities": ["text_generation", "scoring_classification"],
            "affected_persons": ["employees"],
            "personal_data": ["basic", "special_category"],
            "data_classification": "restricted",
        },
        state="draft",
    ),
    DemoUseCase(
        "requester2",
        "Internal code assistant for HR systems",
        "Code completion for the HR systems team.",
        "Faster delivery of HR system changes.",
        {
            "capabilities": ["code_generation"],
            "sourcing": "enterprise_saas",
            "provider": "GitHub",
            "model_name": "Copilot",
            "hosting_region": "us",
            "eu_nexus": "none",
        },
    ),
    DemoUseCase(
        "requester2",
        "Wellbeing nudges",
        "Suggests wellbeing resources based on calendar load.",
        "Lower burnout.",
        {
            "capabilities": ["text_generation"],
            "profiling": True,
            "affected_persons": ["employees"],
            "personal_data": ["basic", "health"],
            "data_classification": "restricted",
        },
        state="draft",
    ),
)


def seed_use_case(demo: DemoUseCase) -> tuple[UseCase, bool]:
    """Create one demo use case in its state, unless it exists. Returns it and whether it was created now."""
    owner = User.objects.get(username=demo.owner)
    team = owner.teams.order_by("name").first()
    existing = UseCase.objects.filter(team=team, title=demo.title).first()
    if existing is not None:
        return existing, False
    with transaction.atomic():
        use_case = services.use_case_create(
            actor=owner,
            team=team,
            title=demo.title,
            summary=demo.summary,
            business_owner=str(owner),
            business_value=demo.business_value,
            answers={**BASE, **demo.answers},
        )
        if demo.state in ("submitted", "withdrawn"):
            use_case = services.use_case_submit(actor=owner, use_case=use_case)
        if demo.state == "withdrawn":
            use_case = services.use_case_withdraw(
                actor=owner, use_case=use_case, reason="Replaced by a recorded human voice."
            )
    return use_case, True
