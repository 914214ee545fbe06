from django.urls import path

from audit import apis

urlpatterns = [
    path("audit-events/", apis.AuditEventListApi.as_view(), name="audit-event-list"),
    path("audit-events/verify/", apis.AuditVerifyApi.as_view(), name="audit-verify"),
]
