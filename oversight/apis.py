"""The live-oversight API: incidents (report, list, read), recording a reporting duty as done, and a use case's
suspension (kill switch). Scoped like the rest: an incident is visible when its use case is."""

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.schema import error_responses
from intake.selectors import use_case_for
from oversight import clocks, selectors, services
from oversight.downloads import evidence_file_response
from oversight.models import Attestation, Evidence, Incident, IncidentDeadline, Suspension


class DeadlineOutputSerializer(serializers.ModelSerializer):
    met_by = serializers.CharField(source="met_by.username", allow_null=True, default=None)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = IncidentDeadline
        fields = ["id", "duty", "article", "period", "due_at", "met_at", "met_by", "met_note", "overdue"]

    def get_overdue(self, deadline: IncidentDeadline) -> bool:
        return deadline.met_at is None and deadline.due_at < timezone.now()


class IncidentOutputSerializer(serializers.ModelSerializer):
    ref = serializers.CharField(source="use_case.reference")
    reference = serializers.CharField()
    reported_by = serializers.CharField(source="reported_by.username")
    deadlines = DeadlineOutputSerializer(many=True)

    class Meta:
        model = Incident
        fields = [
            "id",
            "reference",
            "ref",
            "title",
            "what_happened",
            "who_was_affected",
            "harm",
            "serious",
            "serious_kind",
            "actions_taken",
            "occurred_at",
            "aware_at",
            "reported_at",
            "reported_by",
            "tier",
            "role",
            "deadlines",
        ]


class IncidentInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    what_happened = serializers.CharField(max_length=8000)
    who_was_affected = serializers.CharField(max_length=4000)
    harm = serializers.CharField(max_length=4000)
    occurred_at = serializers.DateTimeField()
    aware_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        default=None,
        help_text="When we became aware; the clocks run from here.",
    )
    serious = serializers.BooleanField(
        default=False, help_text="A serious incident in the sense of Art. 3(49)."
    )
    serious_kind = serializers.ChoiceField(
        choices=list(clocks.SERIOUS_KINDS), required=False, allow_blank=True, default=""
    )
    actions_taken = serializers.CharField(max_length=8000, required=False, allow_blank=True, default="")


class UseCaseIncidentListApi(APIView):
    @extend_schema(responses=IncidentOutputSerializer(many=True))
    def get(self, request: Request, ref: str) -> Response:
        use_case = use_case_for(request.user, ref)
        return Response(IncidentOutputSerializer(selectors.incidents_of(use_case), many=True).data)

    @extend_schema(
        request=IncidentInputSerializer, responses={201: IncidentOutputSerializer, **error_responses(409)}
    )
    def post(self, request: Request, ref: str) -> Response:
        use_case = use_case_for(request.user, ref)
        serializer = IncidentInputSerializer(data=request.data if isinstance(request.data, dict) else {})
        serializer.is_valid(raise_exception=True)
        incident = services.incident_report(
            actor=request.user, use_case=use_case, **serializer.validated_data
        )
        return Response(
            IncidentOutputSerializer(selectors.incident_for(request.user, incident.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class IncidentListApi(ListAPIView):
    """Every incident on a use case you can see, newest first."""

    serializer_class = IncidentOutputSerializer

    def get_queryset(self):
        return selectors.incidents_visible_to(self.request.user)


class IncidentDetailApi(APIView):
    @extend_schema(responses=IncidentOutputSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(IncidentOutputSerializer(selectors.incident_for(request.user, pk)).data)


class DeadlineMetInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class IncidentDeadlineMetApi(APIView):
    @extend_schema(
        request=DeadlineMetInputSerializer, responses={200: DeadlineOutputSerializer, **error_responses(409)}
    )
    def post(self, request: Request, pk: int, deadline: int) -> Response:
        incident = selectors.incident_for(request.user, pk)
        target = next((d for d in incident.deadlines.all() if d.pk == deadline), None)
        if target is None:
            from django.http import Http404

            raise Http404("No such deadline.")
        serializer = DeadlineMetInputSerializer(data=request.data if isinstance(request.data, dict) else {})
        serializer.is_valid(raise_exception=True)
        met = services.incident_deadline_met(actor=request.user, deadline=target, **serializer.validated_data)
        return Response(DeadlineOutputSerializer(met).data)


class SuspensionOutputSerializer(serializers.ModelSerializer):
    suspended_by = serializers.CharField(source="suspended_by.username")
    lifted_by = serializers.CharField(source="lifted_by.username", allow_null=True, default=None)
    incident = serializers.IntegerField(source="incident_id", allow_null=True)

    class Meta:
        model = Suspension
        fields = [
            "suspended_at",
            "suspended_by",
            "reason",
            "incident",
            "lifted_at",
            "lifted_by",
            "lift_reason",
        ]


class SuspendInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
    incident = serializers.IntegerField(required=False, allow_null=True, default=None)


class LiftInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


def _body(request: Request) -> dict[str, Any]:
    return request.data if isinstance(request.data, dict) else {}


class UseCaseSuspensionApi(APIView):
    @extend_schema(responses={200: SuspensionOutputSerializer, 204: None})
    def get(self, request: Request, ref: str) -> Response:
        """The suspension in force; 204 when the use case runs."""
        suspension = selectors.suspension_in_force(use_case_for(request.user, ref))
        if suspension is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(SuspensionOutputSerializer(suspension).data)

    @extend_schema(
        request=SuspendInputSerializer, responses={201: SuspensionOutputSerializer, **error_responses(409)}
    )
    def post(self, request: Request, ref: str) -> Response:
        """Suspend it at once (its kill switch): the CIO or the CISO."""
        use_case = use_case_for(request.user, ref)
        serializer = SuspendInputSerializer(data=_body(request))
        serializer.is_valid(raise_exception=True)
        incident_id = serializer.validated_data["incident"]
        incident = selectors.incident_for(request.user, incident_id) if incident_id else None
        suspension = services.use_case_suspend(
            actor=request.user,
            use_case=use_case,
            reason=serializer.validated_data["reason"],
            incident=incident,
        )
        return Response(SuspensionOutputSerializer(suspension).data, status=status.HTTP_201_CREATED)


class UseCaseSuspensionLiftApi(APIView):
    @extend_schema(
        request=LiftInputSerializer, responses={200: SuspensionOutputSerializer, **error_responses(409)}
    )
    def post(self, request: Request, ref: str) -> Response:
        use_case = use_case_for(request.user, ref)
        serializer = LiftInputSerializer(data=_body(request))
        serializer.is_valid(raise_exception=True)
        suspension = services.suspension_lift(
            actor=request.user, use_case=use_case, reason=serializer.validated_data["reason"]
        )
        return Response(SuspensionOutputSerializer(suspension).data)


class EvidenceOutputSerializer(serializers.ModelSerializer):
    added_by = serializers.CharField(source="added_by.username")
    condition = serializers.IntegerField(source="condition_id", allow_null=True)
    download = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = [
            "id",
            "condition",
            "obligation",
            "note",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "added_by",
            "added_at",
            "download",
        ]

    def get_download(self, item: Evidence) -> str | None:
        return f"/api/v1/evidence/{item.pk}/download/" if item.file else None


class EvidenceInputSerializer(serializers.Serializer):
    condition = serializers.IntegerField(required=False, allow_null=True, default=None)
    obligation = serializers.CharField(required=False, allow_blank=True, default="", max_length=80)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)
    file = serializers.FileField(
        required=False,
        allow_null=True,
        default=None,
        allow_empty_file=True,  # the service names the field: "The file is empty."
        help_text="PDF, PNG, JPEG, GIF, WebP, .docx, .xlsx, .pptx, .odt, .ods, .odp; checked by content.",
    )


class UseCaseEvidenceApi(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(responses=EvidenceOutputSerializer(many=True))
    def get(self, request: Request, ref: str) -> Response:
        use_case = use_case_for(request.user, ref)
        return Response(EvidenceOutputSerializer(selectors.evidence_of(use_case), many=True).data)

    @extend_schema(
        request={"multipart/form-data": EvidenceInputSerializer},
        responses={201: EvidenceOutputSerializer, **error_responses(409)},
    )
    def post(self, request: Request, ref: str) -> Response:
        """Evidence for one condition (its id) or one obligation (its id): a note, a file, or both."""
        use_case = use_case_for(request.user, ref)
        serializer = EvidenceInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        item = services.evidence_add(
            actor=request.user,
            use_case=use_case,
            condition_id=data["condition"],
            obligation=data["obligation"],
            note=data["note"],
            upload=data["file"],
        )
        return Response(EvidenceOutputSerializer(item).data, status=status.HTTP_201_CREATED)


class EvidenceDownloadApi(APIView):
    @extend_schema(responses={(200, "application/octet-stream"): OpenApiResponse(description="The file")})
    def get(self, request: Request, pk: int):
        return evidence_file_response(request.user, selectors.evidence_for(request.user, pk))


class AttestationSerializer(serializers.ModelSerializer):
    attested_by = serializers.CharField(source="attested_by.username", read_only=True)
    as_approved = serializers.BooleanField(read_only=True)

    class Meta:
        model = Attestation
        fields = [
            "quarter",
            "same_model",
            "same_data",
            "controls_operating",
            "note",
            "as_approved",
            "attested_by",
            "attested_at",
        ]
        read_only_fields = ["quarter", "attested_at"]


class AttestationInputSerializer(serializers.Serializer):
    same_model = serializers.BooleanField(help_text="The same provider, model and version as approved.")
    same_data = serializers.BooleanField(help_text="The same data, classification and people.")
    controls_operating = serializers.BooleanField(help_text="Its controls and conditions operate.")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)


class UseCaseAttestationApi(APIView):
    @extend_schema(responses=AttestationSerializer(many=True))
    def get(self, request: Request, ref: str) -> Response:
        use_case = use_case_for(request.user, ref)
        return Response(
            AttestationSerializer(use_case.attestations.select_related("attested_by"), many=True).data
        )

    @extend_schema(
        request=AttestationInputSerializer, responses={201: AttestationSerializer, **error_responses(409)}
    )
    def post(self, request: Request, ref: str) -> Response:
        """The owner's attestation for the current quarter (once)."""
        use_case = use_case_for(request.user, ref)
        serializer = AttestationInputSerializer(data=_body(request))
        serializer.is_valid(raise_exception=True)
        attestation = services.use_case_attest(
            actor=request.user, use_case=use_case, **serializer.validated_data
        )
        return Response(AttestationSerializer(attestation).data, status=status.HTTP_201_CREATED)
