from django.urls import path

from reporting import apis

urlpatterns = [
    path("board-packs/", apis.BoardPackListRequestApi.as_view(), name="board-pack-list"),
    path("board-packs/<int:pk>/", apis.BoardPackDetailApi.as_view(), name="board-pack-detail"),
    path("board-packs/<int:pk>/download/", apis.BoardPackDownloadApi.as_view(), name="board-pack-download"),
    path("register.csv", apis.RegisterCsvApi.as_view(), name="register-csv"),
    path("register.xlsx", apis.RegisterXlsxApi.as_view(), name="register-xlsx"),
]
