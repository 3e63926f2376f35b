"""The JSON-lines log formatter used in production (LOG_FORMAT=json): one object per line on stdout.

A dozen lines of standard library rather than python-json-logger: the fields we want are fixed, so a dependency
(and its upgrades) in the image would buy nothing. Log collectors (docker logs, journald, Loki, CloudWatch)
read one JSON object per line.
"""

import json
import logging
from datetime import UTC, datetime


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        # django.request and django.security records carry the request and the response status.
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            entry["method"], entry["path"] = request.method, request.path
        if hasattr(record, "status_code"):
            entry["status"] = record.status_code
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)
