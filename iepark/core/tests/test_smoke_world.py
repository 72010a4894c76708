from iepark.core import selectors
from iepark.core.models import Student


def test_college_admin_sees_only_own_students(world):
    visible = set(selectors.student_list(user=world.college_a_admin).values_list("pk", flat=True))
    assert visible == {world.a_student.pk}
    assert Student.objects.count() == 2
