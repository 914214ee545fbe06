"""API v1 for board packs (list, request, status, download, sign), the quarter's statement and the register exports."""

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import stepup
from config.errors import DomainError, InvalidTransition, NotAllowed
from config.quarters import Quarter
from config.schema import error_responses, signature_input_fields
from reporting import exports, issuance, policies, selectors, services
from reporting.models import BoardPack, PackSignature, QuarterStatement, RegisterExport
from reporting.workflow import IssuanceState


class PackSignatureOutputSerializer(serializers.Serializer):
    role = serializers.CharField()
    signer = serializers.CharField(source="signer.username")
    signed_at = serializers.DateTimeField()
    content_hash = serializers.CharField()


class PackStatementOutputSerializer(serializers.Serializer):
    text = serializers.CharField(source="statement_text")
    written_by = serializers.ListField(child=serializers.CharField(), source="statement_authors")
    updated_at = serializers.DateTimeField(source="statement_updated_at")


def _valid_signatures(pack: BoardPack) -> list[PackSignature]:
    prefetched = getattr(pack, "valid_signatures", None)
    if prefetched is not None:
        return prefetched
    return list(pack.signatures.filter(voided_at__isnull=True).select_related("signer"))


def with_signatures(packs: QuerySet[BoardPack]) -> QuerySet[BoardPack]:
    """A page of packs with their standing signatures: one more query for the page, not one per pack."""
    return packs.prefetch_related(
        Prefetch(
            "signatures",
            queryset=PackSignature.objects.filter(voided_at__isnull=True).select_related("signer"),
            to_attr="valid_signatures",
        )
    )


class BoardPackOutputSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField()
    requested_by = serializers.CharField(source="requested_by.username", allow_null=True, default=None)
    download_url = serializers.SerializerMethodField()
    issued = serializers.BooleanField(
        source="is_issued", help_text="Signed by the CIO and the CISO and issued."
    )
    interim = serializers.BooleanField(source="is_interim", help_text="Cut before the quarter ended.")
    issuance_label = serializers.SerializerMethodField(help_text='"Issued", "Draft — not issued" or "Void".')
    statement = serializers.SerializerMethodField()
    signatures = serializers.SerializerMethodField()
    issued_download_url = serializers.SerializerMethodField()

    class Meta:
        model = BoardPack
        fields = [
            "id",
            "quarter",
            "version",
            "status",
            "requested_by",
            "requested_at",
            "cutoff",
            "started_at",
        ]
        fields += ["finished_at", "sha256", "size_bytes", "page_count", "error", "download_url"]
        fields += [
            "content_hash",
            "issuance",
            "issuance_label",
            "issued",
            "interim",
            "statement",
            "signatures",
        ]
        fields += ["issued_at", "issued_sha256", "void_reason", "issued_download_url"]

    def get_download_url(self, pack: BoardPack) -> str | None:
        return f"/api/v1/board-packs/{pack.pk}/download/" if pack.status == BoardPack.Status.READY else None

    def get_issuance_label(self, pack: BoardPack) -> str:
        return (
            "Issued"
            if pack.is_issued
            else "Void"
            if pack.issuance == IssuanceState.VOID
            else "Draft — not issued"
        )

    @extend_schema_field(PackStatementOutputSerializer(allow_null=True))
    def get_statement(self, pack: BoardPack) -> dict | None:
        return PackStatementOutputSerializer(pack).data if pack.statement_revision else None

    @extend_schema_field(PackSignatureOutputSerializer(many=True))
    def get_signatures(self, pack: BoardPack) -> list[dict]:
        return PackSignatureOutputSerializer(_valid_signatures(pack), many=True).data

    def get_issued_download_url(self, pack: BoardPack) -> str | None:
        return (
            f"/api/v1/board-packs/{pack.pk}/download/issued/" if pack.is_issued and pack.issued_file else None
        )


class BoardPackListRequestApi(ListAPIView):
    serializer_class = BoardPackOutputSerializer

    def get_queryset(self):
        return with_signatures(selectors.board_packs_for(self.request.user))

    @extend_schema(
        request=inline_serializer("BoardPackRequest", {"quarter": serializers.CharField()}),
        responses={202: BoardPackOutputSerializer, **error_responses(429)},  # a person's packs per hour
    )
    def post(self, request: Request) -> Response:
        quarter = request.data.get("quarter", "") if isinstance(request.data, dict) else ""
        pack = services.board_pack_request(actor=request.user, quarter=str(quarter))
        pack.refresh_from_db()
        return Response(BoardPackOutputSerializer(pack).data, status=status.HTTP_202_ACCEPTED)


def _pack_for(request: Request, pk: int) -> BoardPack:
    pack = with_signatures(selectors.board_packs_for(request.user)).filter(pk=pk).first()
    if pack is None:
        raise Http404("No such board pack.")
    return pack


class BoardPackDetailApi(APIView):
    @extend_schema(responses=BoardPackOutputSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(BoardPackOutputSerializer(_pack_for(request, pk)).data)


def pack_file_response(actor, pack: BoardPack, *, issued: bool = False) -> FileResponse:
    """The PDF through the application (never a public media URL), audited: the draft, or the issued copy."""
    if pack.status != BoardPack.Status.READY or not pack.file:
        raise Http404("This board pack is not ready.")
    if issued and (not pack.is_issued or not pack.issued_file):
        raise Http404("This board pack is not issued.")
    services.board_pack_downloaded(actor=actor, pack=pack, issued=issued)
    file, name, digest = (
        (pack.issued_file, pack.issued_filename, pack.issued_sha256)
        if issued
        else (pack.file, pack.filename, pack.sha256)
    )
    response = FileResponse(
        file.open("rb"), content_type="application/pdf", as_attachment=True, filename=name
    )
    response["X-Content-SHA256"] = digest
    response["Cache-Control"] = "private, no-store"
    return response


class BoardPackDownloadApi(APIView):
    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(description="The PDF")})
    def get(self, request: Request, pk: int) -> FileResponse:
        return pack_file_response(request.user, _pack_for(request, pk))


class BoardPackIssuedDownloadApi(APIView):
    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(description="The issued PDF")})
    def get(self, request: Request, pk: int) -> FileResponse:
        return pack_file_response(request.user, _pack_for(request, pk), issued=True)


class BoardPackSignApi(APIView):
    @extend_schema(
        request=inline_serializer("BoardPackSignInput", signature_input_fields()),
        # 409: a stale content hash, a void or issued version; 429: too many attempts to confirm who is signing.
        responses={200: BoardPackOutputSerializer, **error_responses(429)},
    )
    def post(self, request: Request, pk: int) -> Response:
        pack = _pack_for(request, pk)
        data = request.data if isinstance(request.data, dict) else {}
        errors = {k: ["This field is required."] for k in ("role", "content_hash") if not data.get(k)}
        if errors:
            raise DomainError("Say which role you sign as and which content you signed.", errors=errors)
        policies.ensure_can_sign_as(request.user, str(data["role"]))
        if stepup.signing_requires_step_up():
            stepup.confirm_step_up(request._request, request.user, data)
        services.board_pack_sign(
            actor=request.user, pack=pack, role=str(data["role"]), seen_hash=str(data["content_hash"])
        )
        return Response(BoardPackOutputSerializer(_pack_for(request, pk)).data)


class StatementOutputSerializer(serializers.Serializer):
    quarter = serializers.CharField()
    text = serializers.CharField()
    revision = serializers.IntegerField()
    written_by = serializers.SerializerMethodField()
    updated_at = serializers.DateTimeField()

    def get_written_by(self, statement: QuarterStatement) -> list[str]:
        return sorted(u.get_username() for u in statement.authors.all())


class StatementApi(APIView):
    """The quarter's joint CIO–CISO statement: read it; write or edit it (the CIO and the CISO)."""

    def _quarter(self, quarter: str) -> str:
        if not policies.can_request_packs(self.request.user):
            raise NotAllowed("Only board secretaries, the CIO and the CISO read the board statement.")
        return str(Quarter.parse(quarter))

    @extend_schema(responses=StatementOutputSerializer)
    def get(self, request: Request, quarter: str) -> Response:
        statement = issuance.statement_for(self._quarter(quarter))
        if statement is None:
            raise Http404("No statement for this quarter yet.")
        return Response(StatementOutputSerializer(statement).data)

    @extend_schema(
        request=inline_serializer(
            "StatementInput", {"text": serializers.CharField(max_length=services.STATEMENT_MAX_LENGTH)}
        ),
        responses=StatementOutputSerializer,
    )
    def put(self, request: Request, quarter: str) -> Response:
        data = request.data if isinstance(request.data, dict) else {}
        text = data.get("text")
        if not isinstance(text, str):
            raise DomainError("Write the statement.", errors={"text": ["This field is required."]})
        services.statement_save(actor=request.user, quarter=self._quarter(quarter), text=text)
        return Response(StatementOutputSerializer(issuance.statement_for(self._quarter(quarter))).data)


class RegisterExportOutputSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = RegisterExport
        fields = ["id", "kind", "status", "requested_at", "finished_at", "rows", "size_bytes", "download_url"]

    def get_download_url(self, export: RegisterExport) -> str | None:
        if export.status != RegisterExport.Status.READY:
            return None
        return reverse("api:register-export-file", args=[export.pk])


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX}


def register_response(user, kind: str) -> HttpResponse | None:
    """The register as a file, built in the request when it is small. For a large one the answer is ``None``: the
    worker prepares it (API: 409 naming the exports endpoint; pages: the exports page)."""
    if not policies.can_request_packs(user):
        raise NotAllowed("Only board secretaries, the CIO and the CISO export the register.")
    if selectors.register_is_large(inline_limit=settings.REGISTER_EXPORT_INLINE_ROWS):
        return None
    rows = selectors.register_rows(user)
    services.register_downloaded(actor=user, kind=kind, rows=len(rows))
    body = exports.register_csv(rows) if kind == "csv" else exports.register_xlsx(rows)
    response = HttpResponse(body, content_type=CONTENT_TYPES[kind])
    filename = exports.register_filename(kind, timezone.localdate())
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def register_export_file_response(user, export: RegisterExport) -> FileResponse:
    """A finished export's file, to the person who asked for it, audited."""
    if export.status != RegisterExport.Status.READY or not export.file:
        raise Http404("This export is not ready.")
    services.register_downloaded(actor=user, kind=export.kind, rows=export.rows, export=export)
    response = FileResponse(
        export.file.open("rb"),
        content_type=CONTENT_TYPES[export.kind],
        as_attachment=True,
        filename=export.filename,
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _register_api(request: Request, kind: str) -> HttpResponse:
    response = register_response(request.user, kind)
    if response is not None:
        return response
    limit = settings.REGISTER_EXPORT_INLINE_ROWS
    raise InvalidTransition(
        f"The register has more than {limit:,} rows: ask the worker to prepare it "
        f'(POST {reverse("api:register-export-list")} with {{"kind": "{kind}"}}) and download it when it is ready.',
        errors={"kind": [f"Too large to build in a request; POST {reverse('api:register-export-list')}."]},
    )


_REGISTER_TOO_LARGE = (
    "A register of more than REGISTER_EXPORT_INLINE_ROWS rows (2,000 by default) is too large to build in the "
    "request: the answer is 409, and POST /api/v1/register-exports/ has the worker prepare it."
)


class RegisterCsvApi(APIView):
    @extend_schema(
        description=_REGISTER_TOO_LARGE,
        responses={(200, "text/csv"): OpenApiResponse(description="The register")},
    )
    def get(self, request: Request) -> HttpResponse:
        return _register_api(request, "csv")


class RegisterXlsxApi(APIView):
    @extend_schema(
        description=_REGISTER_TOO_LARGE, responses={(200, XLSX): OpenApiResponse(description="The register")}
    )
    def get(self, request: Request) -> HttpResponse:
        return _register_api(request, "xlsx")


def _export_for(request: Request, pk: int) -> RegisterExport:
    export = selectors.register_exports_for(request.user).filter(pk=pk).first()
    if export is None:
        raise Http404("No such export.")
    return export


class RegisterExportInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=RegisterExport.Kind.choices)


class RegisterExportListApi(ListAPIView):
    """The register exports you asked for, newest first; POST asks the worker for one."""

    serializer_class = RegisterExportOutputSerializer

    def get_queryset(self):
        return selectors.register_exports_for(self.request.user)

    @extend_schema(request=RegisterExportInputSerializer, responses={202: RegisterExportOutputSerializer})
    def post(self, request: Request) -> Response:
        serializer = RegisterExportInputSerializer(
            data=request.data if isinstance(request.data, dict) else {}
        )
        serializer.is_valid(raise_exception=True)
        export = services.register_export_request(actor=request.user, kind=serializer.validated_data["kind"])
        answer = Response(RegisterExportOutputSerializer(export).data, status=status.HTTP_202_ACCEPTED)
        answer["Location"] = reverse("api:register-export-detail", args=[export.pk])
        return answer


class RegisterExportDetailApi(APIView):
    @extend_schema(responses=RegisterExportOutputSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(RegisterExportOutputSerializer(_export_for(request, pk)).data)


class RegisterExportFileApi(APIView):
    @extend_schema(
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY, description="The register (CSV)"),
            (200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="The register (Excel)"),
        }
    )
    def get(self, request: Request, pk: int) -> FileResponse:
        return register_export_file_response(request.user, _export_for(request, pk))
