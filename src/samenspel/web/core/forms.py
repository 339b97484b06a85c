"""Web forms, built from the resource descriptions and limited to one programme."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db import models
from django.forms import modelform_factory
from django.utils.translation import gettext_lazy as _

from samenspel.web.core.accounts.access import sees_contact_details
from samenspel.web.core.accounts.models import ProgrammeRole, Role
from samenspel.web.core.uploads import check_size

from .models import Organisation, Programme, ProgrammeScoped
from .resources import Resource
from .selectors import demo_text

if TYPE_CHECKING:  # the stubs make it generic; at run time it is a plain class
    _ModelForm = forms.ModelForm[Any]
else:
    _ModelForm = forms.ModelForm



class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def record_form(
    resource: Resource, role: ProgrammeRole, *, data: Any = None, instance: Any = None
) -> forms.ModelForm[Any]:
    """A form for one record whose choices of related records come from the same programme."""
    widgets: dict[str, Any] = {}
    fields = resource.fields_for(contact=sees_contact_details(role))
    for name in fields:
        field = resource.field(name)
        if isinstance(field, models.DateField):
            widgets[name] = DateInput()
        elif isinstance(field, models.ManyToManyField):
            widgets[name] = forms.CheckboxSelectMultiple()
    form_class = modelform_factory(resource.model, fields=fields, widgets=widgets)
    form = form_class(data=data, instance=instance)
    if instance is not None and any(
        f.name == "version" for f in resource.model._meta.concrete_fields
    ):
        form.fields["version"] = forms.IntegerField(
            widget=forms.HiddenInput, initial=instance.version, required=True
        )
    form.instance.programme_id = role.programme_id
    for name, form_field in form.fields.items():
        field = resource.field(name)
        target = field.related_model
        if isinstance(target, type) and issubclass(target, ProgrammeScoped):
            queryset = target.objects.filter(programme_id=role.programme_id)
            limit = field.get_limit_choices_to() if hasattr(field, "get_limit_choices_to") else None
            if limit:  # e.g. only steering, working and project groups may own a plan action
                queryset = queryset.complex_filter(limit)
            if (
                target is Organisation
                and role.role == Role.PARTNER
                and resource.model is not Organisation
            ):
                queryset = queryset.filter(pk=role.organisation_id)
            if instance is not None and target is resource.model:
                queryset = queryset.exclude(pk=instance.pk)
            form_field.queryset = queryset  # type: ignore[attr-defined]
            demo = role.programme.is_demo  # the demo's English texts, in the reader's language
            if demo and isinstance(form_field, forms.ModelChoiceField):
                form_field.label_from_instance = _demo_label(role.programme)  # type: ignore[method-assign]
    return form


def _demo_label(programme: Programme) -> Any:
    return lambda obj: demo_text(str(obj), programme)


class ProgrammeForm(_ModelForm):
    region_name = forms.CharField(label=_("Region"), max_length=200)
    province = forms.CharField(label=_("Province"), max_length=100, required=False)

    class Meta:
        model = Programme
        fields = ["name", "vision", "governance_style", "start_date"]
        widgets = {"start_date": DateInput()}

    field_order = ["name", "region_name", "province", "vision", "governance_style", "start_date"]


class RoleForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    organisation = forms.ModelChoiceField(
        label=_("On behalf of organisation"), queryset=Organisation.objects.none(), required=False
    )
    signs_agreements = forms.BooleanField(
        label=_("Signs agreements for the organisation"),
        required=False,
        help_text=_("The organisation's authorised representative approves or rejects agreements."),
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            programme=programme
        )


class TableImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What the sheet holds"),
        choices=[("organisations", _("Organisations")), ("people", _("People"))],
    )
    file = forms.FileField(label=_("CSV or Excel file (.csv, .xlsx)"), validators=[check_size])


class ProgrammeImportForm(forms.Form):
    file = forms.FileField(label=_("Programme file (.json)"), validators=[check_size])
    name = forms.CharField(
        label=_("Name of the new programme"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to keep the name in the file."),
    )
