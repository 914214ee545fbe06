from django.urls import include, path

from accounts import views

people = (
    [
        path("", views.people_list, name="list"),
        path("new/", views.person_new, name="new"),
        path("teams/", views.teams, name="teams"),
        path("role-requests/", views.role_requests, name="role-requests"),
        path("role-requests/<int:pk>/<str:verdict>/", views.role_request_decide, name="role-request-decide"),
        path("<str:username>/", views.person_detail, name="detail"),
        path("<str:username>/access/", views.person_access, name="access"),
        path("<str:username>/grant/", views.person_grant, name="grant"),
        path("<str:username>/revoke/<str:role>/", views.person_revoke, name="revoke"),
        path("<str:username>/deactivate/", views.person_deactivate, name="deactivate"),
        path("<str:username>/reactivate/", views.person_reactivate, name="reactivate"),
        path("<str:username>/password-link/", views.person_password_link, name="password-link"),
    ],
    "people",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("profile/", views.profile, name="profile"),
    path("profile/tokens/", views.token_create, name="token-create"),
    path("profile/tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
    path("people/", include(people)),
]
