"""The instructor role asked in a query (roles.instructor_role) says what is_instructor says, for every kind of
user, without a query of its own."""

import pytest
from django.contrib.auth.models import AnonymousUser, Permission, User
from django.contrib.contenttypes.models import ContentType

from apps.questions.roles import ensure_instructor_group, instructor_role, is_instructor


def fresh(user):
    """The user as a new request reads it: no permissions cached yet."""
    return User.objects.get(pk=user.pk)


def role_in_query(user):
    return ContentType.objects.filter(instructor_role(user)).exists()


def grouped(user):
    user.groups.add(ensure_instructor_group())
    return user


def with_permission(user):
    user.user_permissions.add(Permission.objects.get(codename="add_classroom"))
    return user


def inactive(user):
    user.is_active = False
    user.save()
    return user


def superuser(user):
    user.is_superuser = True
    user.save()
    return user


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda user: user, False),
        (grouped, True),
        (with_permission, True),
        (lambda user: inactive(grouped(user)), False),
        (superuser, True),
        (lambda user: inactive(superuser(user)), False),
        (lambda user: grouped(user).groups.clear() or user, False),
    ],
    ids=["student", "group", "own permission", "inactive", "superuser", "inactive superuser", "left group"],
)
def test_the_role_in_a_query_is_is_instructor(student, make, expected, django_assert_max_num_queries):
    user = make(student)
    assert is_instructor(fresh(user)) is expected
    asked = fresh(user)
    with django_assert_max_num_queries(1):  # the query that asks it, nothing before
        assert role_in_query(asked) is expected
    cached = fresh(user)
    is_instructor(cached)
    assert role_in_query(cached) is expected


def test_an_anonymous_user_holds_no_role(db):
    assert not role_in_query(AnonymousUser())
