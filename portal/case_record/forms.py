"""The download button: a POST (it sets the conference's export time), so a CSRF token only."""

from __future__ import annotations

from portal.forms import PortalForm


class DownloadForm(PortalForm):
    pass
