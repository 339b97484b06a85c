"""The wave's mail form: texts per language, reminders, and when to send."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .mailing import check_template
from .models import SurveyWave

if TYPE_CHECKING:  # the stubs make it generic; at run time it is a plain class
    _ModelForm = forms.ModelForm[Any]
else:
    _ModelForm = forms.ModelForm



class WaveMailForm(_ModelForm):
    send_at = forms.DateTimeField(
        label=_("Send at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty to send now."),
    )

    class Meta:
        model = SurveyWave
        fields = ["subject_nl", "body_nl", "subject_en", "body_en", "reminder_days"]
        widgets = {"body_nl": forms.Textarea(attrs={"rows": 9}),
                   "body_en": forms.Textarea(attrs={"rows": 9})}  # fmt: skip
        help_texts = {
            "body_nl": _("You can use {name}, {programme}, {wave} and {link}; {link} is required."),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("subject_nl", "subject_en", "body_nl", "body_en"):
            text = data.get(name) or ""
            if not text:
                continue
            try:
                check_template(text, needs_link=name.startswith("body"))
            except forms.ValidationError as exc:
                self.add_error(name, exc)
        return data
