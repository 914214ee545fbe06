"""API v1 for board packs (list, request, status, download) and the register exports."""

from django.http import FileResponse, Http404, HttpResponse
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.errors import NotAllowed
from config.schema import error_responses
from reporting import exports, policies, selectors, services
from reporting.models import BoardPack


class BoardPackOutputSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField()
    requested_by = serializers.CharField(source="requested_by.username", allow_null=True, default=None)
    download_url = serializers.SerializerMethodField()

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

    def get_download_url(self, pack: BoardPack) -> str | None:
        return f"/api/v1/board-packs/{pack.pk}/download/" if pack.status == BoardPack.Status.READY else None


class BoardPackListRequestApi(ListAPIView):
    serializer_class = BoardPackOutputSerializer

    def get_queryset(self):
        return selectors.board_packs_for(self.request.user)

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
    pack = selectors.board_packs_for(request.user).filter(pk=pk).first()
    if pack is None:
        raise Http404("No such board pack.")
    return pack


class BoardPackDetailApi(APIView):
    @extend_schema(responses=BoardPackOutputSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(BoardPackOutputSerializer(_pack_for(request, pk)).data)


def pack_file_response(actor, pack: BoardPack) -> FileResponse:
    """The PDF through the application (never a public media URL), audited."""
    if pack.status != BoardPack.Status.READY or not pack.file:
        raise Http404("This board pack is not ready.")
    services.board_pack_downloaded(actor=actor, pack=pack)
    response = FileResponse(
        pack.file.open("rb"), content_type="application/pdf", as_attachment=True, filename=pack.filename
    )
    response["X-Content-SHA256"] = pack.sha256
    response["Cache-Control"] = "private, no-store"
    return response


class BoardPackDownloadApi(APIView):
    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(description="The PDF")})
    def get(self, request: Request, pk: int) -> FileResponse:
        return pack_file_response(request.user, _pack_for(request, pk))


def register_response(user, kind: str) -> HttpResponse:
    if not policies.can_request_packs(user):
        raise NotAllowed("Only board secretaries, the CIO and the CISO export the register.")
    rows = selectors.register_rows(user)
    stamp = timezone.localdate().isoformat()
    if kind == "csv":
        body, content_type = exports.register_csv(rows), "text/csv; charset=utf-8"
    else:
        body = exports.register_xlsx(rows)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="genai-register-{stamp}.{kind}"'
    response["Cache-Control"] = "private, no-store"
    return response


class RegisterCsvApi(APIView):
    @extend_schema(responses={(200, "text/csv"): OpenApiResponse(description="The register")})
    def get(self, request: Request) -> HttpResponse:
        return register_response(request.user, "csv")


class RegisterXlsxApi(APIView):
    @extend_schema(
        responses={
            (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiResponse(
                description="The register"
            )
        }
    )
    def get(self, request: Request) -> HttpResponse:
        return register_response(request.user, "xlsx")
