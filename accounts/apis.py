"""API: obtain a token with username and password (the sign-in limits of the browser apply), revoke the token in
use, and describe the signed-in user."""

from django.contrib.auth import authenticate
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.authentication import ApiTokenAuthentication
from accounts.models import ApiToken
from accounts.selectors import user_profile
from accounts.services import api_token_issue, api_token_revoke, sign_in_attempt_start, sign_in_success_record
from config.clientip import ScopedClientThrottle, client_ip
from config.errors import DomainError

SIGN_IN_REFUSED = (
    "Unable to sign in with the username and password given (and the authenticator code, for accounts with "
    "two-factor authentication)."
)


def second_factor_holds(user, code: str) -> bool:
    """True when the account has no authenticator app, or ``code`` is a current one (used up once accepted)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if totp is None:
        return True
    return bool(code.strip()) and TOTP(totp).validate_code(code.strip())


class TokenObtainApi(APIView):
    """POST username and password (and a client `name`; and `code` from the authenticator app for accounts with
    two-factor authentication); get a token to send as `Authorization: Token <key>`.

    The key is shown once: only its digest is stored. It expires (see `expires_at`), one live token is kept per client
    name (asking again replaces it), and every token ends when the password changes or the account is deactivated.
    Failed attempts count against the account exactly as failed browser sign-ins do; when the account is locked the
    answer is 429 with `Retry-After`.
    """

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedClientThrottle]
    throttle_scope = "auth_token"

    class TokenObtainInputSerializer(serializers.Serializer):
        username = serializers.CharField(max_length=150, trim_whitespace=False)
        password = serializers.CharField(
            max_length=1024, trim_whitespace=False, style={"input_type": "password"}
        )
        name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="API client")
        code = serializers.CharField(
            max_length=20,
            required=False,
            allow_blank=True,
            default="",
            help_text="The current code from the authenticator app, for accounts with two-factor authentication.",
        )

    class TokenObtainOutputSerializer(serializers.Serializer):
        token = serializers.CharField()
        name = serializers.CharField()
        expires_at = serializers.DateTimeField()

    @extend_schema(request=TokenObtainInputSerializer, responses={200: TokenObtainOutputSerializer}, auth=[])
    def post(self, request: Request, *args, **kwargs) -> Response:
        serializer = self.TokenObtainInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        username = serializer.validated_data["username"]
        ip = client_ip(request)
        attempt, refusal = sign_in_attempt_start(username=username, ip=ip, channel="api")
        if refusal is not None:
            raise exceptions.Throttled(wait=refusal.retry_after, detail=refusal.message)
        user = authenticate(
            request._request, username=username, password=serializer.validated_data["password"]
        )
        if user is not None and not second_factor_holds(user, serializer.validated_data["code"]):
            user = None  # the browser would ask for the code; a token is no way around it
        if user is None:  # the attempt stays counted: a failure, the same answer whichever factor was wrong
            raise serializers.ValidationError({"non_field_errors": [SIGN_IN_REFUSED]})
        sign_in_success_record(username=username, ip=ip, attempt=attempt)
        token, key = api_token_issue(actor=user, user=user, name=serializer.validated_data["name"], ip=ip)
        return Response(
            self.TokenObtainOutputSerializer(
                {"token": key, "name": token.name, "expires_at": token.expires_at}
            ).data
        )

    @extend_schema(
        request=None,
        responses={
            204: OpenApiResponse(description="The token used for this request is revoked."),
            400: OpenApiResponse(description="The request was not made with a token."),
        },
    )
    def delete(self, request: Request, *args, **kwargs) -> Response:
        """Revoke the token this request was made with (sign the client out)."""
        self.check_permissions(request)
        if not isinstance(request.auth, ApiToken):
            raise DomainError(
                "This request was not made with a token.",
                errors={"Authorization": ["Send the token to revoke as `Authorization: Token <key>`."]},
            )
        api_token_revoke(actor=request.user, token=request.auth, reason="revoked by its client")
        return Response(status=status.HTTP_204_NO_CONTENT)

    def get_authenticators(self):
        # POST is anonymous (username and password); DELETE revokes the token that authenticates it.
        if getattr(self, "request", None) is not None and self.request.method == "DELETE":
            return [ApiTokenAuthentication()]
        return super().get_authenticators()

    def get_permissions(self):
        if getattr(self, "request", None) is not None and self.request.method == "DELETE":
            return [IsAuthenticated()]
        return super().get_permissions()


class MeApi(APIView):
    permission_classes = [IsAuthenticated]

    class MeOutputSerializer(serializers.Serializer):
        username = serializers.CharField()
        display_name = serializers.CharField()
        roles = serializers.ListField(child=serializers.CharField())
        teams = serializers.ListField(child=serializers.CharField())
        is_staff = serializers.BooleanField()

    @extend_schema(responses=MeOutputSerializer)
    def get(self, request: Request) -> Response:
        return Response(self.MeOutputSerializer(user_profile(request.user)).data)
