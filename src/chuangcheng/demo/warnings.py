"""Live warnings for the demo: the preset rules evaluated once the district, its cases, rounds
and scores are loaded. Nothing leaves the machine: the demo has no group robot, text messages
stay in the outbox (SMS_BACKEND=outbox), and messages are stored without being handed to the
worker. Loading again changes nothing that is still found (warnings are not repeated)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from chuangcheng.alerts.domain.engine import evaluate
from chuangcheng.alerts.models import Warning


def load_demo_warnings(stdout: Any) -> int:
    """Evaluate the enabled warning rules now; returns how many warnings are open."""
    result = evaluate(send=False)
    open_now = Warning.objects.open().count()
    stdout.write(
        _("Evaluated %(rules)d warning rules: %(open)d warnings open.")
        % {"rules": len(result.rules), "open": open_now}
    )
    return open_now
