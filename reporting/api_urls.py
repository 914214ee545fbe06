from django.urls import path

from reporting import apis

urlpatterns = [
    path("board-packs/", apis.BoardPackListRequestApi.as_view(), name="board-pack-list"),
    path("board-packs/<int:pk>/", apis.BoardPackDetailApi.as_view(), name="board-pack-detail"),
    path("board-packs/<int:pk>/download/", apis.BoardPackDownloadApi.as_view(), name="board-pack-download"),
    path(
        "board-packs/<int:pk>/download/issued/",
        apis.BoardPackIssuedDownloadApi.as_view(),
        name="board-pack-download-issued",
    ),
    path("board-packs/<int:pk>/sign/", apis.BoardPackSignApi.as_view(), name="board-pack-sign"),
    path("board-statements/<str:quarter>/", apis.StatementApi.as_view(), name="board-statement"),
    path("register.csv", apis.RegisterCsvApi.as_view(), name="register-csv"),
    path("register.xlsx", apis.RegisterXlsxApi.as_view(), name="register-xlsx"),
    path("register-exports/", apis.RegisterExportListApi.as_view(), name="register-export-list"),
    path("register-exports/<int:pk>/", apis.RegisterExportDetailApi.as_view(), name="register-export-detail"),
    path(
        "register-exports/<int:pk>/file/", apis.RegisterExportFileApi.as_view(), name="register-export-file"
    ),
]
