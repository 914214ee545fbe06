"""API v1 for risk boundaries: list, draft, read, edit, sign, what-if impact, and the active boundary."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import stepup
from config.api import CursorPagination
from config.errors import DomainError
from config.params import positive_int
from config.schema import error_responses, signature_input_fields
from riskboundaries import policies, selectors, services
from riskboundaries.limits import LimitsInvalid
from riskboundaries.models import ReReviewRun, RiskBoundary


class SignatureOutputSerializer(serializers.Serializer):
    signer = serializers.CharField(source="signer.username")
    role = serializers.CharField()
    signed_at = serializers.DateTimeField()
    content_hash = serializers.CharField()
    valid = serializers.BooleanField(source="is_valid")
    voided_at = serializers.DateTimeField(allow_null=True)
    void_reason = serializers.CharField()


class ReReviewRunOutputSerializer(serializers.Serializer):
    """The pass that follows an activation: approved use cases checked against the new limits so far."""

    state = serializers.ChoiceField(choices=ReReviewRun.State.choices)
    total = serializers.IntegerField()
    checked = serializers.IntegerField()
    flagged = serializers.IntegerField(help_text="How many breached the boundary and went to re-review.")
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)


class BoundaryOutputSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="version")
    limits = serializers.JSONField(source="content")
    created_by = serializers.CharField(source="created_by.username")
    signatures = SignatureOutputSerializer(many=True)
    re_review = ReReviewRunOutputSerializer(source="re_review_run", allow_null=True, read_only=True)

    class Meta:
        model = RiskBoundary
        fields = [
            "id",
            "version",
            "state",
            "change_note",
            "limits",
            "content_hash",
            "created_by",
            "created_at",
        ]
        fields += ["activated_at", "superseded_at", "signatures", "re_review"]


class BoundaryWriteSerializer(serializers.Serializer):
    change_note = serializers.CharField(max_length=300, required=False, allow_blank=True)
    limits = serializers.DictField()


def _write_input(request: Request, *, partial: bool) -> dict:
    data = request.data if isinstance(request.data, dict) else {}
    unknown = sorted(set(data) - {"change_note", "limits"})
    if unknown:
        raise DomainError("Unknown fields.", errors={k: ["Unknown field."] for k in unknown})
    serializer = BoundaryWriteSerializer(data=data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _prefixed(exc: DomainError) -> DomainError:
    """Limit errors are named as `limits.<field>` in the API, where the limits sit under "limits"."""
    return DomainError(str(exc), errors={f"limits.{k}": v for k, v in exc.errors.items()})


class BoundaryPagination(CursorPagination):
    ordering = "-version"


class BoundaryListCreateApi(ListAPIView):
    serializer_class = BoundaryOutputSerializer
    pagination_class = BoundaryPagination

    def get_queryset(self):
        return selectors.boundaries_for(self.request.user)

    @extend_schema(request=BoundaryWriteSerializer, responses={201: BoundaryOutputSerializer})
    def post(self, request: Request) -> Response:
        policies.ensure_can_manage(request.user)
        data = _write_input(request, partial=False)
        try:
            boundary = services.boundary_create(
                actor=request.user, limits=data["limits"], change_note=data.get("change_note", "")
            )
        except LimitsInvalid as exc:
            raise _prefixed(exc) from exc
        boundary = selectors.boundary_for(request.user, boundary.version)
        return Response(BoundaryOutputSerializer(boundary).data, status=status.HTTP_201_CREATED)


class BoundaryActiveApi(APIView):
    @extend_schema(responses={200: BoundaryOutputSerializer, **error_responses(404)})  # none is active yet
    def get(self, request: Request) -> Response:
        boundary = selectors.active_boundary()
        if boundary is None:
            return Response({"detail": "No risk boundary is active yet.", "errors": {}}, status=404)
        return Response(BoundaryOutputSerializer(boundary).data)


class BoundaryDetailApi(APIView):
    @extend_schema(responses=BoundaryOutputSerializer)
    def get(self, request: Request, version: int) -> Response:
        return Response(BoundaryOutputSerializer(selectors.boundary_for(request.user, version)).data)

    @extend_schema(request=BoundaryWriteSerializer, responses=BoundaryOutputSerializer)
    def patch(self, request: Request, version: int) -> Response:
        boundary = selectors.boundary_for(request.user, version)
        policies.ensure_can_manage(request.user)
        data = _write_input(request, partial=True)
        # Partial: the limits given replace those limits only; every other limit keeps its current value.
        limits = {**boundary.content, **data.get("limits", {})}
        try:
            services.boundary_update(
                actor=request.user, boundary=boundary, limits=limits, change_note=data.get("change_note")
            )
        except LimitsInvalid as exc:
            raise _prefixed(exc) from exc
        return Response(BoundaryOutputSerializer(selectors.boundary_for(request.user, version)).data)


class BoundarySignApi(APIView):
    @extend_schema(
        request=inline_serializer("BoundarySignInput", signature_input_fields()),
        # 429: too many attempts to confirm who is signing, when the deployment asks for it.
        responses={200: BoundaryOutputSerializer, **error_responses(429)},
    )
    def post(self, request: Request, version: int) -> Response:
        boundary = selectors.boundary_for(request.user, version)
        policies.ensure_can_manage(request.user)
        data = request.data if isinstance(request.data, dict) else {}
        errors = {k: ["This field is required."] for k in ("role", "content_hash") if not data.get(k)}
        if errors:
            raise DomainError("Say which role you sign as and which content you signed.", errors=errors)
        if stepup.signing_requires_step_up():
            stepup.confirm_step_up(request._request, request.user, data)
        services.boundary_sign(
            actor=request.user, boundary=boundary, role=str(data["role"]), seen_hash=str(data["content_hash"])
        )
        return Response(BoundaryOutputSerializer(selectors.boundary_for(request.user, version)).data)


IMPACT_LIMIT, IMPACT_LIMIT_MAX = 500, 5000


class BoundaryImpactApi(APIView):
    @extend_schema(
        responses=inline_serializer(
            "BoundaryImpact",
            {
                "version": serializers.IntegerField(),
                "breaching": serializers.ListField(
                    child=serializers.JSONField(),
                    help_text="The use cases it would breach, newly breaching ones and then the others, at most "
                    "`limit` of each (in id order).",
                ),
                "counts": serializers.DictField(
                    child=serializers.IntegerField(),
                    help_text="How many in all: newly (breach it, not the active boundary), already (breach both), "
                    "no_longer (breach the active boundary only).",
                ),
            },
        ),
        parameters=[
            OpenApiParameter(
                "limit",
                int,
                description=f"Use cases listed per group (1 to {IMPACT_LIMIT_MAX}, {IMPACT_LIMIT}).",
            )
        ],
    )
    def get(self, request: Request, version: int) -> Response:
        boundary = selectors.boundary_for(request.user, version)
        policies.ensure_can_manage(request.user)
        wanted = request.query_params.get("limit")
        limit = positive_int(wanted) if wanted is not None else IMPACT_LIMIT
        if limit is None or not 1 <= limit <= IMPACT_LIMIT_MAX:
            raise DomainError(
                "The limit is a whole number of use cases to list.",
                errors={"limit": [f"A whole number from 1 to {IMPACT_LIMIT_MAX}."]},
            )
        split = selectors.boundary_impact_split(boundary, listed=limit)
        newly = {use_case.pk for use_case, _ in split.newly}
        rows = [
            {
                "ref": use_case.reference,
                "title": use_case.title,
                "status": use_case.status,
                "team": use_case.team.name,
                "verdict": check.verdict.value,
                "breaches": [breach.to_dict() for breach in check.breaches],
                # Breaches this version but not the active boundary (every breach is new when none is active).
                "newly_breaching": use_case.pk in newly,
            }
            for use_case, check in split.breaching
        ]
        counts = {group: split.count(group) for group in ("newly", "already", "no_longer")}
        return Response({"version": boundary.version, "breaching": rows, "counts": counts})
