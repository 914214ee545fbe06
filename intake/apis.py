"""API v1 for use cases: list, create, read, edit, submit, withdraw, assessment and revisions."""

from typing import Any

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Team
from config.errors import DomainError, InvalidTransition, NotAllowed
from config.schema import error_responses
from intake import policies, selectors, services
from intake.answers import ANSWER_FIELDS, QUESTIONS
from intake.assessment import duties
from intake.models import RulesetUpgrade, UseCase


class DescriptiveInputSerializer(serializers.Serializer):
    """The description of a use case; the answers are validated by intake.answers (one rule book for every client)."""

    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(max_length=4000, allow_blank=True, required=False)
    business_owner = serializers.CharField(max_length=150, allow_blank=True, required=False)
    business_value = serializers.CharField(max_length=4000, allow_blank=True, required=False)
    go_live_target = serializers.DateField(allow_null=True, required=False)


def _answer_schema_field(question) -> serializers.Field:
    """How one answer looks in the OpenAPI schema (documentation only)."""
    if question.kind == "many":
        return serializers.ListField(child=serializers.ChoiceField(choices=question.values), required=False)
    if question.kind == "bool":
        return serializers.BooleanField(required=False, allow_null=True)
    if question.kind == "text":
        return serializers.CharField(
            required=False, allow_blank=True, allow_null=True, max_length=question.max_length
        )
    if question.name == "autonomy":
        return serializers.IntegerField(min_value=0, max_value=4, required=False, allow_null=True)
    return serializers.ChoiceField(choices=question.values, required=False, allow_null=True)


UseCaseWriteSchema = type(
    "UseCaseWriteSerializer",
    (DescriptiveInputSerializer,),
    {"team": serializers.CharField(required=False), **{q.name: _answer_schema_field(q) for q in QUESTIONS}},
)

WRITABLE = {*DescriptiveInputSerializer().fields, *ANSWER_FIELDS}


def _validated_input(
    request: Request, *, partial: bool, extra: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """Descriptive fields through the serializer, answers passed on as given; unknown keys are refused by name."""
    data = request.data if isinstance(request.data, dict) else {}
    unknown = sorted(set(data) - WRITABLE - extra)
    if unknown:
        raise DomainError("Unknown fields.", errors={k: ["Unknown field."] for k in unknown})
    descriptive = DescriptiveInputSerializer(data=data, partial=partial)
    descriptive.is_valid(raise_exception=True)
    return {**descriptive.validated_data, **{k: v for k, v in data.items() if k in ANSWER_FIELDS}}


class UseCaseOutputSerializer(serializers.ModelSerializer):
    ref = serializers.CharField(source="reference")
    team = serializers.CharField(source="team.name")
    submitter = serializers.CharField(source="submitter.username")
    answers = serializers.JSONField()
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = UseCase
        fields = [
            "ref",
            "title",
            "summary",
            "team",
            "submitter",
            "business_owner",
            "business_value",
            "go_live_target",
            "status",
            "status_reason",
            "revision_count",
            "review_round",
            "tier",
            "band",
            "score",
            "answers",
            "created_at",
            "updated_at",
            "submitted_at",
            "allowed_actions",
        ]
        extra_kwargs = {
            "review_round": {"help_text": "The round of decisions it waits for; a decision names it."},
        }

    def get_allowed_actions(self, obj: UseCase) -> list[str]:
        """What the person asking may do now, not everything the state table allows."""
        request = self.context.get("request")
        return policies.requester_actions(request.user, obj) if request else []


class UseCaseListCreateApi(ListAPIView):
    serializer_class = UseCaseOutputSerializer

    def get_queryset(self):
        return selectors.use_case_list_source(self.request.user)

    @extend_schema(request=UseCaseWriteSchema, responses={201: UseCaseOutputSerializer})
    def post(self, request: Request) -> Response:
        data = _validated_input(request, partial=False, extra=frozenset({"team"}))
        answers = {k: data.pop(k) for k in list(data) if k in ANSWER_FIELDS}
        use_case = services.use_case_create(
            actor=request.user, team=self._team(request), **data, answers=answers
        )
        return Response(
            UseCaseOutputSerializer(use_case, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    @staticmethod
    def _team(request: Request) -> Team:
        teams = list(request.user.teams.all())
        wanted = request.data.get("team")
        if wanted:
            for team in teams:
                if wanted in (team.slug, team.name):
                    return team
            raise DomainError("Unknown team.", errors={"team": ["Not one of your teams."]})
        if len(teams) == 1:
            return teams[0]
        raise DomainError("Say which team this is for.", errors={"team": ["Choose one of your teams."]})


class UseCaseDetailApi(APIView):
    @extend_schema(responses=UseCaseOutputSerializer)
    def get(self, request: Request, ref: str) -> Response:
        use_case = selectors.use_case_for(request.user, ref)
        return Response(UseCaseOutputSerializer(use_case, context={"request": request}).data)

    @extend_schema(request=UseCaseWriteSchema, responses=UseCaseOutputSerializer)
    def patch(self, request: Request, ref: str) -> Response:
        use_case = selectors.use_case_for(request.user, ref)
        changes = _validated_input(request, partial=True)
        use_case = services.use_case_update(actor=request.user, use_case=use_case, changes=changes)
        return Response(UseCaseOutputSerializer(use_case, context={"request": request}).data)


class UseCaseSubmitApi(APIView):
    @extend_schema(request=None, responses=UseCaseOutputSerializer)
    def post(self, request: Request, ref: str) -> Response:
        use_case = services.use_case_submit(
            actor=request.user, use_case=selectors.use_case_for(request.user, ref)
        )
        return Response(UseCaseOutputSerializer(use_case, context={"request": request}).data)


class UseCaseWithdrawInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=services.WITHDRAW_REASON_MAX_LENGTH, required=False, allow_blank=True, default=""
    )


class UseCaseWithdrawApi(APIView):
    @extend_schema(request=UseCaseWithdrawInputSerializer, responses=UseCaseOutputSerializer)
    def post(self, request: Request, ref: str) -> Response:
        use_case = selectors.use_case_for(request.user, ref)
        data = request.data if isinstance(request.data, dict) else {}
        serializer = UseCaseWithdrawInputSerializer(data=data)
        serializer.is_valid(raise_exception=True)
        reason = serializer.validated_data["reason"]
        use_case = services.use_case_withdraw(actor=request.user, use_case=use_case, reason=reason)
        return Response(UseCaseOutputSerializer(use_case, context={"request": request}).data)


class UseCaseAssessmentApi(APIView):
    @extend_schema(
        responses=inline_serializer(
            "UseCaseAssessment",
            {
                "ref": serializers.CharField(),
                "source": serializers.CharField(),
                "assessment": serializers.JSONField(),
            },
        )
    )
    def get(self, request: Request, ref: str) -> Response:
        use_case = selectors.use_case_for(request.user, ref)
        assessment, source = selectors.use_case_assessment(use_case)
        boundary = selectors.use_case_boundary_check(use_case, assessment)
        return Response(
            {
                "ref": use_case.reference,
                "source": source,
                "assessment": assessment,
                "boundary_check": boundary.check.to_dict() if boundary else None,
                "boundary_version": boundary.boundary_version if boundary else None,
            }
        )


class UseCaseRevisionListApi(APIView):
    class RevisionOutputSerializer(serializers.Serializer):
        number = serializers.IntegerField()
        content_hash = serializers.CharField()
        ruleset_version = serializers.CharField()
        submitted_at = serializers.DateTimeField()
        submitted_by = serializers.CharField(source="submitted_by.username")
        tier = serializers.CharField(source="assessment.eu_ai_act.tier")
        band = serializers.CharField(source="assessment.band")
        content = serializers.JSONField()

    @extend_schema(responses=RevisionOutputSerializer(many=True))
    def get(self, request: Request, ref: str) -> Response:
        use_case = selectors.use_case_for(request.user, ref)
        revisions = selectors.use_case_revisions(use_case)
        return Response(self.RevisionOutputSerializer(revisions, many=True).data)


class ObligationOutputSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="The id of the rule that lists the obligation.")
    text = serializers.CharField()
    citation = serializers.CharField()
    role = serializers.ChoiceField(
        choices=[role for role, _ in duties.ROLE_GROUPS],
        help_text="Whose duty: ours as deployer, provider, …",
    )
    applies_on = serializers.DateField(allow_null=True, help_text="The key date it applies from; null: now.")
    in_force = serializers.BooleanField()
    satisfied_by = serializers.CharField()
    state = serializers.ChoiceField(choices=duties.STATES)
    reason = serializers.CharField(allow_blank=True)
    updated_by = serializers.CharField(source="updated_by.username", allow_null=True, default=None)
    updated_at = serializers.DateTimeField(allow_null=True)


def _obligations(use_case: UseCase) -> list[dict[str, Any]]:
    return [item for group in selectors.obligation_checklist(use_case) for item in group["items"]]


class UseCaseObligationListApi(APIView):
    @extend_schema(responses=ObligationOutputSerializer(many=True))
    def get(self, request: Request, ref: str) -> Response:
        use_case = selectors.use_case_for(request.user, ref)
        return Response(ObligationOutputSerializer(_obligations(use_case), many=True).data)


class ObligationInputSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=duties.STATES)
    reason = serializers.CharField(
        max_length=services.MAX_OBLIGATION_REASON,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required when the state is not_applicable.",
    )


class UseCaseObligationApi(APIView):
    @extend_schema(request=ObligationInputSerializer, responses=ObligationOutputSerializer)
    def patch(self, request: Request, ref: str, obligation: str) -> Response:
        use_case = selectors.use_case_for(request.user, ref)
        data = request.data if isinstance(request.data, dict) else {}
        serializer = ObligationInputSerializer(data=data)
        serializer.is_valid(raise_exception=True)
        services.obligation_set_state(
            actor=request.user,
            use_case=use_case,
            obligation=obligation,
            state=serializer.validated_data["state"],
            reason=serializer.validated_data["reason"],
        )
        item = next(item for item in _obligations(use_case) if item["id"] == obligation)
        return Response(ObligationOutputSerializer(item).data)


class RulesetChangeSerializer(serializers.Serializer):
    ref = serializers.CharField(source="use_case.reference")
    title = serializers.CharField(source="use_case.title")
    from_version = serializers.CharField()
    revision_number = serializers.IntegerField()
    rose = serializers.BooleanField()
    change = serializers.JSONField(
        help_text="before, after (tier, role, band, obligations), fired, no_longer"
    )


class RulesetAcknowledgementSerializer(serializers.Serializer):
    role = serializers.CharField()
    by = serializers.CharField(source="person.username")
    at = serializers.DateTimeField()


class RulesetUpgradeSerializer(serializers.Serializer):
    version = serializers.CharField()
    state = serializers.ChoiceField(choices=RulesetUpgrade.State.choices)
    total = serializers.IntegerField()
    checked = serializers.IntegerField()
    changed = serializers.IntegerField()
    rose = serializers.IntegerField()
    re_reviewed = serializers.IntegerField()
    acknowledgements = RulesetAcknowledgementSerializer(many=True)
    changes = RulesetChangeSerializer(many=True, help_text="The riskier first; at most 200.")


def _ensure_executive(request: Request) -> None:
    if not policies.can_see_ruleset_upgrades(request.user):
        raise NotAllowed("Only the CIO and the CISO see ruleset upgrades.")


def _upgrade_data(upgrade: RulesetUpgrade) -> dict[str, Any]:
    return RulesetUpgradeSerializer(
        {
            **{
                name: getattr(upgrade, name)
                for name in ("version", "state", "total", "checked", "changed", "rose")
            },
            "re_reviewed": upgrade.re_reviewed,
            "acknowledgements": list(upgrade.acknowledgements.select_related("person")),
            "changes": selectors.ruleset_changes(upgrade),
        }
    ).data


class RulesetApi(APIView):
    @extend_schema(responses={200: RulesetUpgradeSerializer, 204: None})
    def get(self, request: Request) -> Response:
        """The newer ruleset waiting for the executives (else the last one deployed); 204 when none was ever."""
        _ensure_executive(request)
        upgrade = selectors.pending_ruleset_upgrade() or selectors.latest_ruleset_upgrade()
        if upgrade is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(_upgrade_data(upgrade))


class RulesetAcknowledgeInputSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=[("cio", "CIO"), ("ciso", "CISO")])


class RulesetAcknowledgeApi(APIView):
    @extend_schema(
        request=RulesetAcknowledgeInputSerializer,
        responses={200: RulesetUpgradeSerializer, **error_responses(409)},
    )
    def post(self, request: Request) -> Response:
        _ensure_executive(request)
        serializer = RulesetAcknowledgeInputSerializer(
            data=request.data if isinstance(request.data, dict) else {}
        )
        serializer.is_valid(raise_exception=True)
        upgrade = selectors.pending_ruleset_upgrade()
        if upgrade is None:
            raise InvalidTransition("No newer ruleset is waiting for acknowledgement.")
        upgrade = services.ruleset_acknowledge(
            actor=request.user, upgrade=upgrade, role=serializer.validated_data["role"]
        )
        return Response(_upgrade_data(upgrade))
