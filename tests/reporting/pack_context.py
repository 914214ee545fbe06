"""A realistic, deterministic board-pack context in the shape the pack selectors produce, for tests and for looking at."""

import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from statistics import median, quantiles

from reporting.pack import board_asks, key_messages, rank_top_risks, trend_series

TEAMS = [
    "Customer Service",
    "Finance",
    "HR & People",
    "Legal",
    "Marketing",
    "Operations",
    "Engineering",
    "Risk",
]
PROVIDERS = ["Azure OpenAI", "Anthropic", "Google Vertex AI", "AWS Bedrock", "Mistral AI", "In-house"]
SUBJECTS = [
    "Claims triage assistant",
    "Contract clause summariser",
    "Customer email drafting",
    "Code review helper",
    "Invoice matching",
    "Policy Q&A chatbot",
    "Meeting notes & actions",
    "Candidate CV screening",
    "Fraud alert explanations",
    "Marketing copy generator",
    "Knowledge base search",
    "Incident postmortem drafts",
    "Supplier risk digest",
    "Call centre sentiment",
    "Translation of product sheets",
    "Board paper summariser",
]
QUALIFIERS = [
    "pilot",
    "for EMEA",
    "v2",
    "for retail",
    "(internal)",
    "for brokers",
    "for the service desk",
    "",
]
STATUSES = [
    ("Approved", 30),
    ("Submitted", 14),
    ("Changes requested", 6),
    ("Rejected", 9),
    ("Re-review due", 4),
    ("Withdrawn", 3),
    ("Retired", 3),
    ("Draft", 6),
]
TIERS = [("Minimal", 40), ("Limited", 35), ("High risk", 15), ("Not applicable", 8), ("Prohibited", 2)]
VERDICTS = ["within", "within", "within", "within", "exceeds"]
PRACTICES = [
    "Emotion recognition at work (Art. 5(1)(f))",
    "Social scoring (Art. 5(1)(c))",
    "Biometric categorisation by sensitive traits (Art. 5(1)(g))",
]
PEOPLE = [
    "Claire Ito",
    "Marc Dubois",
    "Priya Raman",
    "Tom Becker",
    "Aisha Okafor",
    "Lena Schulz",
    "Jonas Berg",
    "Sofia Marin",
]
LIVE = {"Approved", "Submitted", "Changes requested", "Re-review due"}


def _hash(rng: random.Random) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(64))


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([name for name, _ in weighted], weights=[weight for _, weight in weighted])[0]


def _band(score: int) -> str:
    return "Critical" if score >= 20 else "High" if score >= 10 else "Medium" if score >= 5 else "Low"


def _breakdown(values: list[str], order: list[str], rng: random.Random) -> list[dict]:
    counts = Counter(values)
    rows = []
    for label in order:
        count = counts.get(label, 0)
        if not count and label not in counts:
            continue
        rows.append({"label": label, "count": count, "previous": max(0, count - rng.randint(-2, 4))})
    return rows


def sample_context(n_use_cases: int = 40, *, seed: int = 2026) -> dict:
    """A 2026-Q4 pack context with ``n_use_cases`` use cases; the same arguments always give the same data."""
    rng = random.Random(seed)
    period_start, period_end = date(2026, 10, 1), date(2026, 12, 31)
    cutoff = datetime(2026, 12, 31, 23, 59, 59, tzinfo=UTC)
    generated_at = datetime(2027, 1, 1, 6, 0, 12, tzinfo=UTC)

    register = []
    for number in range(1, n_use_cases + 1):
        status = _pick(rng, STATUSES)
        tier = _pick(rng, TIERS)
        if tier == "Prohibited":
            status = "Rejected"
        likelihood, impact = rng.randint(1, 5), rng.randint(1, 5)
        if tier == "High risk":
            impact = max(impact, 4)
        score = likelihood * impact
        submitted = period_start - timedelta(days=rng.randint(-80, 400))
        approved = (
            submitted + timedelta(days=rng.randint(1, 21))
            if status in ("Approved", "Re-review due")
            else None
        )
        re_review = None
        if approved:
            months = 6 if score >= 10 else 12 if score >= 5 else 24
            re_review = approved + timedelta(days=30 * months)
        title = f"{rng.choice(SUBJECTS)} {rng.choice(QUALIFIERS)}".strip()
        register.append(
            {
                "ref": f"GAI-2026-{number:04d}",
                "title": title,
                "team": rng.choice(TEAMS),
                "status": status,
                "tier": tier,
                "band": _band(score),
                "score": score,
                "likelihood": likelihood,
                "impact": impact,
                "verdict": "prohibited" if tier == "Prohibited" else rng.choice(VERDICTS),
                "provider": rng.choice(PROVIDERS),
                "submitted_on": submitted,
                "approved_on": approved,
                "re_review_on": re_review,
            }
        )

    live = [row for row in register if row["status"] in LIVE]
    heat = [[0] * 5 for _ in range(5)]
    for row in live:
        heat[5 - row["likelihood"]][row["impact"] - 1] += 1
    for row in register:
        del row["likelihood"], row["impact"]
        row["outside"] = row["verdict"] in ("exceeds", "prohibited")

    in_quarter = [row for row in register if period_start <= row["submitted_on"] <= period_end]
    decided = [
        row
        for row in register
        if row["status"] in ("Approved", "Rejected", "Re-review due", "Changes requested")
    ]
    decision_rows = []
    for row in decided:
        decided_on = (
            row["approved_on"] or row["submitted_on"] + timedelta(days=rng.randint(1, 14))
        ) + timedelta(days=0)
        if not (period_start <= decided_on <= period_end):
            continue
        decision_rows.append(
            {
                "ref": row["ref"],
                "title": row["title"],
                "outcome": "Approved with conditions"
                if row["status"] == "Approved" and rng.random() < 0.3
                else row["status"],
                "decided_on": decided_on,
                "re_review": rng.random() < 0.15,
                "days": (decided_on - row["submitted_on"]).days,
            }
        )
    decision_rows.sort(key=lambda row: row["decided_on"])
    days = [row["days"] for row in decision_rows]

    breaches = [
        {
            "ref": row["ref"],
            "title": row["title"],
            "verdict": "exceeds",
            "clauses": rng.sample(
                [
                    "Highest autonomy",
                    "Data classification for external users",
                    "Inherent score",
                    "Provider terms",
                ],
                k=rng.randint(1, 2),
            ),
        }
        for row in register
        if row["verdict"] == "exceeds" and row["status"] in LIVE
    ]
    exceptions = [
        {
            "ref": row["ref"],
            "title": row["title"],
            "expires_on": cutoff.date() + timedelta(days=left),
            "days_left": left,
        }
        for row, left in zip(
            [row for row in register if row["verdict"] == "exceeds" and row["status"] == "Approved"][:6],
            [12, 45, 88, 140, 9, 170],
            strict=False,
        )
    ]
    prohibited = [
        {
            "ref": row["ref"],
            "title": row["title"],
            "practices": [rng.choice(PRACTICES)],
            "submitted_on": row["submitted_on"],
        }
        for row in register
        if row["tier"] == "Prohibited"
    ]
    approved = [row for row in register if row["status"] == "Approved"]
    open_conditions = []
    for row in approved[: max(3, len(approved) // 3)]:
        due = cutoff.date() + timedelta(days=rng.randint(-30, 90)) if rng.random() < 0.85 else None
        open_conditions.append(
            {
                "ref": row["ref"],
                "text": rng.choice(
                    [
                        "Red-team the prompt-injection paths before go-live and file the report",
                        "Complete the DPIA and record the DPO's opinion",
                        "Show an AI disclosure on every customer-facing reply",
                        "Keep inference logs for at least six months",
                        "Human approval before any outbound email is sent",
                    ]
                ),
                "owner": rng.choice(PEOPLE),
                "due_on": due,
                "overdue": bool(due and due < cutoff.date()),
            }
        )
    overdue = [
        {
            "ref": row["ref"],
            "title": row["title"],
            "due_since": cutoff.date() - timedelta(days=rng.randint(3, 60)),
        }
        for row in register
        if row["status"] == "Re-review due"
    ]
    counts = Counter(row["status"] for row in register)
    summary = {
        "total": len(register),
        "approved": counts["Approved"],
        "open": counts["Submitted"] + counts["Changes requested"],
        "rejected": counts["Rejected"],
        "prohibited_blocked": len(prohibited),
        "exceptions_active": len(exceptions),
        "overdue_re_reviews": len(overdue),
        "decisions_this_quarter": len(decision_rows),
        "new_this_quarter": len(in_quarter),
        # The pack selectors' rule: an overdue re-review makes it red; breaches and exceptions near expiry amber.
        "rag": "red" if overdue else "amber",
        "rag_reasons": [
            f"{len(overdue)} approved use cases overdue for re-review.",
            f"{len(breaches)} live use cases outside the risk boundary.",
            "Exceptions expire within 30 days.",
        ],
    }
    signatures = [
        {
            "name": "Claire Ito",
            "role": "CIO",
            "signed_at": datetime(2026, 9, 14, 10, 2, tzinfo=UTC),
            "content_hash": _hash(rng),
        },
        {
            "name": "Marc Dubois",
            "role": "CISO",
            "signed_at": datetime(2026, 9, 15, 8, 41, tzinfo=UTC),
            "content_hash": "",
        },
    ]
    signatures[1]["content_hash"] = signatures[0]["content_hash"]
    quarters = ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    live_now = sum(1 for row in register if row["status"] in LIVE)
    points = [
        {
            "quarter": quarter,
            "live": max(0, live_now - 3 * (5 - i)),
            "high_risk": max(0, sum(1 for row in live if row["tier"] == "High risk") - (5 - i) // 2),
            "prohibited": max(0, len(prohibited) - (5 - i) // 3),
            "exceptions": max(0, len(exceptions) - (5 - i)),
            "overdue_re_reviews": len(overdue) if i == 5 else rng.randint(0, 2),
            "median_days": None if i == 0 else round(4 + rng.random() * 6, 1),
        }
        for i, quarter in enumerate(quarters)
    ]
    top = rank_top_risks(
        [
            {
                "ref": row["ref"],
                "title": row["title"],
                "team": row["team"],
                "owner": rng.choice(PEOPLE),
                "submitter": rng.choice(PEOPLE),
                "status": row["status"],
                "tier": row["tier"],
                "score": row["score"],
                "band": row["band"],
                "exceeds": row["verdict"] == "exceeds",
                "verdict": "Exceeds the risk boundary"
                if row["verdict"] == "exceeds"
                else "Within the risk boundary",
                "breaches": next((b["clauses"] for b in breaches if b["ref"] == row["ref"]), []),
                "exception_expires_on": next(
                    (e["expires_on"] for e in exceptions if e["ref"] == row["ref"]), None
                ),
            }
            for row in live
        ]
    )
    for risk in top:
        risk["controls"] = ["Human approval before any outbound email is sent"] if risk["score"] > 12 else []
        risk["open_conditions"] = [
            {"text": c["text"], "due_on": c["due_on"], "overdue": c["overdue"]}
            for c in open_conditions
            if c["ref"] == risk["ref"]
        ]
        risk["changes"] = [f"Approved on {(period_start + timedelta(days=20)).strftime('%-d %b %Y')}"]
    appetite = {
        "changed": True,
        "version_before": 2,
        "version": 3,
        "activated_at": datetime(2026, 9, 15, 8, 41, tzinfo=UTC),
        "first": False,
        "diff": [
            {
                "name": "max_autonomy",
                "label": "Highest autonomy",
                "is_list": False,
                "note": "",
                "before": "3 bounded autonomous",
                "after": "2 act with confirmation",
            },
            {
                "name": "forbidden_tools",
                "label": "Tool permissions not allowed",
                "is_list": True,
                "note": "",
                "added": ["Financial transactions"],
                "removed": [],
                "changed": [],
            },
        ],
        "signatures": [
            {"name": s["name"], "role": s["role"], "signed_at": s["signed_at"]} for s in signatures
        ],
        "exposure": [
            {"label": "Exceeds the risk boundary", "count": len(breaches)},
            {"label": "Within the risk boundary", "count": len(live) - len(breaches)},
        ],
    }
    series = trend_series(points)
    page_one = {
        "summary": summary,
        "breaches": breaches,
        "exceptions": exceptions,
        "trends": series,
        "appetite": appetite,
        "decisions": {"count": len(decision_rows), "median_days": float(median(days)) if days else None},
        "open_conditions": open_conditions,
    }
    by_tier = _breakdown(
        [row["tier"] for row in register],
        ["Prohibited", "High risk", "Limited", "Minimal", "Not applicable"],
        rng,
    )
    return {
        "issue": {"issued": False, "interim": False, "statement": None, "signatures": []},
        "key_messages": key_messages(page_one),
        "asks": board_asks(page_one),
        "trends": {"points": points, "series": series},
        "top_risks": top,
        "appetite": appetite,
        "quarter": "2026-Q4",
        "period_start": period_start,
        "period_end": period_end,
        "cutoff": cutoff,
        "generated_at": generated_at,
        "version": 1,
        "ruleset_version": "2026.11.1",
        "audit_head": {
            "sequence": 40 * n_use_cases + 17,
            "hash": "".join(rng.choice("0123456789abcdef") for _ in range(64)),
            "occurred_at": cutoff - timedelta(minutes=7),
        },
        "boundary": {
            "version": 3,
            "activated_at": datetime(2026, 9, 15, 8, 41, tzinfo=UTC),
            "content_hash": signatures[0]["content_hash"],
            "signatures": signatures,
        },
        "summary": summary,
        "portfolio": {
            "by_status": _breakdown([row["status"] for row in register], [name for name, _ in STATUSES], rng),
            "by_tier": by_tier,
            "by_band": _breakdown(
                [row["band"] for row in register if row["status"] in LIVE],
                ["Critical", "High", "Medium", "Low"],
                rng,
            ),
            "by_team": sorted(
                _breakdown([row["team"] for row in register], TEAMS, rng), key=lambda row: -row["count"]
            ),
            "by_provider": sorted(
                _breakdown([row["provider"] for row in register], PROVIDERS, rng),
                key=lambda row: -row["count"],
            ),
        },
        "heatmap": heat,
        "exposure": {"breaches": breaches, "exceptions": exceptions},
        "decisions": {
            "count": len(decision_rows),
            "median_days": float(median(days)) if days else None,
            "p90_days": float(quantiles(days, n=10)[-1]) if len(days) >= 2 else None,
            "rows": decision_rows,
        },
        "regulatory": {
            "by_tier": [{"label": row["label"], "count": row["count"]} for row in by_tier],
            "key_dates": [
                {
                    "date": "2025-02-02",
                    "what": "Prohibited practices (Art. 5) and AI literacy (Art. 4) apply",
                },
                {"date": "2025-08-02", "what": "Obligations for general-purpose AI models apply"},
                {
                    "date": "2026-08-02",
                    "what": "Most obligations apply, including Annex III high-risk systems",
                },
                {"date": "2027-08-02", "what": "High-risk rules apply to Annex I products (Art. 6(1))"},
            ],
            "derogations": sum(1 for row in register if row["tier"] == "Limited" and rng.random() < 0.05) + 1,
        },
        "prohibited": prohibited,
        "incidents": {
            "total": 7,
            "serious": 2,
            "deadlines": {"total": 3, "met_in_time": 2, "met_late": 0, "overdue": 1, "pending": 0},
            "serious_list": [
                {
                    "reference": "INC-00004",
                    "ref": register[0]["ref"],
                    "title": "Applicants over 50 scored unsuitable for a week",
                    "kind": "An infringement of Union law protecting fundamental rights (Art. 3(49)(c))",
                    "reported_on": datetime(2026, 8, 3, 9, 0, tzinfo=UTC),
                    "duties": [
                        {
                            "duty": "Inform the provider",
                            "article": "Art. 26(5)",
                            "due_at": datetime(2026, 8, 4, 9, 0, tzinfo=UTC),
                            "state": "met",
                        },
                        {
                            "duty": "Inform the market surveillance authority",
                            "article": "Art. 26(5)",
                            "due_at": datetime(2026, 8, 4, 9, 0, tzinfo=UTC),
                            "state": "overdue",
                        },
                    ],
                },
                {
                    "reference": "INC-00006",
                    "ref": register[1]["ref"],
                    "title": "Chatbot gave a customer dangerous dosage advice",
                    "kind": "Serious harm to a person's health (Art. 3(49)(a))",
                    "reported_on": datetime(2026, 9, 1, 14, 0, tzinfo=UTC),
                    "duties": [],
                },
            ],
        },
        "attestations": {
            "quarter": "2026-Q3",
            "owed": 40,
            "attested": 37,
            "changed": 1,
            "missing": 3,
            "missing_refs": [row["ref"] for row in register[2:5]],
        },
        "open_conditions": open_conditions,
        "overdue_re_reviews": overdue,
        "register": register,
    }
