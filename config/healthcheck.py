"""The container's HEALTHCHECK: GET /health/ on the local gunicorn, exit 0 when it answers 200.

It names the first ALLOWED_HOSTS entry as the Host (so production need not allow 127.0.0.1), and /health/ is
exempt from the HTTPS redirect (SECURE_REDIRECT_EXEMPT), so no proxy header is needed.
"""

import http.client
import os
import sys


def main():
    hosts = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
    host = hosts[0].lstrip(".") if hosts and hosts[0] != "*" else "localhost"
    connection = http.client.HTTPConnection("127.0.0.1", int(os.environ.get("PORT", "8000")), timeout=4)
    try:
        connection.request("GET", "/health/", headers={"Host": host})
        status = connection.getresponse().status
    except OSError as error:
        print(f"health check failed: {error}", file=sys.stderr)
        return 1
    finally:
        connection.close()
    if status != 200:
        print(f"health check failed: HTTP {status}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
