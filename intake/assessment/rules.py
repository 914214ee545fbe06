"""The ruleset: every rule as data, with an id, a plain-language reason, a citation and what it adds to the assessment.

Rules are evaluated in the order of `RULES`. The tier rules read only the answers; the role rules also read the tier
(`eu_tier`: Art. 25(1) changes the role only for high-risk systems); every later rule may also read the role
(`eu_role`) and `eu_derogation` (a recorded Art. 6(3) derogation).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from intake.assessment.catalogue import ROLES, TIERS
from intake.assessment.predicates import ALWAYS, NEVER, When, at_least, has, has_any, is_, lacks, no, yes

RULESET_VERSION = "2026.11.2"


@dataclass(frozen=True, eq=False)
class Rule:
    id: str
    when: When
    reason: str  # why it fired, in business words
    citation: str
    tier: str | None = None  # an EU AI Act tier this rule argues for (see catalogue.TIER_PRECEDENCE)
    role: str | None = None  # "provider" when the rule makes us the provider in law
    derogation: str | None = None  # "claimed" (a documented Art. 6(3) derogation) or "refused"
    prohibited: str | None = None  # an entry for eu_ai_act.prohibited_practices
    obligation: str | None = None  # an entry for eu_ai_act.obligations
    transparency: str | None = None  # an entry for eu_ai_act.transparency_duties
    risks: tuple[str, ...] = ()  # OWASP LLM, OWASP agentic and NIST risk ids
    controls: tuple[str, ...] = ()  # control catalogue ids
    likelihood: int = 0  # points added to the base likelihood of 1
    impact: Mapping[str, int] = field(default_factory=dict)  # floors per impact dimension


# Facts the engine derives after the tier rules, with their possible values.
DERIVED_FACTS: dict[str, tuple[str, ...]] = {"eu_tier": TIERS, "eu_role": ROLES, "eu_derogation": ()}


def tier(*tiers: str) -> When:
    return is_("eu_tier", *tiers)


def role(name: str) -> When:
    return is_("eu_role", name)


# Annex III: each decision area of the intake and the point of the Annex that lists it.
ANNEX_III: dict[str, tuple[str, str]] = {
    "biometric_identification": (
        "1(a)",
        "identifying people remotely from their biometrics (not one-to-one verification)",
    ),
    "biometric_categorisation": (
        "1(b)",
        "sorting people by sensitive or protected traits inferred from biometrics",
    ),
    "emotion_recognition": ("1(c)", "recognising people's emotions"),
    "critical_infrastructure": (
        "2",
        "a safety component of critical digital infrastructure, road traffic, or the supply of water, gas, heating or electricity",
    ),
    "education_access": ("3(a)", "deciding access or admission to education and training"),
    "education_assessment": ("3(b)", "evaluating learning outcomes"),
    "education_level": ("3(c)", "assessing the level of education a person will receive or can access"),
    "education_proctoring": ("3(d)", "watching students for prohibited behaviour during tests"),
    "employment_recruitment": (
        "4(a)",
        "recruiting or selecting people: targeting job ads, screening applications, evaluating candidates",
    ),
    "employment_decisions": ("4(b)", "decisions on work terms, promotion or termination"),
    "employment_task_allocation": (
        "4(b)",
        "allocating work based on individual behaviour or personal traits",
    ),
    "employment_monitoring": ("4(b)", "monitoring and evaluating how workers perform and behave"),
    "public_benefits": ("5(a)", "evaluating eligibility for essential public benefits and services"),
    "credit_scoring": (
        "5(b)",
        "evaluating creditworthiness or setting credit scores (fraud detection excepted)",
    ),
    "insurance_pricing": ("5(c)", "risk assessment and pricing for life and health insurance"),
    "emergency_triage": (
        "5(d)",
        "evaluating emergency calls, dispatching emergency services, or triaging patients",
    ),
    "law_enforcement": ("6", "use by or for law enforcement authorities"),
    "migration_border": ("7", "migration, asylum and border control"),
    "justice": (
        "8(a)",
        "helping a court or dispute resolution body research and apply the facts and the law",
    ),
    "elections": ("8(b)", "influencing the outcome of an election or referendum, or how people vote"),
}

# Art. 6(3)(a)-(d): the minor-role exemptions the intake offers.
ART6_3_EXEMPTIONS: dict[str, tuple[str, str]] = {
    "narrow_procedural": ("a", "it only performs a narrow procedural task"),
    "improves_human_work": ("b", "it only improves the result of work a person has already completed"),
    "pattern_detection": (
        "c",
        "it only flags patterns or deviations in past decisions for a person to review, without replacing their assessment",
    ),
    "preparatory": ("d", "it only does preparatory work for an assessment"),
}

# Conditions the tables share.
# The company's own ban on real-time remote biometric identification outside law enforcement, where the Act only
# makes it high-risk. Its rule cites the policy, never Art. 5.
COMPANY_BANS_REALTIME_RBI = True
# A general-purpose AI model of ours that others may use (presumed so until "only we use it" is answered).
GPAI_PLACED = is_("gpai_model", "yes") & ~is_("gpai_placement", "own_use")
SYSTEMIC_RISK = is_("gpai_systemic_risk", "compute", "designated")
REALTIME_RBI = has("prohibited_practices", "realtime_remote_biometric_id")
# Art. 2(3), 2(6) and 2(8): uses the Act leaves out whatever they do.
EXCLUDED_USE = has(
    "scope_exclusions", "military_defence_security", "scientific_research", "pre_market_research"
)
# Presumed until the EU connection is answered "none" or an exclusion is claimed. The rules read after the tier use
# IN_SCOPE instead, which also knows the Art. 2(12) open-source exclusion (decided once the tier is known).
ACT_APPLIES = ~is_("eu_nexus", "none") & ~EXCLUDED_USE
IN_SCOPE = ~is_("eu_tier", "not_applicable")
ANNEX_III_USE = is_("decision_domain", *ANNEX_III)
ANNEX_I_USE = is_("decision_domain", "annex_i_safety_component")
# Art. 6(1)(b): high-risk only when the product's law requires a third-party conformity assessment (presumed so).
ANNEX_I_HIGH_RISK = ANNEX_I_USE & ~no("annex_i_third_party")
# Art. 2(2): for the products of Annex I Section B only Art. 6(1), 102-109 and 112 apply, through their own law.
SECTION_B = ANNEX_I_USE & is_("annex_i_section", "section_b")
SYNTHETIC_CONTENT = has("transparency_triggers", "synthetic_media", "synthetic_text") & ~yes(
    "assistive_editing"
)
EXEMPTION_CLAIMED = is_("art6_3_exemption", *ART6_3_EXEMPTIONS)
DEROGATED = EXEMPTION_CLAIMED & no("profiling")  # profiling always keeps an Annex III use high-risk
EXTERNAL_USERS = is_("users", "customers", "public")
UNTRUSTED_SOURCES = has("retrieval_sources", "web", "user_uploads", "email")
THIRD_PARTY_MODEL = is_("sourcing", "consumer_app", "enterprise_saas", "api_model", "fine_tuned")
OWN_TRAINING = is_("sourcing", "fine_tuned", "self_trained")
# An Annex III use that decides, or helps decide, about people: every area but critical infrastructure (point 2),
# whose systems are safety components of infrastructure, not decisions about persons.
# Emotion recognition at work or in education put in place for medical or safety reasons: outside Art. 5(1)(f).
MEDICAL_OR_SAFETY = is_("emotion_recognition_purpose", "medical", "safety")
EMOTION_RECOGNITION = (
    has("transparency_triggers", "emotion_recognition")
    | is_("decision_domain", "emotion_recognition")
    | (has("prohibited_practices", "emotion_recognition_workplace_education") & MEDICAL_OR_SAFETY)
)
# A system whose output is shown live to customers interacts with them directly, ticked or not.
INTERACTS_WITH_PEOPLE = has("transparency_triggers", "interacts_with_people") | is_(
    "output_use", "customer_interactive"
)
HIGH_RISK_DUTIES = is_("eu_tier", "high") & ~SECTION_B
DECISIONS_ABOUT_PEOPLE = ANNEX_III_USE & ~is_("decision_domain", "critical_infrastructure")
WRITE_TOOLS = has(
    "tool_permissions",
    "write_internal",
    "external_communications",
    "financial_transactions",
    "code_execution",
    "production_infrastructure",
)
AGENTIC = has("capabilities", "tool_use", "multi_agent", "memory") | at_least("autonomy", "2")
SENSITIVE_PERSONAL_DATA = has("personal_data", "special_category", "biometric", "children", "health")
UNREVIEWED_OUTPUT = is_("output_use", "published", "customer_interactive", "automated_action")
EMPLOYMENT_USE = is_(
    "decision_domain",
    "employment_recruitment",
    "employment_decisions",
    "employment_task_allocation",
    "employment_monitoring",
)


# --- EU AI Act: scope, prohibitions, high-risk classification, transparency and role (these decide the tier) -------

SCOPE_RULES = (
    Rule(
        "EU-NOT-APPLICABLE",
        is_("eu_nexus", "none"),
        "It is not used in the EU, does not affect people in the EU and its output is not used there, so the EU AI Act "
        "does not apply. The company AI policy still does.",
        "EU AI Act Art. 2(1)",
        tier="not_applicable",
        obligation="Follow the company AI policy: train the people involved, tell people when they deal with AI, "
        "and keep to the banned-practices list.",
        controls=("C-18",),
    ),
    *(
        Rule(
            f"EU-ART2-{paragraph}-{name}",
            ~is_("eu_nexus", "none") & has("scope_exclusions", exclusion),
            f"It is {what}, which the EU AI Act leaves out of its scope. The company AI policy still applies.",
            f"EU AI Act Art. 2({paragraph})",
            tier="not_applicable",
            obligation="Follow the company AI policy: train the people involved, tell people when they deal with AI, "
            "and keep to the banned-practices list.",
            controls=("C-18",),
        )
        for paragraph, name, exclusion, what in (
            (
                "3",
                "MILITARY",
                "military_defence_security",
                "used only for military, defence or national security",
            ),
            (
                "6",
                "RESEARCH",
                "scientific_research",
                "developed and used only for scientific research and development",
            ),
            (
                "8",
                "PRE-MARKET",
                "pre_market_research",
                "only researched, tested or developed before it is put into use, without testing in real-world "
                "conditions",
            ),
        )
    ),
)

# Art. 2(12), read once the tier is known: open source is out of scope unless it is high-risk, banned or under Art. 50.
SCOPE_AFTER_TIER_RULES = (
    Rule(
        "EU-ART2-12-OPEN-SOURCE",
        ACT_APPLIES & has("scope_exclusions", "open_source") & is_("eu_tier", "minimal"),
        "It is released under a free and open-source licence and is neither high-risk, nor banned, nor under the "
        "transparency duties, so the EU AI Act leaves it out of its scope. The company AI policy still applies.",
        "EU AI Act Art. 2(12)",
        tier="not_applicable",
        obligation="Follow the company AI policy: train the people involved, tell people when they deal with AI, "
        "and keep to the banned-practices list.",
        controls=("C-18",),
    ),
)

# The banned practices are listed whatever the EU connection: company policy bans them everywhere.
PROHIBITION_RULES = (
    Rule(
        "EU-ART5-1A-SUBLIMINAL",
        has("prohibited_practices", "subliminal_manipulation"),
        "It would manipulate people with techniques they are not aware of, or that deceive them, in a way that can cause "
        "significant harm. This is banned in the EU and by company policy.",
        "EU AI Act Art. 5(1)(a)",
        tier="prohibited",
        prohibited="Subliminal, manipulative or deceptive techniques that distort behaviour and cause significant harm",
        controls=("C-17",),
    ),
    Rule(
        "EU-ART5-1B-VULNERABILITIES",
        has("prohibited_practices", "exploiting_vulnerabilities"),
        "It would exploit people's age, disability or social or economic situation to change their behaviour in a "
        "harmful way. This is banned in the EU and by company policy.",
        "EU AI Act Art. 5(1)(b)",
        tier="prohibited",
        prohibited="Exploiting vulnerabilities of age, disability or a social or economic situation",
        controls=("C-17",),
    ),
    Rule(
        "EU-ART5-1C-SOCIAL-SCORING",
        has("prohibited_practices", "social_scoring"),
        "It would score people on their social behaviour or personal traits and treat them worse for it in unrelated "
        "settings or out of proportion. This is banned in the EU and by company policy.",
        "EU AI Act Art. 5(1)(c)",
        tier="prohibited",
        prohibited="Social scoring leading to unjustified or disproportionate detrimental treatment",
        controls=("C-17",),
    ),
    Rule(
        "EU-ART5-1D-CRIME-PREDICTION",
        has("prohibited_practices", "crime_prediction_profiling"),
        "It would predict whether someone will commit a crime from their profile or personality alone. This is banned "
        "in the EU and by company policy.",
        "EU AI Act Art. 5(1)(d)",
        tier="prohibited",
        prohibited="Predicting criminal offences based solely on profiling or personality traits",
        controls=("C-17",),
    ),
    Rule(
        "EU-ART5-1E-FACIAL-SCRAPING",
        has("prohibited_practices", "facial_scraping"),
        "It would build or grow a face recognition database by scraping images from the internet or CCTV. This is "
        "banned in the EU and by company policy.",
        "EU AI Act Art. 5(1)(e)",
        tier="prohibited",
        prohibited="Untargeted scraping of facial images to build facial recognition databases",
        controls=("C-17",),
    ),
    Rule(
        "EU-ART5-1F-EMOTION-WORK-EDUCATION",
        has("prohibited_practices", "emotion_recognition_workplace_education") & ~MEDICAL_OR_SAFETY,
        "It would recognise the emotions of people at work or in education, and not for medical or safety reasons. "
        "This is banned in the EU, and company policy bans it.",
        "EU AI Act Art. 5(1)(f)",
        tier="prohibited",
        prohibited="Emotion recognition in the workplace or in education (outside medical or safety reasons)",
        controls=("C-17",),
    ),
    Rule(
        "EU-ART5-1F-MEDICAL-SAFETY-EXCEPTION",
        ACT_APPLIES
        & has("prohibited_practices", "emotion_recognition_workplace_education")
        & MEDICAL_OR_SAFETY,
        "It recognises the emotions of people at work or in education for medical or safety reasons, which the ban "
        "excepts; an emotion recognition system is then a high-risk use listed in the Act.",
        "EU AI Act Art. 5(1)(f); Art. 6(2), Annex III point 1(c)",
        tier="high",
        controls=("C-17",),
    ),
    Rule(
        "EU-ART5-1G-BIOMETRIC-SENSITIVE",
        has("prohibited_practices", "biometric_categorisation_sensitive"),
        "It would use biometrics to infer race, political opinions, union membership, beliefs, sex life or sexual "
        "orientation. This is banned in the EU and by company policy.",
        "EU AI Act Art. 5(1)(g)",
        tier="prohibited",
        prohibited="Biometric categorisation inferring sensitive characteristics",
        controls=("C-17",),
    ),
    Rule(
        "EU-ART5-1H-REALTIME-RBI",
        REALTIME_RBI & ~is_("rbi_purpose", "law_enforcement_authorised", "not_law_enforcement"),
        "It would identify people remotely and in real time in public places for law enforcement, outside the "
        "objectives and the prior authorisation the Act allows. This is banned in the EU and by company policy.",
        "EU AI Act Art. 5(1)(h)",
        tier="prohibited",
        prohibited="Real-time remote biometric identification in publicly accessible spaces for law enforcement",
        controls=("C-17",),
    ),
    Rule(
        "EU-ART5-1H-AUTHORISED-EXCEPTION",
        ACT_APPLIES & REALTIME_RBI & is_("rbi_purpose", "law_enforcement_authorised"),
        "It identifies people remotely and in real time for law enforcement, for an objective the Act allows and with "
        "prior authorisation: not banned, but a high-risk use listed in the Act, under the conditions of Art. 5(2)–(5).",
        "EU AI Act Art. 5(1)(h)(i)–(iii), 5(2)–(5); Art. 6(2), Annex III point 1(a)",
        tier="high",
        obligation="Use it only for the authorised objective, place and time, with the prior authorisation of a "
        "judicial or independent administrative authority for each use; complete the fundamental rights impact "
        "assessment and the registration first; notify the market surveillance and data protection authorities "
        "of each use.",
        controls=("C-11", "C-16", "C-17"),
    ),
    Rule(
        "EU-ANNEX-III-1A-REALTIME-RBI",
        ACT_APPLIES & REALTIME_RBI & is_("rbi_purpose", "not_law_enforcement"),
        "It identifies people remotely and in real time, but not for law enforcement, so Art. 5(1)(h) does not ban "
        "it; it is a high-risk use listed in the Act, and rarely lawful under data protection law.",
        "EU AI Act Art. 6(2), Annex III point 1(a); GDPR Art. 9",
        tier="high",
        controls=("C-17",),
    ),
    Rule(
        "POLICY-REALTIME-RBI",
        REALTIME_RBI & is_("rbi_purpose", "not_law_enforcement") if COMPANY_BANS_REALTIME_RBI else NEVER,
        "Company policy bans identifying people remotely and in real time in public places, whoever does it. The "
        "Act itself does not ban it outside law enforcement.",
        "Company AI policy",
        tier="prohibited",
        prohibited="Real-time remote biometric identification in publicly accessible spaces (company policy)",
        controls=("C-17",),
    ),
    Rule(
        "POLICY-INTIMATE-IMAGERY-CSAM",
        has("prohibited_practices", "intimate_imagery_csam"),
        "It could create intimate images of real people without consent or child sexual abuse material. This is not one "
        "of the practices listed in Art. 5 of Regulation (EU) 2024/1689, but it is a crime under other EU law and "
        "banned by company policy, so it is treated as prohibited.",
        "Directive 2011/93/EU Art. 5; Directive (EU) 2024/1385 Art. 5; company AI policy",
        tier="prohibited",
        prohibited="Creating non-consensual intimate imagery or child sexual abuse material",
        controls=("C-17",),
    ),
)

HIGH_RISK_RULES = (
    *(
        Rule(
            f"EU-ANNEX-III-{domain.upper().replace('_', '-')}",
            ACT_APPLIES & is_("decision_domain", domain) & ~DEROGATED,
            f"It is used for {what}: a high-risk use listed in the Act.",
            f"EU AI Act Art. 6(2), Annex III point {point}",
            tier="high",
            controls=("C-17",),
        )
        for domain, (point, what) in ANNEX_III.items()
    ),
    Rule(
        "EU-ANNEX-I-SAFETY-COMPONENT",
        ACT_APPLIES & ANNEX_I_HIGH_RISK & ~is_("annex_i_role", "product"),
        "It is a safety component of a product covered by EU product-safety law (machinery, medical devices, toys, "
        "lifts, …) that must pass a third-party conformity assessment, which makes it high-risk whatever role it plays.",
        "EU AI Act Art. 6(1), Annex I",
        tier="high",
        controls=("C-17",),
    ),
    Rule(
        "EU-ANNEX-I-PRODUCT",
        ACT_APPLIES & ANNEX_I_HIGH_RISK & is_("annex_i_role", "product"),
        "The AI system is itself a product covered by EU product-safety law that must pass a third-party conformity "
        "assessment, which makes it high-risk.",
        "EU AI Act Art. 6(1), Annex I",
        tier="high",
        controls=("C-17",),
    ),
    Rule(
        "EU-ART6-1B-NO-THIRD-PARTY-ASSESSMENT",
        ACT_APPLIES & ANNEX_I_USE & no("annex_i_third_party"),
        "The product's own law does not require a third-party conformity assessment, so Art. 6(1) does not make it "
        "high-risk.",
        "EU AI Act Art. 6(1)(b)",
        obligation="Keep the record showing that the product's law needs no third-party conformity assessment, and "
        "check it again when that law or the product changes.",
        controls=("C-17",),
    ),
)

DEROGATION_RULES = (
    *(
        Rule(
            f"EU-ART6-3{letter.upper()}-DEROGATION",
            ACT_APPLIES & ANNEX_III_USE & is_("art6_3_exemption", exemption) & no("profiling"),
            f"Its area is listed as high-risk, but the request says {what} and it does not profile people, so it is "
            "treated as not high-risk. This is a documented derogation: legal must confirm it, and it must be "
            "registered in the EU database.",
            f"EU AI Act Art. 6(3)({letter}), 6(4), 49(2)",
            derogation="claimed",
            obligation="Document why it is not high-risk before it is used, register it in the EU database, and give "
            "the documentation to the authorities on request.",
            controls=("C-16", "C-17"),
        )
        for exemption, (letter, what) in ART6_3_EXEMPTIONS.items()
    ),
    Rule(
        "EU-ART6-3-PROFILING-KEEPS-HIGH",
        ACT_APPLIES & ANNEX_III_USE & EXEMPTION_CLAIMED & yes("profiling"),
        "A minor role in the decision is claimed, but it profiles people, and a listed high-risk use that profiles "
        "people is always high-risk. The exemption cannot apply.",
        "EU AI Act Art. 6(3), third subparagraph",
        derogation="refused",
    ),
    Rule(
        "EU-ART6-3-NOT-FOR-ANNEX-I",
        ACT_APPLIES & ANNEX_I_USE & EXEMPTION_CLAIMED,
        "A minor role in the decision is claimed, but that exemption only covers the uses listed in Annex III; a "
        "product safety component stays high-risk.",
        "EU AI Act Art. 6(1), 6(3)",
        derogation="refused",
    ),
)

TRANSPARENCY_RULES = (
    Rule(
        "EU-ART50-1-AI-INTERACTION",
        ACT_APPLIES & INTERACTS_WITH_PEOPLE,
        "People deal with it directly (its output is shown to them live), so they must be told they are dealing with "
        "an AI system.",
        "EU AI Act Art. 50(1)",
        tier="limited",
        transparency="Tell people they are interacting with an AI system, unless it is obvious from the context.",
        controls=("C-01",),
    ),
    Rule(
        "EU-ART50-2-SYNTHETIC-CONTENT",
        ACT_APPLIES & SYNTHETIC_CONTENT,
        "It creates images, audio, video or text, which must carry a machine-readable mark showing they are "
        "AI-generated.",
        "EU AI Act Art. 50(2)",
        tier="limited",
        controls=("C-02",),
    ),
    Rule(
        "EU-ART50-3-EMOTION-RECOGNITION",
        ACT_APPLIES & EMOTION_RECOGNITION,
        "It recognises emotions, so the people exposed to it must be told.",
        "EU AI Act Art. 50(3)",
        tier="limited",
        transparency="Inform the people exposed to emotion recognition that it is in operation.",
        controls=("C-01",),
    ),
    Rule(
        "EU-ART50-3-BIOMETRIC-CATEGORISATION",
        ACT_APPLIES
        & (
            has("transparency_triggers", "biometric_categorisation")
            | is_("decision_domain", "biometric_categorisation")
        ),
        "It sorts people by biometric traits, so the people exposed to it must be told.",
        "EU AI Act Art. 50(3)",
        tier="limited",
        transparency="Inform the people exposed to biometric categorisation that it is in operation.",
        controls=("C-01",),
    ),
    Rule(
        "EU-ART50-4-DEEPFAKE",
        ACT_APPLIES & has("transparency_triggers", "deepfake"),
        "It imitates real people, places or events, so viewers must be told the content is artificial.",
        "EU AI Act Art. 50(4), first subparagraph",
        tier="limited",
        transparency="Disclose that images, audio or video imitating real people, places or events are artificially "
        "generated or manipulated.",
        controls=("C-02",),
    ),
    Rule(
        "EU-ART50-4-PUBLIC-INTEREST-TEXT",
        ACT_APPLIES & has("transparency_triggers", "public_interest_text") & ~yes("editorial_responsibility"),
        "It publishes text on matters of public interest, which must be disclosed as AI-generated unless a person "
        "reviews it and takes editorial responsibility.",
        "EU AI Act Art. 50(4), second subparagraph",
        tier="limited",
        transparency="Disclose that text published to inform the public is AI-generated, unless a person reviews it "
        "and holds editorial responsibility.",
        controls=("C-02",),
    ),
)

# Read after the tier: Art. 25(1) makes a distributor, importer or deployer the provider of a *high-risk* system only.
# Exceptions the Regulation writes into a duty: they explain why it is absent.
EXCEPTION_RULES = (
    Rule(
        "EU-ART50-2-ASSISTIVE-EDITING",
        ACT_APPLIES
        & has("transparency_triggers", "synthetic_media", "synthetic_text")
        & yes("assistive_editing"),
        "It only assists standard editing without substantially changing the content, so its output need not be "
        "marked as AI-generated.",
        "EU AI Act Art. 50(2)",
    ),
    Rule(
        "EU-ART50-4-EDITORIAL-RESPONSIBILITY",
        ACT_APPLIES & has("transparency_triggers", "public_interest_text") & yes("editorial_responsibility"),
        "A person reviews the text and the company holds editorial responsibility for publishing it, so it need not "
        "be disclosed as AI-generated.",
        "EU AI Act Art. 50(4), second subparagraph",
    ),
)

ROLE_RULES = (
    Rule(
        "EU-ART3-3-OWN-DEVELOPMENT",
        IN_SCOPE & OWN_TRAINING,
        "We develop it ourselves (we train or fine-tune its model) and put it into service for our own use, which "
        "makes us its provider in law, whatever else is said of its role.",
        "EU AI Act Art. 3(3), 3(11)",
        role="provider",
    ),
    Rule(
        "EU-ART3-3-OWN-NAME",
        IN_SCOPE & ~tier("high") & has("role_modifiers", "rebrand"),
        "We offer it under our own name or trademark, which makes us its provider in law.",
        "EU AI Act Art. 3(3)",
        role="provider",
    ),
    Rule(
        "EU-ART25-1A-OWN-NAME",
        IN_SCOPE & tier("high") & has("role_modifiers", "rebrand"),
        "We offer a high-risk system under our own name or trademark, which makes us its provider in law.",
        "EU AI Act Art. 25(1)(a); Art. 3(3)",
        role="provider",
    ),
    Rule(
        "EU-ART25-1B-SUBSTANTIAL-MODIFICATION",
        IN_SCOPE & tier("high") & has("role_modifiers", "substantial_modification"),
        "We substantially modify a high-risk system, which makes us the provider of the modified system.",
        "EU AI Act Art. 25(1)(b)",
        role="provider",
    ),
    Rule(
        "EU-ART25-1C-NEW-PURPOSE",
        IN_SCOPE & tier("high") & has("role_modifiers", "repurpose"),
        "We use it for a high-risk purpose it was not built for, which makes us its provider.",
        "EU AI Act Art. 25(1)(c)",
        role="provider",
    ),
    Rule(
        "EU-ART25-1C-GENERAL-PURPOSE-APP",
        IN_SCOPE
        & tier("high")
        & ANNEX_III_USE
        & is_("sourcing", "consumer_app")
        & lacks("role_modifiers", "repurpose"),
        "A general-purpose AI app, built for no particular purpose, put to a high-risk use listed in the Act: that "
        "changes its intended purpose, which makes us its provider.",
        "EU AI Act Art. 25(1)(c); Art. 3(12)",
        role="provider",
    ),
)

TIER_RULES = (
    *SCOPE_RULES,
    *PROHIBITION_RULES,
    *HIGH_RISK_RULES,
    *DEROGATION_RULES,
    *TRANSPARENCY_RULES,
    *EXCEPTION_RULES,
)


# --- EU AI Act: obligations by tier and role ---------------------------------------------------------------------

OBLIGATION_RULES = (
    Rule(
        "EU-ART4-AI-LITERACY",
        IN_SCOPE,
        "Everyone who operates or uses an AI system for the company needs enough AI literacy for their role.",
        "EU AI Act Art. 4",
        obligation="Make sure the staff who run or use it have sufficient AI literacy for their role.",
        controls=("C-18",),
    ),
    Rule(
        "EU-MINIMAL-RISK",
        tier("minimal"),
        "No banned practice, high-risk use or transparency trigger: minimal risk, with no specific duties beyond AI "
        "literacy. Voluntary codes of conduct may be followed.",
        "EU AI Act Art. 95",
    ),
    Rule(
        "EU-ART2-2-SECTION-B",
        tier("high") & SECTION_B,
        "It belongs to a product under Annex I Section B (vehicles, aircraft, ships, rail, …): the Act reaches it "
        "only through that product's own type-approval law, which Art. 102–109 amend, not through its own high-risk "
        "duties.",
        "EU AI Act Art. 2(2); Art. 6(1), 102–109",
        obligation="Meet the AI requirements as the product's own EU law now sets them, in its type-approval.",
        controls=("C-17",),
    ),
    Rule(
        "EU-ART26-1-INSTRUCTIONS",
        HIGH_RISK_DUTIES,
        "A high-risk system must be used as its provider's instructions say.",
        "EU AI Act Art. 26(1)",
        obligation="Use it according to the provider's instructions for use, with the technical and organisational "
        "measures they require.",
        controls=("C-17",),
    ),
    Rule(
        "EU-ART26-2-HUMAN-OVERSIGHT",
        HIGH_RISK_DUTIES,
        "A high-risk system needs named people overseeing it who have the competence, training and authority to step in.",
        "EU AI Act Art. 26(2)",
        obligation="Assign human oversight to named people with the competence, training, authority and support to do it.",
        controls=("C-15",),
    ),
    Rule(
        "EU-ART26-4-INPUT-DATA",
        HIGH_RISK_DUTIES,
        "The data we feed a high-risk system must fit its purpose.",
        "EU AI Act Art. 26(4)",
        obligation="Make sure the input data we control is relevant and sufficiently representative for its purpose.",
        controls=("C-12",),
    ),
    Rule(
        "EU-ART26-5-MONITORING",
        HIGH_RISK_DUTIES,
        "A high-risk system must be watched in use, and suspended and reported when it puts people at risk.",
        "EU AI Act Art. 26(5)",
        obligation="Monitor it in use; if it presents a risk, suspend it and inform the provider and the market "
        "surveillance authority; report serious incidents.",
        controls=("C-13",),
    ),
    Rule(
        "EU-ART26-6-LOGS",
        HIGH_RISK_DUTIES,
        "The logs of a high-risk system must be kept for at least six months.",
        "EU AI Act Art. 26(6)",
        obligation="Keep the logs it generates, under our control, for at least six months.",
        controls=("C-08",),
    ),
    Rule(
        "EU-ART26-7-INFORM-WORKERS",
        HIGH_RISK_DUTIES & (has("affected_persons", "employees") | EMPLOYMENT_USE),
        "It is a high-risk system used at work on staff or candidates, so workers and their representatives must be "
        "told before it is used.",
        "EU AI Act Art. 26(7)",
        obligation="Before using it at the workplace, inform workers' representatives and the workers affected.",
        controls=("C-14",),
    ),
    Rule(
        "EU-ART26-8-PUBLIC-BODY-REGISTRATION",
        HIGH_RISK_DUTIES
        & yes("public_body")
        & ~is_("public_body_kind", "public_service")
        & DECISIONS_ABOUT_PEOPLE,
        "A public authority, or someone acting on its behalf, must register its use of a listed high-risk system in "
        "the EU database before using it (a private company providing a public service need not).",
        "EU AI Act Art. 26(8), 49(3)",
        obligation="Register our use in the EU database before use, and do not use a system that is not registered there.",
        controls=("C-16",),
    ),
    Rule(
        "EU-ART26-9-DPIA",
        HIGH_RISK_DUTIES & has_any("personal_data"),
        "A high-risk system that processes personal data needs a data protection impact assessment, using the "
        "provider's information.",
        "EU AI Act Art. 26(9); GDPR Art. 35",
        obligation="Carry out the data protection impact assessment using the information the provider gives.",
        controls=("C-10",),
    ),
    Rule(
        "EU-ART26-11-INFORM-AFFECTED",
        HIGH_RISK_DUTIES & DECISIONS_ABOUT_PEOPLE,
        "People it makes or helps make decisions about must be told that a high-risk AI system is used.",
        "EU AI Act Art. 26(11)",
        obligation="Tell the people it makes or helps make decisions about that a high-risk AI system is used.",
        controls=("C-19",),
    ),
    Rule(
        "EU-ART86-EXPLANATION",
        HIGH_RISK_DUTIES & DECISIONS_ABOUT_PEOPLE,
        "People significantly affected by a decision based on its output can ask for an explanation of the AI's role.",
        "EU AI Act Art. 86(1)",
        obligation="Be able to explain clearly the role the AI system played in a decision, and its main elements, to "
        "the person affected.",
        controls=("C-19",),
    ),
    Rule(
        "EU-ART27-FRIA",
        HIGH_RISK_DUTIES
        & DECISIONS_ABOUT_PEOPLE
        & (yes("public_body") | is_("decision_domain", "credit_scoring", "insurance_pricing")),
        "A public authority, or a private company providing a public service, using a high-risk system, and anyone "
        "using one for credit scoring or life and health insurance pricing, must assess the impact on fundamental "
        "rights first.",
        "EU AI Act Art. 27(1), 27(3)",
        obligation="Carry out a fundamental rights impact assessment before first use and notify the market "
        "surveillance authority of the results.",
        controls=("C-11",),
    ),
    Rule(
        "EU-ART16-PROVIDER-DUTIES",
        HIGH_RISK_DUTIES & role("provider"),
        "As the provider of a high-risk system we carry the provider's duties, not only the user's.",
        "EU AI Act Art. 16; Art. 9–15, 17",
        obligation="Meet the provider duties: risk management, data governance, technical documentation, record "
        "keeping, instructions for use, human oversight by design, accuracy, robustness and cybersecurity, and a "
        "quality management system.",
        controls=("C-17",),
    ),
    Rule(
        "EU-ART43-CONFORMITY",
        HIGH_RISK_DUTIES & role("provider"),
        "A provider must prove a high-risk system conforms before it is placed on the market or put into service.",
        "EU AI Act Art. 16(f)–(h), 43, 47, 48",
        obligation="Complete the conformity assessment, sign the EU declaration of conformity and affix the CE "
        "marking before it is placed on the market or put into service.",
        controls=("C-17",),
    ),
    Rule(
        "EU-ART49-1-PROVIDER-REGISTRATION",
        HIGH_RISK_DUTIES & role("provider") & DECISIONS_ABOUT_PEOPLE,
        "A provider must register a listed high-risk system in the EU database before it is used.",
        "EU AI Act Art. 49(1)",
        obligation="Register the system in the EU database before it is placed on the market or put into service.",
        controls=("C-16",),
    ),
    Rule(
        "EU-ART49-5-NATIONAL-REGISTRATION",
        HIGH_RISK_DUTIES & role("provider") & is_("decision_domain", "critical_infrastructure"),
        "A provider of a high-risk system for critical infrastructure registers it with the national authority, not "
        "in the EU database.",
        "EU AI Act Art. 49(5); Annex III point 2",
        obligation="Register the system at national level before it is placed on the market or put into service.",
        controls=("C-16",),
    ),
    Rule(
        "EU-ART72-POST-MARKET",
        HIGH_RISK_DUTIES & role("provider"),
        "A provider must keep watching a high-risk system after release and report serious incidents.",
        "EU AI Act Art. 72, 73",
        obligation="Run post-market monitoring and report serious incidents to the authorities.",
        controls=("C-13",),
    ),
    Rule(
        "EU-ART50-2-PROVIDER-MARKING",
        IN_SCOPE & SYNTHETIC_CONTENT & role("provider"),
        "As the provider of a system that generates images, audio or video, we must mark its outputs as "
        "AI-generated.",
        "EU AI Act Art. 50(2)",
        transparency="Mark generated images, audio, video and text in a machine-readable way so they can be detected "
        "as AI-generated.",
        controls=("C-02",),
    ),
    Rule(
        "EU-ART50-2-DEPLOYER-CHECK",
        IN_SCOPE & SYNTHETIC_CONTENT & role("deployer"),
        "Marking generated content is its provider's duty; as its deployer we make sure the provider does it and that "
        "the marks survive our use.",
        "EU AI Act Art. 50(2)",
        transparency="Check that the provider marks the images, audio, video and text it generates as AI-generated "
        "in a machine-readable way, and keep the marks intact when we use or publish them.",
        controls=("C-02",),
    ),
    Rule(
        "EU-ART53-GPAI-PROVIDER",
        IN_SCOPE & is_("sourcing", "self_trained") & ~is_("gpai_model", "yes", "no"),
        "We train the model ourselves; if it is a general-purpose model, we are a general-purpose AI model provider.",
        "EU AI Act Art. 53(1)",
        obligation="If our model is general-purpose: keep technical documentation, inform downstream providers, adopt "
        "a copyright policy and publish a summary of the training content.",
        controls=("C-17",),
    ),
    Rule(
        "EU-ART53-1-GPAI-DUTIES",
        IN_SCOPE & GPAI_PLACED & ~(yes("gpai_open_source") & ~SYSTEMIC_RISK),
        "We place a general-purpose AI model on the market, which makes us its provider with the model duties.",
        "EU AI Act Art. 53(1)",
        obligation="Keep the model's technical documentation for the AI Office, give downstream providers what they "
        "need to integrate it, adopt a copyright policy, and publish a summary of the training content.",
        controls=("C-17",),
    ),
    Rule(
        "EU-ART53-2-OPEN-SOURCE-MODEL",
        IN_SCOPE & GPAI_PLACED & yes("gpai_open_source") & ~SYSTEMIC_RISK,
        "Our general-purpose model is released under a free and open-source licence without systemic risk, so the "
        "documentation duties fall away; the copyright policy and the training summary remain.",
        "EU AI Act Art. 53(2)",
        obligation="Adopt a copyright policy and publish a summary of the training content.",
        controls=("C-17",),
    ),
    Rule(
        "EU-ART55-SYSTEMIC-RISK",
        IN_SCOPE & GPAI_PLACED & SYSTEMIC_RISK,
        "Our general-purpose model has systemic risk (the compute presumption of Art. 51(2), or a designation), "
        "which adds the duties of Art. 55, open source or not.",
        "EU AI Act Art. 51, 52(1), 55(1)",
        obligation="Notify the Commission; evaluate the model with adversarial testing; assess and mitigate systemic "
        "risks; track and report serious incidents to the AI Office; keep the model and its infrastructure secure.",
        controls=("C-06", "C-13", "C-17"),
    ),
    Rule(
        "EU-GPAI-OWN-USE-ONLY",
        IN_SCOPE & is_("gpai_model", "yes") & is_("gpai_placement", "own_use"),
        "We only use our general-purpose model ourselves and do not place it on the market, so the model duties of "
        "Art. 53 do not reach it; the system built on it carries its own.",
        "EU AI Act Art. 53(1); Recital 97",
    ),
)

# Dates are data: (date, what applies, when it is relevant to this use).
KEY_DATES: tuple[tuple[str, str, When], ...] = (
    ("2025-02-02", "Banned practices (Art. 5) and AI literacy (Art. 4) apply.", IN_SCOPE),
    (
        "2025-08-02",
        "Duties of general-purpose AI model providers apply (Art. 53–55); ask the model provider for its documentation.",
        IN_SCOPE,
    ),
    (
        "2026-08-02",
        "The Act applies in general, including the high-risk rules for Annex III uses and the transparency duties of "
        "Art. 50.",
        IN_SCOPE,
    ),
    (
        "2027-08-02",
        "High-risk rules apply to safety components of Annex I products (Art. 6(1)).",
        IN_SCOPE & ANNEX_I_USE,
    ),
)


# --- OWASP Top 10 for LLM Applications 2025 ------------------------------------------------------------------------

OWASP_LLM_RULES = (
    Rule(
        "LLM01-EXTERNAL-USERS",
        EXTERNAL_USERS,
        "Customers or the public type into it, so anyone can try to trick it with crafted instructions.",
        "OWASP LLM01:2025",
        risks=("LLM01",),
        controls=("C-05", "C-06"),
    ),
    Rule(
        "LLM01-UNTRUSTED-CONTENT",
        UNTRUSTED_SOURCES,
        "It reads web pages, uploaded files or email, which can hide instructions that take over its behaviour.",
        "OWASP LLM01:2025",
        risks=("LLM01",),
        controls=("C-05",),
    ),
    Rule(
        "LLM02-CONFIDENTIAL-DATA",
        at_least("data_classification", "confidential"),
        "It sees confidential or restricted information that could leak in its answers or to the vendor.",
        "OWASP LLM02:2025",
        risks=("LLM02",),
        controls=("C-05", "C-09"),
    ),
    Rule(
        "LLM02-PERSONAL-DATA",
        has_any("personal_data"),
        "It handles personal data that could be shown to the wrong person.",
        "OWASP LLM02:2025",
        risks=("LLM02",),
        controls=("C-05",),
    ),
    Rule(
        "LLM03-THIRD-PARTY-MODEL",
        THIRD_PARTY_MODEL,
        "It depends on a model or service from another company, whose components and updates we do not control.",
        "OWASP LLM03:2025",
        risks=("LLM03",),
        controls=("C-09",),
    ),
    Rule(
        "LLM04-OWN-TRAINING",
        OWN_TRAINING,
        "We train or fine-tune the model, so tainted training data could plant bias or hidden behaviour in it.",
        "OWASP LLM04:2025",
        risks=("LLM04",),
        controls=("C-24",),
    ),
    Rule(
        "LLM04-UNTRUSTED-RETRIEVAL",
        has("retrieval_sources", "web", "user_uploads"),
        "It draws on web pages or uploaded files that anyone could seed with false or malicious content.",
        "OWASP LLM04:2025",
        risks=("LLM04",),
        controls=("C-24",),
    ),
    Rule(
        "LLM05-UNREVIEWED-OUTPUT",
        UNREVIEWED_OUTPUT,
        "Its output reaches customers, the public or other systems without a person checking it first.",
        "OWASP LLM05:2025",
        risks=("LLM05",),
        controls=("C-05",),
    ),
    Rule(
        "LLM05-GENERATED-CODE-RUN",
        has("capabilities", "code_generation") & has("tool_permissions", "code_execution"),
        "It writes code and can also run it, so unsafe generated code could execute.",
        "OWASP LLM05:2025",
        risks=("LLM05",),
        controls=("C-22",),
    ),
    Rule(
        "LLM06-AUTONOMY",
        at_least("autonomy", "2"),
        "It carries out actions itself, so a wrong or manipulated decision turns straight into an action.",
        "OWASP LLM06:2025",
        risks=("LLM06",),
        controls=("C-03", "C-04"),
    ),
    Rule(
        "LLM06-WRITE-TOOLS",
        WRITE_TOOLS,
        "It can change records, send messages, move money, run code or change systems, not just read.",
        "OWASP LLM06:2025",
        risks=("LLM06",),
        controls=("C-04",),
    ),
    Rule(
        "LLM06-AUTOMATED-ACTION",
        is_("output_use", "automated_action"),
        "Its output triggers actions automatically; consequential actions need a person's approval.",
        "OWASP LLM06:2025",
        risks=("LLM06",),
        controls=("C-03",),
    ),
    Rule(
        "LLM07-EXTERNAL-USERS",
        EXTERNAL_USERS,
        "Outsiders can coax it into revealing its hidden instructions, so those must hold no secrets or access rules.",
        "OWASP LLM07:2025",
        risks=("LLM07",),
        controls=("C-05",),
    ),
    Rule(
        "LLM08-RETRIEVAL-INDEX",
        has("capabilities", "retrieval_rag"),
        "It looks things up in a search index of our documents, which can leak across users or be poisoned.",
        "OWASP LLM08:2025",
        risks=("LLM08",),
        controls=("C-21",),
    ),
    Rule(
        "LLM08-MIXED-PERMISSIONS",
        has("retrieval_sources", "mixed_permission_internal"),
        "It searches internal content with different access rights, so it could show people documents they may not open.",
        "OWASP LLM08:2025",
        risks=("LLM08",),
        controls=("C-21",),
    ),
    Rule(
        "LLM09-RELIANCE",
        is_("output_use", "decision_support", "published", "customer_interactive"),
        "People rely on its answers or see them without rewriting, so plausible but wrong answers do harm.",
        "OWASP LLM09:2025",
        risks=("LLM09",),
        controls=("C-07",),
    ),
    Rule(
        "LLM10-EXPOSURE",
        EXTERNAL_USERS | is_("user_count", "gte_5000"),
        "Outside or very many users can drive up usage, cost and outages.",
        "OWASP LLM10:2025",
        risks=("LLM10",),
        controls=("C-20",),
    ),
)


# --- OWASP Top 10 for Agentic Applications (only when it acts, remembers or works with other agents) ----------------

OWASP_AGENTIC_RULES = (
    Rule(
        "ASI01-GOAL-HIJACK",
        AGENTIC & (EXTERNAL_USERS | UNTRUSTED_SOURCES),
        "An agent that takes outside requests or reads outside content can have its goal redirected by hidden "
        "instructions.",
        "OWASP Agentic Top 10 ASI01",
        risks=("ASI01",),
        controls=("C-05", "C-03"),
    ),
    Rule(
        "ASI02-TOOL-MISUSE",
        AGENTIC & (has("capabilities", "tool_use") | has_any("tool_permissions")),
        "It calls tools, which it can be led to use in harmful ways or chain unexpectedly.",
        "OWASP Agentic Top 10 ASI02",
        risks=("ASI02",),
        controls=("C-04",),
    ),
    Rule(
        "ASI03-PRIVILEGE-ABUSE",
        AGENTIC & WRITE_TOOLS,
        "The agent holds access that can change things; it can be borrowed, escalated or used by someone posing as a "
        "user.",
        "OWASP Agentic Top 10 ASI03",
        risks=("ASI03",),
        controls=("C-04", "C-06"),
    ),
    Rule(
        "ASI04-AGENTIC-SUPPLY-CHAIN",
        AGENTIC & has("capabilities", "tool_use", "multi_agent"),
        "Its tools, plug-ins or partner agents come from others and can be compromised or swapped while it runs.",
        "OWASP Agentic Top 10 ASI04",
        risks=("ASI04",),
        controls=("C-09",),
    ),
    Rule(
        "ASI05-CODE-EXECUTION",
        AGENTIC & has("tool_permissions", "code_execution"),
        "The agent can run code, so manipulated instructions can become code running on our systems.",
        "OWASP Agentic Top 10 ASI05",
        risks=("ASI05",),
        controls=("C-22",),
    ),
    Rule(
        "ASI06-MEMORY-POISONING",
        has("capabilities", "memory"),
        "It remembers past conversations, so false or malicious content can persist and steer later answers.",
        "OWASP Agentic Top 10 ASI06",
        risks=("ASI06",),
        controls=("C-23",),
    ),
    Rule(
        "ASI07-INTER-AGENT",
        has("capabilities", "multi_agent"),
        "Several agents pass messages to each other, which can be spoofed, intercepted or tampered with.",
        "OWASP Agentic Top 10 ASI07",
        risks=("ASI07",),
        controls=("C-04", "C-08"),
    ),
    Rule(
        "ASI08-CASCADING-FAILURES",
        AGENTIC & (has("capabilities", "multi_agent") | is_("output_use", "automated_action")),
        "One agent's mistake can flow on into automatic actions or other agents and spread before anyone notices.",
        "OWASP Agentic Top 10 ASI08",
        risks=("ASI08",),
        controls=("C-13",),
    ),
    Rule(
        "ASI09-HUMAN-TRUST",
        AGENTIC & (EXTERNAL_USERS | is_("output_use", "customer_interactive")),
        "People who deal with the agent may trust it too much and be talked into approving or sharing things.",
        "OWASP Agentic Top 10 ASI09",
        risks=("ASI09",),
        controls=("C-01", "C-03"),
    ),
    Rule(
        "ASI10-ROGUE-AGENT",
        at_least("autonomy", "3") | has("capabilities", "multi_agent"),
        "It acts alone within limits or alongside other agents, so it could drift from its purpose unnoticed.",
        "OWASP Agentic Top 10 ASI10",
        risks=("ASI10",),
        controls=("C-13", "C-08"),
    ),
)


# --- NIST AI 600-1: the twelve generative AI risks ------------------------------------------------------------------

NIST_RULES = (
    Rule(
        "NIST-CONFABULATION-ALWAYS",
        ALWAYS,
        "Generative AI can state false things with confidence; every use needs checks in proportion to how its output "
        "is used.",
        "NIST AI 600-1 §2.2",
        risks=("NIST-CONFABULATION",),
        controls=("C-07",),
    ),
    Rule(
        "NIST-INFO-SECURITY-ALWAYS",
        ALWAYS,
        "Generative AI opens new ways to attack systems and extract data, and can help attackers.",
        "NIST AI 600-1 §2.9",
        risks=("NIST-INFO_SECURITY",),
    ),
    Rule(
        "NIST-DATA-PRIVACY",
        has_any("personal_data"),
        "It handles personal data, which it could leak, infer or reveal.",
        "NIST AI 600-1 §2.4",
        risks=("NIST-DATA_PRIVACY",),
    ),
    Rule(
        "NIST-BIAS-AFFECTED-PEOPLE",
        has_any("affected_persons"),
        "Its output affects people, who can be treated unfairly if it is biased.",
        "NIST AI 600-1 §2.6",
        risks=("NIST-HARMFUL_BIAS",),
    ),
    Rule(
        "NIST-BIAS-PROFILING",
        yes("profiling"),
        "It builds profiles of individuals, where bias turns into unfair treatment of a person.",
        "NIST AI 600-1 §2.6",
        risks=("NIST-HARMFUL_BIAS",),
        controls=("C-12",),
    ),
    Rule(
        "NIST-BIAS-CONSEQUENTIAL-DECISIONS",
        ANNEX_III_USE,
        "It feeds decisions about people's jobs, education, money, services or rights, where bias does lasting harm.",
        "NIST AI 600-1 §2.6",
        risks=("NIST-HARMFUL_BIAS",),
        controls=("C-12",),
    ),
    Rule(
        "NIST-BIAS-SCORING",
        has("capabilities", "scoring_classification") & has_any("affected_persons"),
        "It scores, ranks or classifies in ways that affect people.",
        "NIST AI 600-1 §2.6",
        risks=("NIST-HARMFUL_BIAS",),
        controls=("C-12",),
    ),
    Rule(
        "NIST-HUMAN-AI-DECISION-SUPPORT",
        is_("output_use", "decision_support"),
        "People decide with its help and may lean on it too much.",
        "NIST AI 600-1 §2.7",
        risks=("NIST-HUMAN_AI_CONFIG",),
        controls=("C-15",),
    ),
    Rule(
        "NIST-HUMAN-AI-AUTONOMY",
        at_least("autonomy", "1"),
        "It proposes or takes actions, so the split of work between people and the system must be clear.",
        "NIST AI 600-1 §2.7",
        risks=("NIST-HUMAN_AI_CONFIG",),
        controls=("C-15",),
    ),
    Rule(
        "NIST-INTEGRITY-PUBLISHED",
        is_("output_use", "published"),
        "Its output is published as is, so errors and misleading content reach the public.",
        "NIST AI 600-1 §2.8",
        risks=("NIST-INFO_INTEGRITY",),
        controls=("C-07",),
    ),
    Rule(
        "NIST-INTEGRITY-SYNTHETIC",
        has("transparency_triggers", "synthetic_media", "deepfake", "public_interest_text"),
        "It creates media or public-interest text that can be mistaken for authentic content.",
        "NIST AI 600-1 §2.8",
        risks=("NIST-INFO_INTEGRITY",),
        controls=("C-02",),
    ),
    Rule(
        "NIST-IP-GENERATION",
        has(
            "capabilities", "text_generation", "code_generation", "image_generation", "audio_video_generation"
        ),
        "Generated text, code or media can reproduce others' protected work; the vendor's terms should cover it.",
        "NIST AI 600-1 §2.10",
        risks=("NIST-IP",),
        controls=("C-09",),
    ),
    Rule(
        "NIST-OBSCENE-MEDIA",
        has("capabilities", "image_generation", "audio_video_generation"),
        "It creates images, audio or video, which can be abused to make degrading or abusive content.",
        "NIST AI 600-1 §2.11",
        risks=("NIST-OBSCENE",),
        controls=("C-05",),
    ),
    Rule(
        "NIST-OBSCENE-INTIMATE-IMAGERY",
        has("prohibited_practices", "intimate_imagery_csam"),
        "It could create intimate imagery of real people or child sexual abuse material.",
        "NIST AI 600-1 §2.11",
        risks=("NIST-OBSCENE",),
    ),
    Rule(
        "NIST-VALUE-CHAIN",
        THIRD_PARTY_MODEL,
        "It is built on another company's model or service, whose data and components we cannot fully see.",
        "NIST AI 600-1 §2.12",
        risks=("NIST-VALUE_CHAIN",),
        controls=("C-09",),
    ),
    Rule(
        "NIST-DANGEROUS-CONTENT-PUBLIC",
        is_("users", "public")
        & has("capabilities", "chat", "text_generation", "image_generation", "audio_video_generation"),
        "The general public can make it generate content, including violent, hateful or otherwise dangerous content.",
        "NIST AI 600-1 §2.3",
        risks=("NIST-DANGEROUS_CONTENT",),
        controls=("C-05",),
    ),
    Rule(
        "NIST-CBRN-PUBLIC-OWN-MODEL",
        is_("users", "public") & has("capabilities", "chat", "text_generation") & OWN_TRAINING,
        "The public can chat with a model we trained or fine-tuned, which may lack the safety training that stops a "
        "vendor model helping with weapons.",
        "NIST AI 600-1 §2.1",
        risks=("NIST-CBRN",),
        controls=("C-06",),
    ),
    Rule(
        "NIST-ENVIRONMENTAL-TRAINING",
        OWN_TRAINING,
        "We train or fine-tune the model, which uses significant energy and water.",
        "NIST AI 600-1 §2.5",
        risks=("NIST-ENVIRONMENTAL",),
    ),
)


# --- Controls that follow from the answers directly ------------------------------------------------------------------

CONTROL_RULES = (
    Rule(
        "CTRL-DPIA",
        SENSITIVE_PERSONAL_DATA | (has_any("personal_data") & yes("profiling")),
        "It processes sensitive personal data or profiles people, which calls for a data protection impact assessment.",
        "GDPR Art. 35(1), 35(3)",
        controls=("C-10",),
    ),
    Rule(
        "CTRL-VENDOR-NO-DPA",
        has_any("personal_data") & THIRD_PARTY_MODEL & lacks("provider_terms", "dpa_signed"),
        "A vendor will process personal data for us without a signed data processing agreement.",
        "GDPR Art. 28(3)",
        controls=("C-09",),
    ),
    Rule(
        "CTRL-DATA-TRANSFER",
        has_any("personal_data")
        & is_("hosting_region", "us", "other")
        & lacks("provider_terms", "eu_data_residency"),
        "Personal data is processed outside the EU and UK, so the transfer needs a legal basis such as an adequacy "
        "decision or standard contractual clauses.",
        "GDPR Art. 44–46",
        controls=("C-09",),
    ),
    Rule(
        "CTRL-VENDOR-TRAINING-ON-DATA",
        THIRD_PARTY_MODEL
        & at_least("data_classification", "internal")
        & lacks("provider_terms", "no_training_on_data"),
        "The vendor has not committed to keep our non-public information out of its model training.",
        "OWASP LLM02:2025; NIST AI 600-1 §2.12",
        controls=("C-09",),
    ),
    Rule(
        "CTRL-NO-KILL-SWITCH",
        no("kill_switch"),
        "It cannot be stopped at once; a way to stop it and a plan for incidents are needed before launch.",
        "NIST AI RMF 1.0 MANAGE 2.4; EU AI Act Art. 14(4)(e)",
        controls=("C-13",),
    ),
    Rule(
        "CTRL-DISCLOSE-TO-CUSTOMERS",
        is_("output_use", "customer_interactive"),
        "Its answers are shown live to customers, who should know they come from AI.",
        "EU AI Act Art. 50(1); company AI policy",
        controls=("C-01",),
    ),
)


# --- Likelihood and impact ------------------------------------------------------------------------------------------

SCORING_CITATION = "NIST AI RMF 1.0 MAP 5.1"

SCORING_RULES = (
    # Likelihood: how exposed the system is to misuse and error (base 1, points added, at most 5).
    Rule("SC-L-PUBLIC-USERS", is_("users", "public"), "Anyone can use it.", SCORING_CITATION, likelihood=2),
    Rule(
        "SC-L-CUSTOMER-USERS", is_("users", "customers"), "Customers use it.", SCORING_CITATION, likelihood=1
    ),
    Rule(
        "SC-L-MANY-USERS",
        is_("user_count", "gte_5000"),
        "5,000 or more people use it.",
        SCORING_CITATION,
        likelihood=1,
    ),
    Rule(
        "SC-L-UNTRUSTED-SOURCES",
        UNTRUSTED_SOURCES,
        "It reads content from the web, uploads or email.",
        SCORING_CITATION,
        likelihood=1,
    ),
    Rule(
        "SC-L-AUTONOMY",
        at_least("autonomy", "3"),
        "It acts without asking first.",
        SCORING_CITATION,
        likelihood=1,
    ),
    Rule(
        "SC-L-WRITE-TOOLS",
        WRITE_TOOLS,
        "It can change things, not just read.",
        SCORING_CITATION,
        likelihood=1,
    ),
    Rule(
        "SC-L-UNREVIEWED-OUTPUT",
        is_("output_use", "published", "automated_action"),
        "Its output is published or acted on without a person checking it first.",
        SCORING_CITATION,
        likelihood=1,
    ),
    Rule(
        "SC-L-DECISIONS-ABOUT-PEOPLE",
        (ANNEX_III_USE | yes("profiling")) & has_any("affected_persons"),
        "It shapes decisions about many individuals, so any error or bias repeats.",
        SCORING_CITATION,
        likelihood=1,
    ),
    # Impact on people and their rights.
    Rule(
        "SC-I-PEOPLE-AFFECTED",
        has_any("affected_persons"),
        "Its output affects people.",
        SCORING_CITATION,
        impact={"people_rights": 2},
    ),
    Rule(
        "SC-I-PEOPLE-OUTSIDERS",
        has("affected_persons", "applicants", "customers", "public"),
        "It affects applicants, customers or the public.",
        SCORING_CITATION,
        impact={"people_rights": 3},
    ),
    Rule(
        "SC-I-PEOPLE-VULNERABLE",
        has("affected_persons", "minors_or_vulnerable"),
        "It affects children or vulnerable people.",
        SCORING_CITATION,
        impact={"people_rights": 4},
    ),
    Rule(
        "SC-I-PEOPLE-PROFILING",
        yes("profiling"),
        "It profiles individuals.",
        SCORING_CITATION,
        impact={"people_rights": 4},
    ),
    Rule(
        "SC-I-PEOPLE-CONSEQUENTIAL",
        ANNEX_III_USE,
        "It feeds decisions about people's access to jobs, education, money, services or rights.",
        SCORING_CITATION,
        impact={"people_rights": 4},
    ),
    Rule(
        "SC-I-PEOPLE-VULNERABLE-DECISIONS",
        has("affected_persons", "minors_or_vulnerable") & (ANNEX_III_USE | yes("profiling")),
        "It profiles or decides about children or vulnerable people.",
        SCORING_CITATION,
        impact={"people_rights": 5},
    ),
    Rule(
        "SC-I-PEOPLE-BANNED-PRACTICE",
        has_any("prohibited_practices"),
        "It involves a banned practice.",
        SCORING_CITATION,
        impact={"people_rights": 5},
    ),
    # Regulatory impact, from the EU AI Act outcome.
    Rule(
        "SC-I-REG-PROHIBITED",
        tier("prohibited"),
        "It is prohibited under the EU AI Act.",
        SCORING_CITATION,
        impact={"regulatory": 5},
    ),
    Rule(
        "SC-I-REG-HIGH",
        tier("high"),
        "It is high-risk under the EU AI Act.",
        SCORING_CITATION,
        impact={"regulatory": 4},
    ),
    Rule(
        "SC-I-REG-DEROGATION",
        yes("eu_derogation"),
        "It relies on a high-risk derogation that legal must confirm.",
        SCORING_CITATION,
        impact={"regulatory": 3},
    ),
    Rule(
        "SC-I-REG-LIMITED",
        tier("limited"),
        "It carries EU AI Act transparency duties.",
        SCORING_CITATION,
        impact={"regulatory": 2},
    ),
    # Data.
    Rule(
        "SC-I-DATA-PERSONAL",
        has_any("personal_data"),
        "It handles personal data.",
        SCORING_CITATION,
        impact={"data": 2},
    ),
    Rule(
        "SC-I-DATA-CONFIDENTIAL",
        is_("data_classification", "confidential"),
        "It sees confidential information.",
        SCORING_CITATION,
        impact={"data": 3},
    ),
    Rule(
        "SC-I-DATA-FINANCIAL",
        has("personal_data", "financial"),
        "It handles people's financial data.",
        SCORING_CITATION,
        impact={"data": 3},
    ),
    Rule(
        "SC-I-DATA-RESTRICTED",
        is_("data_classification", "restricted"),
        "It sees restricted information.",
        SCORING_CITATION,
        impact={"data": 4},
    ),
    Rule(
        "SC-I-DATA-SENSITIVE",
        SENSITIVE_PERSONAL_DATA,
        "It handles special category, biometric, health or children's data.",
        SCORING_CITATION,
        impact={"data": 4},
    ),
    Rule(
        "SC-I-DATA-SENSITIVE-EXPOSED",
        SENSITIVE_PERSONAL_DATA & EXTERNAL_USERS,
        "Outsiders use a system that handles sensitive personal data.",
        SCORING_CITATION,
        impact={"data": 5},
    ),
    # Financial.
    Rule(
        "SC-I-FIN-MOVES-MONEY",
        has("tool_permissions", "financial_transactions"),
        "It can move money.",
        SCORING_CITATION,
        impact={"financial": 4},
    ),
    Rule(
        "SC-I-FIN-CREDIT-INSURANCE",
        is_("decision_domain", "credit_scoring", "insurance_pricing"),
        "It decides on credit or insurance.",
        SCORING_CITATION,
        impact={"financial": 4},
    ),
    Rule(
        "SC-I-FIN-MOVES-MONEY-ALONE",
        has("tool_permissions", "financial_transactions") & at_least("autonomy", "3"),
        "It can move money without asking first.",
        SCORING_CITATION,
        impact={"financial": 5},
    ),
    # Operational.
    Rule(
        "SC-I-OPS-AUTOMATED-ACTION",
        is_("output_use", "automated_action"),
        "Its output triggers actions automatically.",
        SCORING_CITATION,
        impact={"operational": 3},
    ),
    Rule(
        "SC-I-OPS-NO-KILL-SWITCH",
        no("kill_switch"),
        "It cannot be stopped at once.",
        SCORING_CITATION,
        impact={"operational": 3},
    ),
    Rule(
        "SC-I-OPS-PRODUCTION",
        has("tool_permissions", "production_infrastructure"),
        "It can change production systems.",
        SCORING_CITATION,
        impact={"operational": 4},
    ),
    Rule(
        "SC-I-OPS-PRODUCTION-UNSTOPPABLE",
        has("tool_permissions", "production_infrastructure") & no("kill_switch"),
        "It can change production systems and cannot be stopped at once.",
        SCORING_CITATION,
        impact={"operational": 5},
    ),
    Rule(
        "SC-I-OPS-SAFETY",
        is_("decision_domain", "critical_infrastructure", "annex_i_safety_component"),
        "It is part of critical infrastructure or a product's safety.",
        SCORING_CITATION,
        impact={"operational": 5},
    ),
    # Reputational.
    Rule(
        "SC-I-REP-CUSTOMERS",
        is_("users", "customers"),
        "Customers see it directly.",
        SCORING_CITATION,
        impact={"reputational": 3},
    ),
    Rule(
        "SC-I-REP-PUBLISHED",
        is_("output_use", "published", "customer_interactive"),
        "Its output is published or shown to customers as is.",
        SCORING_CITATION,
        impact={"reputational": 3},
    ),
    Rule(
        "SC-I-REP-PUBLIC",
        is_("users", "public"),
        "The general public sees it directly.",
        SCORING_CITATION,
        impact={"reputational": 4},
    ),
    Rule(
        "SC-I-REP-DEEPFAKE",
        has("transparency_triggers", "deepfake"),
        "It imitates real people, places or events.",
        SCORING_CITATION,
        impact={"reputational": 4},
    ),
)

LATER_RULES = (
    *OBLIGATION_RULES,
    *OWASP_LLM_RULES,
    *OWASP_AGENTIC_RULES,
    *NIST_RULES,
    *CONTROL_RULES,
    *SCORING_RULES,
)

RULES = (*TIER_RULES, *SCOPE_AFTER_TIER_RULES, *ROLE_RULES, *LATER_RULES)

FAMILIES: dict[str, tuple[Rule, ...]] = {
    "eu_ai_act": (*TIER_RULES, *SCOPE_AFTER_TIER_RULES, *ROLE_RULES, *OBLIGATION_RULES),
    "owasp_llm": OWASP_LLM_RULES,
    "owasp_agentic": OWASP_AGENTIC_RULES,
    "nist": NIST_RULES,
    "controls": CONTROL_RULES,
    "scoring": SCORING_RULES,
}
