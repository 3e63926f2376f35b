"""Which questions and sets a user may practise with or report on."""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from apps.questions.models import Question, QuestionSet
from apps.questions.roles import is_instructor


def sets_visible_to(user):
    """Public sets for everybody; a signed-in user also sees their own sets, and the "classrooms" sets shared
    with a classroom they attend (until they leave it) or teach (while they hold the instructor role)."""
    rule = Q(visibility=QuestionSet.Visibility.PUBLIC)
    if user.is_authenticated:
        # Named through the relation, not imported: the classrooms app builds on this one, not the reverse.
        attending = Q(classrooms__memberships__student=user, classrooms__memberships__left_at__isnull=True)
        teaching = Q(classrooms__instructors=user) if is_instructor(user) else Q(pk__in=[])
        shared = QuestionSet.objects.filter(
            attending | teaching, visibility=QuestionSet.Visibility.CLASSROOMS
        ).values("pk")
        rule |= Q(owner=user) | Q(pk__in=shared)
    return QuestionSet.objects.filter(rule)


def question_for_report(user, pk):
    """A published question of a set the user may see, or 404."""
    visible = Question.objects.published().filter(question_set__in=sets_visible_to(user))
    return get_object_or_404(visible.select_related("question_set__exam", "task_statement"), pk=pk)
