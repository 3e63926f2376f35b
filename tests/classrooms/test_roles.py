"""The instructor role is checked on every class page (a revoked instructor keeps nothing), and the owner
removes co-instructors from the members page."""

import pytest
from django.urls import reverse

from apps.classrooms import services
from apps.classrooms.models import Classroom
from tests.security.conftest import revoke_instructor


@pytest.fixture
def co_teacher(other_teacher, classroom):
    services.add_co_instructor(classroom=classroom, username=other_teacher.username)
    return other_teacher


def instructor_pages(classroom):
    """(method, url, data) of every page that runs a class."""
    pk = classroom.pk
    return [
        ("get", reverse("classrooms:detail", args=[pk]), None),
        ("get", reverse("classrooms:members", args=[pk]), None),
        ("get", reverse("classrooms:results-csv", args=[pk]), None),
        ("get", reverse("classrooms:items", args=[pk]), None),
        ("get", reverse("classrooms:sharing", args=[pk]), None),
        ("get", reverse("classrooms:assignment-new", args=[pk]), None),
        ("post", reverse("classrooms:regenerate-code", args=[pk]), {}),
        ("post", reverse("classrooms:add-instructor", args=[pk]), {"username": "irene"}),
    ]


def test_a_revoked_instructor_can_no_longer_run_the_class_he_still_teaches(client, classroom, co_teacher):
    client.force_login(co_teacher)
    for method, url, data in instructor_pages(classroom):
        assert getattr(client, method)(url, data).status_code != 404, url
    code = Classroom.objects.get(pk=classroom.pk).join_code

    revoked = revoke_instructor(co_teacher)
    client.force_login(revoked)
    for method, url, data in instructor_pages(classroom):
        assert getattr(client, method)(url, data).status_code == 404, url
    assert Classroom.objects.get(pk=classroom.pk).join_code == code
    assert classroom.name not in client.get(reverse("classrooms:list")).content.decode()


def test_the_owner_removes_a_co_instructor_from_the_members_page(client, teacher, classroom, co_teacher):
    client.force_login(teacher)
    page = client.get(reverse("classrooms:members", args=[classroom.pk])).content.decode()
    url = reverse("classrooms:remove-instructor", args=[classroom.pk, co_teacher.pk])
    assert f'action="{url}"' in page
    assert reverse("classrooms:remove-instructor", args=[classroom.pk, teacher.pk]) not in page

    response = client.post(url, follow=True)
    assert list(classroom.instructors.all()) == [teacher]
    assert "no longer teaches" in response.content.decode()
    client.force_login(co_teacher)
    assert client.get(reverse("classrooms:members", args=[classroom.pk])).status_code == 404


def test_only_the_owner_removes_and_never_the_owner_or_by_get(client, teacher, classroom, co_teacher):
    client.force_login(co_teacher)  # a co-instructor may run the class but not remove its instructors
    page = client.get(reverse("classrooms:members", args=[classroom.pk])).content.decode()
    assert "remove-instructor" not in page and "/instructors/" + str(teacher.pk) not in page
    assert client.post(reverse("classrooms:remove-instructor", args=[classroom.pk, teacher.pk])).status_code == 403
    client.force_login(teacher)
    owner_url = reverse("classrooms:remove-instructor", args=[classroom.pk, teacher.pk])
    assert client.post(owner_url).status_code == 404
    assert client.get(reverse("classrooms:remove-instructor", args=[classroom.pk, co_teacher.pk])).status_code == 405
    assert set(classroom.instructors.all()) == {teacher, co_teacher}
