"""Writes for money records beyond the generic record services."""

from __future__ import annotations

from django.db import transaction

from .models import Agreement


@transaction.atomic
def copy_as_scenario(agreement: Agreement, scenario: str) -> Agreement:
    """Copy an agreement with all its care tasks, interventions and lines as a new scenario.

    When the scenario name is taken, a number is added (``scenario 2``).
    """
    base, number = scenario[:90], 1
    name = base
    while Agreement.objects.filter(
        programme_id=agreement.programme_id, name=agreement.name, scenario=name
    ).exists():
        number += 1
        name = f"{base} {number}"
    # No prefetching: a prefetched M2M cache would make partners.set() on the copy a no-op.
    interventions = list(agreement.interventions.all())
    tasks = list(agreement.care_tasks.all())
    copy = Agreement.objects.get(pk=agreement.pk)
    copy.pk = None
    copy.scenario = name
    copy.save()
    for task in tasks:
        task.pk = None
        task.agreement = copy
        task.save()
    for intervention in interventions:
        partners = list(intervention.partners.all())
        lines = list(intervention.lines.all())
        intervention.pk = None
        intervention.agreement = copy
        intervention.save()
        intervention.partners.set(partners)
        for line in lines:
            line.pk = None
            line.intervention = intervention
            line.save()
    return copy
