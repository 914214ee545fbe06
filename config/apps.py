"""App configuration owned by the project itself."""

from django.contrib.staticfiles.apps import StaticFilesConfig


class ProjectStaticFilesConfig(StaticFilesConfig):
    # Not served: ReDoc (the API docs use Swagger UI) and the browsable API's assets (the API renders JSON only).
    ignore_patterns = [*StaticFilesConfig.ignore_patterns, "redoc", "rest_framework"]
