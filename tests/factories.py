"""factory_boy factories for the foundation models."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from chuangcheng.accounts.enums import Role
from chuangcheng.accounts.models import Grant, User
from chuangcheng.orgs.enums import RegionLevel, UnitKind
from chuangcheng.orgs.models import Region, Unit
from chuangcheng.points.models import Point, PointType

PASSWORD = "Test#Pass2026"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    code = factory.Sequence(lambda n: f"9{n:08d}")
    name = factory.Sequence(lambda n: f"区域{n}")
    level = RegionLevel.STREET
    parent = None

    @classmethod
    def _create(cls, model_class: type[Region], *args: Any, **kwargs: Any) -> Region:
        region = model_class(*args, **kwargs)
        region.path = region.compute_path()
        region.save()
        return region


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"U{n:04d}")
    name = factory.Sequence(lambda n: f"单位{n}")
    kind = UnitKind.LINE
    region = None
    parent = None
    contact_name = "王联络"
    contact_phone = "13812341234"
    head_name = "李主任"
    head_phone = "13900001111"

    @classmethod
    def _create(cls, model_class: type[Unit], *args: Any, **kwargs: Any) -> Unit:
        unit = model_class(*args, **kwargs)
        unit.path = unit.compute_path()
        unit.save()
        return unit


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"用户{n}")
    must_change_password = False
    password_changed_at = factory.LazyFunction(timezone.now)
    phone = "13712345678"

    @factory.post_generation
    def password(obj: User, create: bool, extracted: str | None, **kwargs: Any) -> None:  # noqa: N805
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save()


def grant(
    user: User, role: Role, *, region: Region | None = None, unit: Unit | None = None
) -> Grant:
    return Grant.objects.create(user=user, role=role, region=region, unit=unit)


class PointTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PointType
        django_get_or_create = ("name",)

    code = factory.Sequence(lambda n: f"type{n}")
    name = factory.Sequence(lambda n: f"类型{n}")


class PointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Point

    code = factory.Sequence(lambda n: f"P{n:05d}")
    name = factory.Sequence(lambda n: f"点位{n}")
    type = factory.SubFactory(PointTypeFactory)
    address = "北京市东城区"
    lng = Decimal("116.410000")
    lat = Decimal("39.920000")
