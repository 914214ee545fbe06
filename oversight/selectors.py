"""Reads of live oversight, scoped to what the person may see (the use case's own visibility)."""

from datetime import datetime, time
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from approvals.models import Approval
from intake.models import UseCase
from intake.selectors import use_cases_visible_to
from intake.workflow import LIVE_STATES
from oversight.models import Attestation, Evidence, Incident, IncidentDeadline, Suspension
from oversight.policies import is_executive


def _of_visible_use_case(rows: QuerySet, user: Any) -> QuerySet:
    """Rows whose use case the person may see (an incident, an evidence item...)."""
    return rows.filter(Exists(use_cases_visible_to(user).filter(pk=OuterRef("use_case_id"))))


def _with_deadlines(incidents: QuerySet[Incident]) -> QuerySet[Incident]:
    return incidents.select_related("use_case", "reported_by").prefetch_related(
        Prefetch("deadlines", queryset=IncidentDeadline.objects.select_related("met_by"))
    )


def incidents_of(use_case: Any) -> list[Incident]:
    """A use case's incidents, newest first, each with its deadlines (the caller may see the use case)."""
    return list(_with_deadlines(Incident.objects.filter(use_case=use_case)))


def incident_for(user: Any, pk: int) -> Incident:
    """The incident, or 404 when it does not exist or its use case is not one the person may see."""
    incident = _with_deadlines(_of_visible_use_case(Incident.objects.filter(pk=pk), user)).first()
    if incident is None:
        raise Http404("No such incident.")
    return incident


def incidents_visible_to(user: Any) -> QuerySet[Incident]:
    return _with_deadlines(_of_visible_use_case(Incident.objects.all(), user))


def suspension_in_force(use_case: Any) -> Suspension | None:
    """Read once per use-case object (its page asks twice: the notice at the top and the panel)."""
    cached = getattr(use_case, "_suspension_in_force", False)
    if cached is not False:
        return cached
    suspension = (
        Suspension.objects.filter(use_case=use_case, lifted_at__isnull=True)
        .select_related("suspended_by", "incident")
        .first()
    )
    use_case._suspension_in_force = suspension
    return suspension


def open_deadlines_for(user: Any, *, limit: int = 20) -> list[IncidentDeadline]:
    """The reporting duties not yet done, the soonest due first: every one for the CIO and the CISO; for anyone
    else, those on use cases they submitted."""
    deadlines = IncidentDeadline.objects.open().select_related("incident", "incident__use_case")
    if not is_executive(user):
        deadlines = deadlines.filter(incident__use_case__submitter=user)
    return list(deadlines.order_by("due_at", "id")[:limit])


def serious_unsuspended_for_executives(user: Any, *, limit: int = 10) -> list[Incident]:
    """Serious incidents of the last 30 days whose use case runs on (not suspended, still live): the executives'
    prompt to decide whether to pull its kill switch."""
    if not is_executive(user):
        return []
    in_force = Suspension.objects.filter(use_case_id=OuterRef("use_case_id"), lifted_at__isnull=True)
    since = timezone.now() - timezone.timedelta(days=30)
    return list(
        Incident.objects.serious()
        .filter(reported_at__gte=since, use_case__status__in=LIVE_STATES)
        .exclude(Exists(in_force))
        .select_related("use_case")
        .order_by("-reported_at")[:limit]
    )


def incidents_figures(start: datetime, end: datetime, *, now: datetime) -> dict[str, Any]:
    """For the board pack: the incidents reported in [start, end), the serious ones, and how their reporting duties
    stood at ``now`` (met in time, met late, open and overdue, open and not yet due)."""
    reported = Incident.objects.filter(reported_at__gte=start, reported_at__lt=end)
    counts = reported.aggregate(total=Count("id"), serious=Count("id", filter=Q(serious=True)))
    met = Q(met_at__isnull=False, met_at__lte=now)  # done by then (what was done later was still open then)
    deadlines = IncidentDeadline.objects.filter(incident__in=reported).aggregate(
        total=Count("id"),
        met_in_time=Count("id", filter=met & Q(met_at__lte=F("due_at"))),
        met_late=Count("id", filter=met & Q(met_at__gt=F("due_at"))),
        overdue=Count("id", filter=~met & Q(due_at__lt=now)),
        pending=Count("id", filter=~met & Q(due_at__gte=now)),
    )
    serious = list(_with_deadlines(reported.serious()).order_by("reported_at", "id"))
    return {
        "total": counts["total"],
        "serious": counts["serious"],
        "deadlines": deadlines,
        "serious_list": serious,
    }


def evidence_of(use_case: Any) -> list[Evidence]:
    return list(Evidence.objects.filter(use_case=use_case).select_related("added_by", "condition"))


def evidence_for(user: Any, pk: int) -> Evidence:
    """The evidence item, or 404 when it does not exist or its use case is not one the person may see."""
    item = _of_visible_use_case(Evidence.objects.filter(pk=pk), user).select_related("use_case").first()
    if item is None:
        raise Http404("No such evidence.")
    return item


def _approved_before(day: Any) -> QuerySet[UseCase]:
    """Live use cases approved before ``day`` began (a use case approved this quarter is attested from the next)."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    approved = Approval.objects.filter(use_case=OuterRef("pk"), approved_at__lt=start)
    return UseCase.objects.filter(status__in=LIVE_STATES).filter(Exists(approved))


def _attested(quarter: Any) -> Exists:
    return Exists(Attestation.objects.filter(use_case=OuterRef("pk"), quarter=str(quarter)))


def attestations_owed(quarter: Any) -> QuerySet[UseCase]:
    """Live use cases approved before ``quarter`` began and not yet attested for it."""
    return _approved_before(quarter.start).exclude(_attested(quarter))


def my_attestations_owed(user: Any, quarter: Any, *, limit: int = 10) -> list[Any]:
    return list(attestations_owed(quarter).filter(submitter=user).order_by("reference")[:limit])


def attestations_owed_and_missed(quarter: Any) -> dict[str, int]:
    """For the executives' home, in one query: how many live use cases still owe ``quarter``'s attestation, and how
    many of those approved before the quarter before it went unattested then."""
    last = quarter.previous()
    return _approved_before(quarter.start).aggregate(
        owed_now=Count("id", filter=~Q(_attested(quarter))),
        missed_last=Count(
            "id", filter=Q(pk__in=_approved_before(last.start).values("pk")) & ~Q(_attested(last))
        ),
    )


def attestation_figures(quarter: Any) -> dict[str, Any]:
    """For a quarter: how many live use cases owe an attestation, how many were attested (as approved or with a
    change), and the references of those missing (at most 50)."""
    owing = _approved_before(quarter.start)
    attested = Attestation.objects.filter(quarter=str(quarter), use_case__in=owing)
    counts = attested.aggregate(
        total=Count("id"),
        changed=Count("id", filter=Q(same_model=False) | Q(same_data=False) | Q(controls_operating=False)),
    )
    missing = attestations_owed(quarter)
    return {
        "quarter": str(quarter),
        "owed": owing.count(),
        "attested": counts["total"],
        "changed": counts["changed"],
        "missing": missing.count(),
        "missing_refs": list(missing.order_by("reference").values_list("reference", flat=True)[:50]),
    }
