"""Which questions and sets a user may practise with or report on."""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from apps.questions.models import Question, QuestionSet


def sets_visible_to(user):
    """Public sets for everybody; a signed-in user also sees their own sets."""
    rule = Q(visibility=QuestionSet.Visibility.PUBLIC)
    if user.is_authenticated:
        rule |= Q(owner=user)
    return QuestionSet.objects.filter(rule)


def question_for_report(user, pk):
    """A published question of a set the user may see, or 404."""
    visible = Question.objects.published().filter(question_set__in=sets_visible_to(user))
    return get_object_or_404(visible.select_related("question_set__exam", "task_statement"), pk=pk)
