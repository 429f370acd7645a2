"""At a month's end, tell each district office which targets won the red flag, so it confirms.

The job only proposes: the flags are awarded when the office confirms them on the standings
page. A notice is written once per scheme, month, region and office user (``core.notify`` keys
make a second run write nothing).
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangcheng.accounts.enums import Role
from chuangcheng.accounts.models import Grant
from chuangcheng.awards.domain.access import AWARD_LEVELS
from chuangcheng.awards.domain.standings import standings
from chuangcheng.awards.models import RedFlagAward, RedFlagScheme
from chuangcheng.cases.domain.periods import month_period
from chuangcheng.core import notify


def propose_monthly(today: dt.date | None = None) -> int:
    """Notify the offices of districts whose last month has winners and no confirmed flags;
    returns how many notices were written."""
    today = today or timezone.localdate()
    last = today.replace(day=1) - dt.timedelta(days=1)
    month = month_period(last.year, last.month)
    grants = list(
        Grant.objects.filter(role=Role.OFFICE, region__level__in=AWARD_LEVELS).select_related(
            "user", "region"
        )
    )
    offices: dict[int, list[object]] = {}
    regions = {}
    for g in grants:
        assert g.region is not None
        offices.setdefault(g.region.pk, []).append(g.user)
        regions[g.region.pk] = g.region
    done = set(RedFlagAward.objects.filter(month=month.start).values_list("scheme_id", "region_id"))
    batch = []
    for scheme in RedFlagScheme.objects.filter(active=True):
        for region_id, users in offices.items():
            if (scheme.pk, region_id) in done:
                continue
            region = regions[region_id]
            winners = [s for s in standings(scheme, month, region) if s.wins]
            if not winners:
                continue
            names = "、".join(str(s.target) for s in winners)
            link = (
                reverse("awards:index")
                + f"?scheme={scheme.code}&period={month.key}&region={region.pk}"
            )
            notice = notify.Notice(
                key=f"awards:{scheme.pk}:{month.key}:{region.pk}:propose",
                title=_("Red flags of %(m)s ready to confirm: %(s)s")
                % {"m": month.label, "s": scheme.name},
                body=_("Winners in %(r)s: %(w)s.") % {"r": region.name, "w": names},
                link=link,
                scope_path=region.path,
            )
            batch.append((notice, users))
    return len(notify.notify(batch))
