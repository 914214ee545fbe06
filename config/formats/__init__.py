"""The project's date formats for people, one per kind (FORMAT_MODULE_PATH points here)."""
