"""Forms of the regioplan's own pages (plain record edits use the shared record forms)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samenspel.web.core.models import Organisation, Programme

from .models import Goal


class ReportForm(forms.Form):
    """A progress report on a milestone or an action: done or not, and a comment."""

    done = forms.BooleanField(label=_("done"), required=False)
    comment = forms.CharField(
        label=_("comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AdoptForm(forms.Form):
    """Adopt an initiative as an action: towards which goal, owned by whom, from when."""

    goal = forms.ModelChoiceField(label=_("goal"), queryset=Goal.objects.none())
    owner = forms.ModelChoiceField(
        label=_("owner organisation"), queryset=Organisation.objects.none()
    )
    start_date = forms.DateField(
        label=_("start date"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, programme: Programme, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        goal, owner = self.fields["goal"], self.fields["owner"]
        assert isinstance(goal, forms.ModelChoiceField)
        assert isinstance(owner, forms.ModelChoiceField)
        goal.queryset = Goal.objects.filter(programme=programme)
        owner.queryset = Organisation.objects.filter(programme=programme)
        self.fields["start_date"].initial = timezone.localdate()
