"""Django admin for staff: every registry model, searchable."""

from typing import TYPE_CHECKING, Any

from django.contrib import admin

from samenspel.web.core.accounts.models import ProgrammeRole

from . import models as m

if TYPE_CHECKING:  # the stubs make it generic; at run time it is a plain class
    _ModelAdmin = admin.ModelAdmin[Any]
else:
    _ModelAdmin = admin.ModelAdmin


@admin.register(m.Region)
class RegionAdmin(_ModelAdmin):
    search_fields = ["name", "province"]


@admin.register(m.Programme)
class ProgrammeAdmin(_ModelAdmin):
    list_display = ["name", "region", "is_demo"]
    search_fields = ["name"]


@admin.register(ProgrammeRole)
class ProgrammeRoleAdmin(_ModelAdmin):
    list_display = ["user", "programme", "role", "organisation"]
    list_filter = ["role"]
    raw_id_fields = ["organisation"]


for model in (
    m.Objective,
    m.Organisation,
    m.Person,
    m.Group,
    m.GroupMembership,
    m.Project,
    m.Initiative,
    m.Interaction,
):
    admin.site.register(model, list_filter=["programme"], search_fields=["programme__name"])
