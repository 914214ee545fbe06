"""Quarterly board packs (Celery + WeasyPrint), charts and register exports."""
