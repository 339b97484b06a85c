"""Background tasks: survey invitations at their set time, and reminders after N days."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone
from django_tasks import default_task_backend, task

from .mailing import MAX_REMINDERS, send_due
from .models import SurveyWave

log = logging.getLogger(__name__)


def enqueue_mail(wave_id: int, when: dt.datetime) -> None:
    """Queue the wave's mail for ``when``. A queue that cannot defer (the test suite's
    immediate one) runs only what is due now; ``samenspel mail`` sends the rest."""
    if when <= timezone.now():
        send_wave_mail.enqueue(wave_id)
    elif default_task_backend.supports_defer:
        send_wave_mail.using(run_after=when).enqueue(wave_id)


@task()
def send_wave_mail(wave_id: int) -> None:
    """Send what is due for one wave, then queue the next reminder round."""
    wave = SurveyWave.objects.filter(pk=wave_id).first()
    if wave is None or wave.is_closed:
        return
    report = send_due(wave=wave)
    log.info("wave %s: %d sent, %d failed", wave_id, len(report.sent), len(report.failed))
    waiting = wave.invitations.filter(
        submitted_at__isnull=True, opted_out_at__isnull=True, reminders_sent__lt=MAX_REMINDERS
    )
    if wave.reminder_days and waiting.exists():
        enqueue_mail(wave_id, timezone.now() + dt.timedelta(days=wave.reminder_days))
