"""gunicorn's settings for one web instance of Heard behind nginx (deploy/nginx/heard.conf).

    gunicorn --config deploy/gunicorn.conf.py wsgi:app

Each setting can be changed from the environment (deploy/systemd/heard-web@.service sets the
port per instance). The app itself writes one JSON line per request, with its request id, the
endpoint (never the path: a family's link holds its token), the status and ``duration_ms``
(portal/logs.py), so gunicorn's own access log is off; the format below is there for an
operator who turns it on (``GUNICORN_ACCESS_LOG=-``): no path, and the time in microseconds.
"""

import multiprocessing
import os

# One instance a port, on an address only nginx reaches (TRUSTED_PROXY_CIDRS names nginx).
bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8001')}")

# Sync workers: a request is a few queries and a page. About two a core; WEB_CONCURRENCY wins.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count()))
worker_class = "sync"

# A request longer than this is killed (its worker restarted): the slowest page, the annual
# report, takes about a second. nginx waits 60 s (proxy_read_timeout), longer than this.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# On SIGTERM (systemctl stop or restart, a release) workers finish what they hold for this
# long: nginx sends new requests to the other instance meanwhile.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# Recycle workers now and then (memory held by a big report or import goes back).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200

# Who may set X-Forwarded-Proto for gunicorn itself: nginx on this machine. The app reads the
# X-Forwarded-* headers through its own ProxyFix (PROXY_FIX_HOPS=1, TRUSTED_PROXY_CIDRS).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
access_log_format = '%(h)s "%(m)s" %(s)s %(B)s %(D)s'  # %(D)s: microseconds
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
proc_name = os.environ.get("GUNICORN_PROC_NAME", "heard-web")
