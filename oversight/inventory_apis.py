"""The AI inventory's API: providers with their terms and models, the use cases that depend on one (as far as the
person may see them), a change of terms with its what-if, and new providers and models (the CIO and the CISO)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.schema import error_responses
from oversight import inventory
from oversight.models import PROVIDER_TERMS, AiModel, AiProvider, ProviderTerm


class TermSerializer(serializers.ModelSerializer):
    checked_by = serializers.CharField(source="checked_by.username")

    class Meta:
        model = ProviderTerm
        fields = ["term", "holds", "checked_on", "checked_by", "document"]


class ModelSerializer(serializers.ModelSerializer):
    class Meta:
        model = AiModel
        fields = ["id", "name", "version", "hosting_region"]


class ProviderSerializer(serializers.ModelSerializer):
    terms = TermSerializer(many=True)
    models = ModelSerializer(many=True)

    class Meta:
        model = AiProvider
        fields = ["id", "name", "status", "hosting_regions", "note", "terms", "models"]


class DependentSerializer(serializers.Serializer):
    ref = serializers.CharField(source="reference")
    title = serializers.CharField()
    status = serializers.CharField()
    tier = serializers.CharField()
    owner = serializers.CharField(source="submitter.username")


class ProviderDetailSerializer(ProviderSerializer):
    use_cases = serializers.SerializerMethodField()

    class Meta(ProviderSerializer.Meta):
        fields = [*ProviderSerializer.Meta.fields, "use_cases"]

    @extend_schema_field(DependentSerializer(many=True))
    def get_use_cases(self, provider: AiProvider) -> list[dict]:
        user = self.context["request"].user
        return DependentSerializer(inventory.live_use_cases_of(provider, user), many=True).data


class ProviderInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    hosting_regions = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)


class ProviderListApi(APIView):
    @extend_schema(responses=ProviderSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(ProviderSerializer(inventory.providers(), many=True).data)

    @extend_schema(
        request=ProviderInputSerializer, responses={201: ProviderSerializer, **error_responses(409)}
    )
    def post(self, request: Request) -> Response:
        serializer = ProviderInputSerializer(data=request.data if isinstance(request.data, dict) else {})
        serializer.is_valid(raise_exception=True)
        provider = inventory.provider_list(actor=request.user, **serializer.validated_data)
        return Response(ProviderSerializer(inventory.providers().get(pk=provider.pk)).data, status=201)


class ProviderDetailApi(APIView):
    @extend_schema(responses=ProviderDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        provider = get_object_or_404(inventory.providers(), pk=pk)
        return Response(ProviderDetailSerializer(provider, context={"request": request}).data)


class TermInputSerializer(serializers.Serializer):
    holds = serializers.BooleanField()
    checked_on = serializers.DateField()
    document = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class TermsInputSerializer(serializers.Serializer):
    terms = serializers.DictField(
        child=TermInputSerializer(), help_text=f"By term: {', '.join(t for t, _ in PROVIDER_TERMS)}."
    )
    confirm = serializers.BooleanField(
        default=False,
        help_text="Save even though live use cases would newly exceed the risk boundary (they go to re-review).",
    )


class ImpactSerializer(serializers.Serializer):
    ref = serializers.CharField()
    title = serializers.CharField()
    breaches = serializers.ListField(child=serializers.CharField())


class TermsResultSerializer(serializers.Serializer):
    saved = serializers.BooleanField()
    impact = ImpactSerializer(
        many=True, help_text="Live use cases these terms would newly put outside the boundary."
    )


class ProviderTermsApi(APIView):
    @extend_schema(request=TermsInputSerializer, responses=TermsResultSerializer)
    def post(self, request: Request, pk: int) -> Response:
        """Record terms; without `confirm`, nothing is saved while any live use case would newly exceed the risk
        boundary (the answer lists them); with it, they are saved and those use cases go to re-review."""
        provider = get_object_or_404(AiProvider, pk=pk)
        serializer = TermsInputSerializer(data=request.data if isinstance(request.data, dict) else {})
        serializer.is_valid(raise_exception=True)
        impact, saved = inventory.provider_terms_set(
            actor=request.user,
            provider=provider,
            terms=serializer.validated_data["terms"],
            confirm=serializer.validated_data["confirm"],
        )
        data = {
            "saved": saved,
            "impact": [
                {"ref": u.reference, "title": u.title, "breaches": [b.reason for b in check.breaches]}
                for u, check in impact
            ],
        }
        return Response(TermsResultSerializer(data).data)


class ModelInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    version = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)
    hosting_region = serializers.CharField(required=False, allow_blank=True, default="", max_length=10)


class ProviderModelsApi(APIView):
    @extend_schema(request=ModelInputSerializer, responses={201: ModelSerializer, **error_responses(409)})
    def post(self, request: Request, pk: int) -> Response:
        provider = get_object_or_404(AiProvider, pk=pk)
        serializer = ModelInputSerializer(data=request.data if isinstance(request.data, dict) else {})
        serializer.is_valid(raise_exception=True)
        model = inventory.model_list(actor=request.user, provider=provider, **serializer.validated_data)
        return Response(ModelSerializer(model).data, status=status.HTTP_201_CREATED)
