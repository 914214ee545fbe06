"""The intake questions: API names, closed sets of values, plain-language wording, and validation (pure Python).

This is the contract other clients are written against (DESIGN section 3): the forms, the API and the assessment
engine all read the questions from here.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from config.errors import DomainError
from config.text import CONTROL_MESSAGE, has_control_characters

ONE, MANY, TEXT, BOOL, LEVEL = "one", "many", "text", "bool", "level"


@dataclass(frozen=True)
class Question:
    name: str
    kind: str  # one of ONE, MANY, TEXT, BOOL, LEVEL
    label: str
    help: str
    section: str
    choices: tuple[tuple[str, str], ...] = ()
    required: bool = True  # needed before submission when it applies (a draft may leave anything unanswered)
    max_length: int = 2000
    # When the question applies: every (earlier question, values) pair must hold, and that earlier question must
    # apply itself. A question that does not apply is not asked, not required, and its answer is not kept.
    shown_when: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(value for value, _ in self.choices)

    def label_for(self, value: Any) -> str:
        return dict(self.choices).get(value, str(value))


SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("model", "The model and the vendor", "Which AI model you will use, who provides it and where it runs."),
    ("data", "Data", "What information the system will see."),
    ("people", "People affected and decisions", "Who uses it, who is affected, and what it decides."),
    ("autonomy", "Autonomy and tools", "How much it does on its own, and what it can act on."),
    ("screening", "EU AI Act screening", "A few questions that decide which EU AI Act rules apply."),
)

AUTONOMY_LEVELS = (
    ("0", "0 — Assists: a person asks, reads and decides"),
    ("1", "1 — Suggests: proposes actions a person carries out"),
    ("2", "2 — Acts with confirmation: a person approves each action"),
    ("3", "3 — Bounded autonomy: acts alone within set limits"),
    ("4", "4 — Autonomous: acts alone"),
)

DATA_CLASSIFICATION_ORDER = ("public", "internal", "confidential", "restricted")

# The decision areas listed in Annex III (every area but "none" and an Annex I product safety component); the
# assessment's ANNEX_III table gives each its point of the Annex.
ANNEX_III_AREAS = (
    "biometric_identification",
    "biometric_categorisation",
    "emotion_recognition",
    "critical_infrastructure",
    "education_access",
    "education_assessment",
    "education_level",
    "education_proctoring",
    "employment_recruitment",
    "employment_decisions",
    "employment_task_allocation",
    "employment_monitoring",
    "public_benefits",
    "credit_scoring",
    "insurance_pricing",
    "emergency_triage",
    "law_enforcement",
    "migration_border",
    "justice",
    "elections",
)
# The Art. 6(3) minor roles a request can claim (every answer but "No, it matters to the decision").
ART6_3_CLAIMS = ("narrow_procedural", "improves_human_work", "pattern_detection", "preparatory")

QUESTIONS: tuple[Question, ...] = (
    # The model and the vendor
    Question(
        "stage",
        ONE,
        "Where is this today?",
        "An idea, a pilot with a few users, a production service, or a change to one already approved.",
        "model",
        (
            ("idea", "Idea"),
            ("pilot", "Pilot"),
            ("production", "Production"),
            ("change", "Change to an approved use"),
        ),
    ),
    Question(
        "sourcing",
        ONE,
        "How do you get the AI?",
        "Bought as an app, inside a business SaaS product, called through an API, fine-tuned by us, or trained by us.",
        "model",
        (
            ("consumer_app", "Consumer app (e.g. a public chatbot)"),
            ("enterprise_saas", "Feature of an enterprise SaaS product"),
            ("api_model", "Model called through an API"),
            ("fine_tuned", "Model we fine-tune"),
            ("self_trained", "Model we train ourselves"),
        ),
    ),
    Question(
        "provider",
        TEXT,
        "Provider",
        "The company that supplies the model or service, e.g. “Azure OpenAI”.",
        "model",
        max_length=120,
    ),
    Question(
        "model_name",
        TEXT,
        "Model",
        "The model’s name and version if you know it, e.g. “gpt-4.1”.",
        "model",
        max_length=120,
    ),
    Question(
        "gpai_model",
        ONE,
        "Is the model general-purpose?",
        "A model that can competently do a wide range of distinct tasks (write, summarise, code, answer…), as "
        "opposed to one trained for a specific task.",
        "model",
        (("yes", "Yes, general-purpose"), ("no", "No, trained for specific tasks")),
        required=False,
        shown_when=(("sourcing", ("fine_tuned", "self_trained")),),
    ),
    Question(
        "gpai_placement",
        ONE,
        "Do we offer the model to others?",
        "Selling it, giving access through an API, or publishing its weights places it on the market. Unanswered, "
        "we assume we do.",
        "model",
        (("market", "Yes, others can use it"), ("own_use", "No, only we use it")),
        required=False,
        shown_when=(("gpai_model", ("yes",)),),
    ),
    Question(
        "gpai_systemic_risk",
        ONE,
        "Is the model one with systemic risk?",
        "Presumed when its training used more than 10^25 floating-point operations, or when the Commission "
        "designates it.",
        "model",
        (
            ("none", "No"),
            ("compute", "Trained with more than 10^25 floating-point operations"),
            ("designated", "Designated by the Commission"),
        ),
        required=False,
        shown_when=(("gpai_model", ("yes",)),),
    ),
    Question(
        "gpai_open_source",
        BOOL,
        "Is the model released under a free and open-source licence?",
        "With its weights, architecture and usage information made public.",
        "model",
        required=False,
        shown_when=(("gpai_model", ("yes",)),),
    ),
    Question(
        "hosting_region",
        ONE,
        "Where does it run?",
        "The region where the provider processes your data.",
        "model",
        (
            ("eu", "European Union"),
            ("uk", "United Kingdom"),
            ("us", "United States"),
            ("other", "Elsewhere or unknown"),
        ),
    ),
    Question(
        "provider_terms",
        MANY,
        "What has the provider committed to?",
        "Tick what the contract actually says. Leave blank if none or unknown.",
        "model",
        (
            ("zero_retention", "Prompts and outputs are not stored"),
            ("no_training_on_data", "Our data is not used to train their models"),
            ("dpa_signed", "A data processing agreement is signed"),
            ("eu_data_residency", "Data stays in the EU"),
        ),
        required=False,
    ),
    Question(
        "capabilities",
        MANY,
        "What will it do?",
        "Tick every kind of work the system does.",
        "model",
        (
            ("chat", "Chat with people"),
            ("text_generation", "Write text"),
            ("code_generation", "Write code"),
            ("image_generation", "Create images"),
            ("audio_video_generation", "Create audio or video"),
            ("scoring_classification", "Score, rank or classify"),
            ("retrieval_rag", "Look things up in our documents"),
            ("tool_use", "Use tools or other systems"),
            ("memory", "Remember past conversations"),
            ("multi_agent", "Several AI agents working together"),
        ),
        required=False,
    ),
    # Data
    Question(
        "data_classification",
        LEVEL,
        "Most sensitive information it will see",
        "Use the company classification of the most sensitive document or record involved.",
        "data",
        (
            ("public", "Public"),
            ("internal", "Internal"),
            ("confidential", "Confidential"),
            ("restricted", "Restricted"),
        ),
    ),
    Question(
        "personal_data",
        MANY,
        "Personal data involved",
        "Any information about identifiable people. Leave blank if none.",
        "data",
        (
            ("basic", "Basic (names, contact details)"),
            ("special_category", "Special category (health, religion, ethnicity, …)"),
            ("biometric", "Biometric (face, voice, fingerprints)"),
            ("children", "About children"),
            ("financial", "Financial"),
            ("health", "Health"),
        ),
        required=False,
    ),
    Question(
        "retrieval_sources",
        MANY,
        "Where does it look things up?",
        "Sources the system reads from when answering. Leave blank if it only uses what it is given.",
        "data",
        (
            ("curated_internal", "Curated internal content"),
            ("mixed_permission_internal", "Internal content with mixed access rights"),
            ("web", "The public web"),
            ("user_uploads", "Files users upload"),
            ("email", "Email"),
        ),
        required=False,
    ),
    # People affected and decisions
    Question(
        "users",
        ONE,
        "Who uses it?",
        "The people who type into it or read its output directly.",
        "people",
        (
            ("employees_limited", "A limited group of employees"),
            ("employees_all", "All employees"),
            ("customers", "Customers"),
            ("public", "The general public"),
        ),
    ),
    Question(
        "user_count",
        ONE,
        "How many users?",
        "Expected users within a year.",
        "people",
        (
            ("lt_50", "Fewer than 50"),
            ("lt_500", "50 to 499"),
            ("lt_5000", "500 to 4,999"),
            ("gte_5000", "5,000 or more"),
        ),
    ),
    Question(
        "affected_persons",
        MANY,
        "Who is affected by its output?",
        "People whose situation can change because of what it produces, even if they never use it.",
        "people",
        (
            ("employees", "Employees"),
            ("applicants", "Job applicants"),
            ("customers", "Customers"),
            ("minors_or_vulnerable", "Children or vulnerable people"),
            ("public", "The general public"),
        ),
        required=False,
    ),
    Question(
        "output_use",
        ONE,
        "What happens with its output?",
        "From a draft a person rewrites, to actions the system takes itself.",
        "people",
        (
            ("draft_reviewed", "A draft a person reviews"),
            ("decision_support", "Input to a person’s decision"),
            ("published", "Published as is"),
            ("customer_interactive", "Shown live to customers"),
            ("automated_action", "Triggers actions automatically"),
        ),
    ),
    Question(
        "decision_domain",
        ONE,
        "Does it help decide any of these?",
        "Pick the area if its output feeds a decision about people or safety; otherwise “None of these”.",
        "people",
        (
            ("none", "None of these"),
            (
                "annex_i_safety_component",
                "Safety component of a regulated product (machinery, medical device, …)",
            ),
            (
                "biometric_identification",
                "Identifying people remotely from biometrics (not checking that someone is who they claim to be)",
            ),
            ("biometric_categorisation", "Sorting people by biometric traits"),
            ("emotion_recognition", "Recognising emotions"),
            ("critical_infrastructure", "Running critical infrastructure (energy, water, traffic, digital)"),
            ("education_access", "Admission to education"),
            ("education_assessment", "Grading or assessing learners"),
            ("education_level", "Deciding a learner’s level of education"),
            ("education_proctoring", "Watching for cheating in tests"),
            ("employment_recruitment", "Recruiting or screening candidates"),
            ("employment_decisions", "Promotion, termination or work terms"),
            ("employment_task_allocation", "Allocating work by behaviour or traits"),
            ("employment_monitoring", "Monitoring or evaluating staff"),
            ("public_benefits", "Access to public benefits or services"),
            ("credit_scoring", "Creditworthiness or credit scores (not fraud detection)"),
            ("insurance_pricing", "Life or health insurance risk and pricing"),
            ("emergency_triage", "Emergency calls or triage"),
            ("law_enforcement", "Law enforcement"),
            ("migration_border", "Migration, asylum or border control"),
            ("justice", "Courts, justice or dispute resolution"),
            (
                "elections",
                "Influencing elections or voting (not tools whose output voters never see, such as campaign logistics)",
            ),
        ),
    ),
    Question(
        "annex_i_role",
        ONE,
        "Is the AI the product itself, or a safety part of it?",
        "The product is one covered by EU product-safety law (machinery, medical devices, cars, …).",
        "people",
        (("safety_component", "A safety component of the product"), ("product", "The product itself")),
        required=False,
        shown_when=(("decision_domain", ("annex_i_safety_component",)),),
    ),
    Question(
        "annex_i_third_party",
        BOOL,
        "Must the product pass a third-party conformity assessment?",
        "Under the product’s own EU law, a notified body checks it before it is sold or used (for example most "
        "medical devices). Unanswered, we assume it must.",
        "people",
        required=False,
        shown_when=(("decision_domain", ("annex_i_safety_component",)),),
    ),
    Question(
        "annex_i_section",
        ONE,
        "Which kind of product law covers it?",
        "Annex I of the Act lists the laws in two sections; vehicles, aircraft, ships and rail follow their own "
        "type-approval law. Unanswered, we assume Section A.",
        "people",
        (
            (
                "section_a",
                "Machinery, toys, lifts, medical devices, radio equipment or another Section A law",
            ),
            ("section_b", "Cars, aircraft, ships, rail, farm vehicles, drones or another Section B law"),
        ),
        required=False,
        shown_when=(("decision_domain", ("annex_i_safety_component",)),),
    ),
    Question(
        "profiling",
        BOOL,
        "Does it build a profile of individual people?",
        "Evaluating or predicting someone’s performance, preferences, behaviour, reliability or similar from their data.",
        "people",
    ),
    # Autonomy and tools
    Question(
        "autonomy",
        LEVEL,
        "How much does it do on its own?",
        "From a person deciding everything to the system acting alone.",
        "autonomy",
        AUTONOMY_LEVELS,
    ),
    Question(
        "tool_permissions",
        MANY,
        "What can it act on?",
        "What the system can change or trigger through tools. Leave blank if it only produces text for people.",
        "autonomy",
        (
            ("read_only", "Read information only"),
            ("write_internal", "Change internal records"),
            ("external_communications", "Send messages outside the company"),
            ("financial_transactions", "Move money"),
            ("code_execution", "Run code"),
            ("production_infrastructure", "Change production systems"),
        ),
        required=False,
    ),
    Question(
        "human_oversight",
        TEXT,
        "How does a person oversee it?",
        "Who checks its output, when, and what they can do about it.",
        "autonomy",
    ),
    Question(
        "kill_switch",
        BOOL,
        "Can it be stopped at once?",
        "Someone can switch it off immediately if it misbehaves.",
        "autonomy",
    ),
    # EU AI Act screening
    Question(
        "eu_nexus",
        ONE,
        "Does it touch the EU?",
        "It is used in the EU, affects people in the EU, or its output is used in the EU.",
        "screening",
        (
            ("eu_affected", "Used in or affects people in the EU"),
            ("eu_outputs", "Its output is used in the EU"),
            ("none", "No EU connection"),
        ),
    ),
    Question(
        "scope_exclusions",
        MANY,
        "Is it outside the Act for one of these reasons?",
        "Leave blank if none applies: most uses are in scope.",
        "screening",
        (
            ("military_defence_security", "Only for military, defence or national security purposes"),
            ("scientific_research", "Developed and used only for scientific research and development"),
            (
                "pre_market_research",
                "Only research, testing or development before it is put into use, with no testing in real-world "
                "conditions",
            ),
            ("open_source", "Released under a free and open-source licence"),
        ),
        required=False,
        shown_when=(("eu_nexus", ("eu_affected", "eu_outputs")),),
    ),
    Question(
        "prohibited_practices",
        MANY,
        "Does it do any of these?",
        "These practices are banned in the EU. Tick any that could apply; a ticked request is closed automatically, "
        "unless it falls under an exception the Act allows (you will be asked).",
        "screening",
        (
            ("subliminal_manipulation", "Manipulates people without their awareness"),
            ("exploiting_vulnerabilities", "Exploits age, disability or hardship"),
            ("social_scoring", "Scores people’s social behaviour to treat them worse elsewhere"),
            ("crime_prediction_profiling", "Predicts crime from personality or profile alone"),
            ("facial_scraping", "Builds face databases by scraping images"),
            ("emotion_recognition_workplace_education", "Recognises emotions at work or in education"),
            (
                "biometric_categorisation_sensitive",
                "Infers race, beliefs, sexuality or similar from biometrics",
            ),
            ("realtime_remote_biometric_id", "Identifies people remotely in real time in public spaces"),
            ("intimate_imagery_csam", "Creates intimate images of real people or child abuse material"),
        ),
        required=False,
    ),
    Question(
        "emotion_recognition_purpose",
        ONE,
        "Is recognising emotions there only for medical or safety reasons?",
        "Recognising the emotions of people at work or in education is banned unless it is put in place for medical "
        "or safety reasons, such as a therapeutic use or detecting a pilot’s or driver’s fatigue.",
        "screening",
        (
            ("medical", "Yes, for medical reasons"),
            ("safety", "Yes, for safety reasons"),
            ("other", "No, for other reasons"),
        ),
        # Unanswered, no exception is claimed and the ban stands: the request is closed on submission.
        required=False,
        shown_when=(("prohibited_practices", ("emotion_recognition_workplace_education",)),),
    ),
    Question(
        "rbi_purpose",
        ONE,
        "Who identifies people in real time, and on what authority?",
        "The Act bans real-time remote biometric identification in public places for law enforcement, except for a "
        "few objectives with prior authorisation by a court or an independent authority. Unanswered, the ban is "
        "presumed.",
        "screening",
        (
            (
                "law_enforcement_authorised",
                "Law enforcement, for an objective the Act allows (finding victims or missing persons, preventing an "
                "imminent threat to life or a terrorist attack, locating suspects of serious crimes), with prior "
                "authorisation",
            ),
            ("law_enforcement_other", "Law enforcement, for another objective or without that authorisation"),
            ("not_law_enforcement", "Not law enforcement"),
        ),
        required=False,
        shown_when=(("prohibited_practices", ("realtime_remote_biometric_id",)),),
    ),
    Question(
        "transparency_triggers",
        MANY,
        "Will people need to be told it is AI?",
        "Tick what applies.",
        "screening",
        (
            ("interacts_with_people", "People talk to it directly"),
            ("synthetic_media", "It creates images, audio or video"),
            ("synthetic_text", "It creates text"),
            ("deepfake", "It imitates real people, places or events"),
            ("public_interest_text", "It publishes text on matters of public interest"),
            ("emotion_recognition", "It recognises emotions"),
            ("biometric_categorisation", "It sorts people by biometric traits"),
        ),
        required=False,
    ),
    Question(
        "assistive_editing",
        BOOL,
        "Does it only help people edit what they wrote?",
        "Spelling, grammar, wording or layout, without substantially changing the content: then its output need "
        "not be marked as AI-generated.",
        "screening",
        required=False,
        shown_when=(("transparency_triggers", ("synthetic_media", "synthetic_text")),),
    ),
    Question(
        "editorial_responsibility",
        BOOL,
        "Does a person review that text and answer for publishing it?",
        "Someone reviews or edits it before it is published and the company holds editorial responsibility for it.",
        "screening",
        required=False,
        shown_when=(("transparency_triggers", ("public_interest_text",)),),
    ),
    Question(
        "role_modifiers",
        MANY,
        "Will we change it or put our name on it?",
        "These can make us the provider in law, with more duties.",
        "screening",
        (
            ("rebrand", "We sell or offer it under our name"),
            ("substantial_modification", "We substantially modify it"),
            ("repurpose", "We use it for a high-risk purpose it was not built for"),
        ),
        required=False,
    ),
    Question(
        "public_body",
        BOOL,
        "Are we a public body or providing a public service here?",
        "For example a public authority, or a private company providing public services such as health or education.",
        "screening",
        # Only the Art. 26(8) registration and the Art. 27 FRIA read it, and both only for an Annex III area other
        # than critical infrastructure.
        shown_when=(
            ("decision_domain", tuple(a for a in ANNEX_III_AREAS if a != "critical_infrastructure")),
        ),
    ),
    Question(
        "public_body_kind",
        ONE,
        "Which of the two?",
        "Both assess the impact on fundamental rights; only a public authority registers its use in the EU "
        "database. Unanswered, we assume a public authority.",
        "screening",
        (
            ("authority", "A public authority, or acting on its behalf"),
            ("public_service", "A private company providing a public service"),
        ),
        required=False,
        shown_when=(("public_body", ("yes",)),),
    ),
    Question(
        "art6_3_exemption",
        ONE,
        "Is its role in the decision minor?",
        "Its area is listed as high-risk: say whether its output materially influences the decision.",
        "screening",
        (
            ("none", "No, it matters to the decision"),
            ("narrow_procedural", "It does a narrow procedural task"),
            ("improves_human_work", "It improves work a person has already completed"),
            (
                "pattern_detection",
                "It flags patterns for a person to review, without replacing their assessment",
            ),
            ("preparatory", "It does preparatory work for an assessment"),
        ),
        shown_when=(("decision_domain", ANNEX_III_AREAS),),  # Art. 6(3) only derogates from Annex III
    ),
    Question(
        "art6_3_justification",
        TEXT,
        "Why is its role minor?",
        "Needed when you claim its role is minor: explain it for the legal review.",
        "screening",
        shown_when=(("art6_3_exemption", ART6_3_CLAIMS),),
    ),
)

QUESTIONS_BY_NAME: dict[str, Question] = {q.name: q for q in QUESTIONS}
ANSWER_FIELDS: tuple[str, ...] = tuple(q.name for q in QUESTIONS)


@dataclass
class AnswerErrors:
    errors: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)


class AnswersInvalid(DomainError):
    """One or more answers are not acceptable; `errors` names each field."""


def _clean_one(question: Question, value: Any, errors: AnswerErrors) -> Any:
    kind = question.kind
    if kind in (ONE, LEVEL):
        if question.name == "autonomy" and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or value not in question.values:
            errors.add(question.name, f"“{value}” is not one of: {', '.join(question.values)}.")
            return None
        return int(value) if question.name == "autonomy" else value
    if kind == MANY:
        if not isinstance(value, list | tuple):
            errors.add(question.name, "Expected a list of values.")
            return None
        unknown = [v for v in value if not isinstance(v, str) or v not in question.values]
        if unknown:
            errors.add(
                question.name,
                f"Unknown value(s) {', '.join(map(str, unknown))}; allowed: {', '.join(question.values)}.",
            )
            return None
        # Canonical order (the order of the choices) and no repeats, so equal answers hash equally.
        return [v for v in question.values if v in set(value)]
    if kind == BOOL:
        if not isinstance(value, bool):
            errors.add(question.name, "Expected true or false.")
            return None
        return value
    if kind == TEXT:
        if not isinstance(value, str):
            errors.add(question.name, "Expected text.")
            return None
        value = value.strip()
        if len(value) > question.max_length:
            errors.add(question.name, f"At most {question.max_length} characters.")
            return None
        if has_control_characters(value):
            errors.add(question.name, CONTROL_MESSAGE)
            return None
        return value
    raise AssertionError(f"unknown question kind {kind}")


def clean_answers(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Validate a (possibly partial) set of answers. Unknown fields and values are refused, naming the field."""
    errors = AnswerErrors()
    cleaned: dict[str, Any] = {}
    for name, value in raw.items():
        question = QUESTIONS_BY_NAME.get(name)
        if question is None:
            errors.add(name, "Unknown question.")
            continue
        if value is None:
            continue  # unanswered
        result = _clean_one(question, value, errors)
        if result is not None:
            cleaned[name] = result
    if errors.errors:
        raise AnswersInvalid("Some answers are not valid.", errors=errors.errors)
    return cleaned


# The questions without which the EU AI Act tier or the risk-boundary verdict could still change: the tier rules read
# the EU connection, the decision area, a claimed minor role and profiling (which refuses that claim), and whether
# emotion recognition at work is for medical or safety reasons (the Art. 5(1)(f) exception); the boundary
# reads the data, the users, how the AI is sourced, from whom and where, the autonomy and, through the inherent score,
# how many use it, what happens with its output and whether it can be stopped. The lists that may be left blank
# ("none"), the free text no rule reads and the questions that only add duties (public_body) are not among them.
# tests/intake/test_dependent_questions.py keeps this in step with the rules.
VERDICT_QUESTIONS: tuple[str, ...] = (
    "sourcing",
    "provider",
    "hosting_region",
    "data_classification",
    "users",
    "user_count",
    "output_use",
    "decision_domain",
    "annex_i_role",
    "annex_i_third_party",
    "profiling",
    "autonomy",
    "kill_switch",
    "eu_nexus",
    "emotion_recognition_purpose",
    "rbi_purpose",
    "assistive_editing",
    "editorial_responsibility",
    "art6_3_exemption",
)

REQUIRED_MESSAGES = {"art6_3_justification": "Explain why its role is minor, for the legal review."}


def _unanswered(value: Any) -> bool:
    return value is None or value == ""


def applies(question: Question, answers: Mapping[str, Any]) -> bool:
    """Whether the question is asked, given the answers so far (every question without `shown_when` is)."""
    for name, values in question.shown_when:
        answer = answers.get(name)
        if isinstance(answer, bool):
            answer = "yes" if answer else "no"  # as the form's yes/no choice says it
        # A many-choice answer holds when any of its choices is among `values`.
        holds = any(v in values for v in answer) if isinstance(answer, list) else answer in values
        if not holds or not applies(QUESTIONS_BY_NAME[name], answers):
            return False
    return True


def applicable_answers(answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers without those to questions that no longer apply (an Art. 6(3) claim once the area is "None")."""
    return {
        name: value
        for name, value in answers.items()
        if name not in QUESTIONS_BY_NAME or applies(QUESTIONS_BY_NAME[name], answers)
    }


def missing_for_submission(answers: Mapping[str, Any]) -> dict[str, list[str]]:
    """What must still be answered before submission, per field (empty when complete)."""
    return {
        question.name: [REQUIRED_MESSAGES.get(question.name, "Answer this question before submitting.")]
        for question in QUESTIONS
        if question.required and _unanswered(answers.get(question.name)) and applies(question, answers)
    }


def missing_for_verdict(answers: Mapping[str, Any]) -> list[str]:
    """The questions that decide the tier or the boundary verdict, that apply and are still unanswered, in order."""
    return [
        name
        for name in VERDICT_QUESTIONS
        if _unanswered(answers.get(name)) and applies(QUESTIONS_BY_NAME[name], answers)
    ]


def full_answers(answers: Mapping[str, Any]) -> dict[str, Any]:
    """Every question present: unanswered "many" questions as [], other unanswered ones as None."""
    return {q.name: answers.get(q.name, [] if q.kind == MANY else None) for q in QUESTIONS}
