"""Dates as people read them, in every page, message and error: 27 Nov 2026 (and 27 Nov 2026, 14:30 with a time).

Machine formats (API JSON, <time datetime>, CSV, the PDF's metadata) stay ISO 8601 and do not come from here.
"""

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
