"""The AI inventory: providers and their models, the terms each provider commits to, and what a change of terms does
to the live use cases that name the provider (the same what-if as a new risk boundary: who would now exceed the
active boundary). Writes here, as services; reads below them."""

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from audit.services import audit_batch, audit_record
from config.errors import DomainError, InvalidTransition, NotAllowed
from config.text import text_errors
from intake.models import UseCase
from intake.selectors import use_cases_visible_to
from intake.services import use_case_flag_re_review
from intake.workflow import LIVE_STATES, Action, Status
from oversight import events, policies
from oversight.models import PROVIDER_TERMS, AiModel, AiProvider, ProviderTerm
from riskboundaries.check import check_boundary
from riskboundaries.limits import limits_from_content
from riskboundaries.models import RiskBoundary
from riskboundaries.selectors import latest_facts, with_latest_facts
from riskboundaries.workflow import BoundaryState

TERM_LABELS = dict(PROVIDER_TERMS)
REGIONS = ("eu", "uk", "us", "other")


# --- reads ---------------------------------------------------------------------------------------------------------


def providers() -> QuerySet[AiProvider]:
    return AiProvider.objects.prefetch_related("terms", "models").order_by(Lower("name"))


def provider_named(name: str) -> AiProvider | None:
    return AiProvider.objects.filter(name__iexact=(name or "").strip()).first()


def inventory_suggestions() -> dict[str, list[str]]:
    """What the intake form offers in its provider and model questions (two queries)."""
    return {
        "provider": list(
            AiProvider.objects.filter(status=AiProvider.Status.LISTED)
            .order_by(Lower("name"))
            .values_list("name", flat=True)
        ),
        "model_name": sorted(
            {f"{m.name} {m.version}".strip() for m in AiModel.objects.all()}, key=str.casefold
        ),
    }


def committed_terms(provider: AiProvider) -> list[str]:
    return sorted(term.term for term in provider.terms.all() if term.holds)


def live_use_cases_of(provider: AiProvider, user: Any | None = None) -> QuerySet[UseCase]:
    """Live use cases that name the provider (as the intake asked it), visible to ``user`` when one is given."""

    base = use_cases_visible_to(user) if user is not None else UseCase.objects.all()
    return (
        base.filter(status__in=LIVE_STATES, answers__provider__iexact=provider.name)
        .select_related("submitter", "team")
        .order_by("reference")
    )


def effective_terms(recorded: dict[str, bool], answered: Any) -> list[str]:
    """What a use case's provider commits to: the inventory's record for each term it has one for, and the request's
    own answer for the others."""
    own = {t for t in answered or () if isinstance(t, str)}
    return sorted({t for t in own if t not in recorded} | {t for t, holds in recorded.items() if holds})


def live_use_cases_of_model(model: AiModel, user: Any | None = None) -> QuerySet[UseCase]:
    """Live use cases of the model's provider that name the model (with its version, or its name alone)."""

    named = {f"{model.name} {model.version}".strip(), model.name}
    matches = Q()
    for name in named:
        matches |= Q(answers__model_name__iexact=name)
    return live_use_cases_of(model.provider, user).filter(matches)


def terms_impact(provider: AiProvider, recorded: dict[str, bool]) -> list[tuple[UseCase, Any]]:
    """Live use cases naming ``provider`` that would newly exceed the active boundary if the inventory recorded
    ``recorded`` (term -> whether the provider commits to it): each with its check under those terms. Empty when no
    boundary is active."""

    active = RiskBoundary.objects.filter(state=BoundaryState.ACTIVE).only("content").first()
    if active is None:
        return []
    limits = limits_from_content(active.content)
    newly = []
    candidates = with_latest_facts(
        UseCase.objects.filter(status__in=LIVE_STATES, answers__provider__iexact=provider.name)
    ).select_related("submitter", "team")
    for use_case in candidates.order_by("id"):
        facts = latest_facts(use_case)
        if facts is None:
            continue
        answers, assessment = facts
        before = check_boundary(answers, assessment, limits)
        terms = effective_terms(recorded, answers.get("provider_terms"))
        after = check_boundary({**answers, "provider_terms": terms}, assessment, limits)
        if after.breaches and not before.breaches:
            newly.append((use_case, after))
    return newly


# --- writes --------------------------------------------------------------------------------------------------------


def _name_errors(name: str) -> dict[str, list[str]]:
    errors = text_errors({"name": name}, max_lengths={"name": 120})
    if not name:
        errors.setdefault("name", []).append("Give the provider's name.")
    return errors


def provider_list(
    *, actor: Any, name: str, hosting_regions: list[str] | None = None, note: str = ""
) -> AiProvider:
    """Add a provider to the inventory (the CIO or the CISO); a proposed one of the same name becomes listed."""
    name, note = (name or "").strip(), (note or "").strip()
    regions = list(dict.fromkeys(hosting_regions or []))
    errors = {**_name_errors(name), **text_errors({"note": note}, max_lengths={"note": 4000})}
    unknown = [r for r in regions if r not in REGIONS]
    if unknown:
        errors["hosting_regions"] = [f"Not a region: {', '.join(unknown)}. Choose from {', '.join(REGIONS)}."]
    if errors:
        raise DomainError("The provider was not listed.", errors=errors)
    if not policies.can_manage_inventory(actor):
        raise NotAllowed("Only the CIO and the CISO keep the inventory.")
    now = timezone.now()
    with transaction.atomic(), audit_batch():
        existing = AiProvider.objects.select_for_update().filter(name__iexact=name).first()
        if existing is not None and existing.status == AiProvider.Status.LISTED:
            raise InvalidTransition(f"{existing.name} is already in the inventory.")
        provider = existing or AiProvider(name=name, created_at=now)
        provider.status, provider.hosting_regions, provider.note, provider.updated_at = (
            AiProvider.Status.LISTED,
            regions,
            note,
            now,
        )
        provider.save()
        audit_record(
            actor=actor, action=events.PROVIDER_LISTED, obj=provider, payload={"name": provider.name}
        )
    return provider


def provider_propose(*, actor: Any, name: str) -> AiProvider | None:
    """A provider named on a request that the inventory does not know yet: kept as proposed, for the CIO or the CISO
    to complete. Nothing when it is known (whatever its case) or the name is empty."""
    name = (name or "").strip()[:120]
    if not name or _name_errors(name) or provider_named(name) is not None:
        return None
    now = timezone.now()
    try:
        with transaction.atomic():
            provider = AiProvider.objects.create(
                name=name,
                status=AiProvider.Status.PROPOSED,
                proposed_by=actor,
                created_at=now,
                updated_at=now,
            )
    except IntegrityError:  # proposed at the same moment by another request
        return None
    audit_record(actor=actor, action=events.PROVIDER_PROPOSED, obj=provider, payload={"name": name})
    return provider


def provider_terms_set(
    *,
    actor: Any,
    provider: AiProvider,
    terms: dict[str, dict[str, Any]],
    confirm: bool = False,
) -> tuple[list[tuple[UseCase, Any]], bool]:
    """Record what the provider commits to, term by term (holds, checked on, the document). Returns the live use
    cases this would newly put outside the active boundary, and whether it was saved: without ``confirm``, nothing
    is saved when there are any (the person sees them first); with it, the terms are saved and those use cases go to
    re-review, each with the reason."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, tuple[bool, date, str]] = {}
    for term, value in (terms or {}).items():
        if term not in TERM_LABELS:
            errors.setdefault("terms", []).append(f"Not a term: {term}.")
            continue
        value = value if isinstance(value, dict) else {}
        holds, checked_on, document = (
            value.get("holds"),
            value.get("checked_on"),
            str(value.get("document") or ""),
        )
        if not isinstance(holds, bool):
            errors.setdefault(term, []).append("Say whether the provider commits to it.")
        if not isinstance(checked_on, date):
            errors.setdefault(term, []).append("Give the date it was checked.")
        elif checked_on > timezone.localdate():
            errors.setdefault(term, []).append("The date it was checked cannot be in the future.")
        for problems in text_errors({term: document}, max_lengths={term: 300}).values():
            errors.setdefault(term, []).extend(problems)
        if term not in errors:
            cleaned[term] = (holds, checked_on, document.strip())
    if not cleaned and not errors:
        errors["terms"] = ["Give at least one term."]
    if errors:
        raise DomainError("The terms were not recorded.", errors=errors)
    if not policies.can_manage_inventory(actor):
        raise NotAllowed("Only the CIO and the CISO keep the inventory.")
    with transaction.atomic(), audit_batch():
        locked = AiProvider.objects.select_for_update().get(pk=provider.pk)
        current = {t.term: t for t in locked.terms.all()}
        recorded = {t: row.holds for t, row in current.items()}
        recorded.update({term: holds for term, (holds, _, _) in cleaned.items()})
        impact = terms_impact(locked, recorded)
        if impact and not confirm:
            return impact, False
        changed = {}
        for term, (holds, checked_on, document) in cleaned.items():
            before = current.get(term)
            if before is None or before.holds != holds:
                changed[term] = "commits" if holds else "does not commit"
            ProviderTerm.objects.update_or_create(
                provider=locked,
                term=term,
                defaults={
                    "holds": holds,
                    "checked_on": checked_on,
                    "document": document,
                    "checked_by": actor,
                },
            )
        locked.updated_at = timezone.now()
        locked.save(update_fields=["updated_at"])
        audit_record(
            actor=actor,
            action=events.PROVIDER_TERMS_CHANGED,
            obj=locked,
            payload={
                "name": locked.name,
                "changed": changed,
                "terms": {
                    t: {"holds": h, "checked_on": c.isoformat(), "document": d}
                    for t, (h, c, d) in cleaned.items()
                },
                "re_review": [use_case.reference for use_case, _ in impact],
            },
        )
        lost = [TERM_LABELS[t] for t, v in changed.items() if v == "does not commit"]
        for use_case, _ in impact:
            if use_case.status == Status.APPROVED:
                use_case_flag_re_review(
                    actor=actor,
                    use_case=use_case,
                    reason=f"{locked.name}'s terms changed"
                    + (f" (no longer: {'; '.join(lost)})" if lost else "")
                    + ": it would now exceed the risk boundary.",
                )
    return impact, True


def model_list(
    *, actor: Any, provider: AiProvider, name: str, version: str = "", hosting_region: str = ""
) -> AiModel:
    name, version = (name or "").strip(), (version or "").strip()
    errors = text_errors({"name": name, "version": version}, max_lengths={"name": 120, "version": 60})
    if not name:
        errors.setdefault("name", []).append("Give the model's name.")
    if hosting_region and hosting_region not in REGIONS:
        errors["hosting_region"] = [f"Choose from {', '.join(REGIONS)}."]
    if errors:
        raise DomainError("The model was not listed.", errors=errors)
    if not policies.can_manage_inventory(actor):
        raise NotAllowed("Only the CIO and the CISO keep the inventory.")
    with transaction.atomic(), audit_batch():
        if AiModel.objects.filter(provider=provider, name__iexact=name, version__iexact=version).exists():
            raise InvalidTransition(
                f"{name} {version} is already listed for {provider.name}.".replace("  ", " ")
            )
        model = AiModel.objects.create(
            provider=provider,
            name=name,
            version=version,
            hosting_region=hosting_region,
            created_at=timezone.now(),
        )
        audit_record(
            actor=actor,
            action=events.MODEL_LISTED,
            obj=provider,
            payload={"name": provider.name, "model": str(model)},
        )
    return model


def propose_on_submission(use_case: Any, action: str, actor: Any) -> None:
    """intake's transition listener: a request submitted naming a provider the inventory does not know proposes it."""

    if action in (Action.SUBMIT, Action.RESUBMIT):
        provider_propose(actor=actor, name=str((use_case.answers or {}).get("provider") or ""))
