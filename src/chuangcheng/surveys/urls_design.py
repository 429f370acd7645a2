"""Staff pages of the survey design (under /surveys/)."""

from django.urls import URLPattern, URLResolver, path

from chuangcheng.surveys import views_design as v
from chuangcheng.surveys import views_design_import as vi
from chuangcheng.surveys import views_design_questions as vq

urlpatterns: list[URLPattern | URLResolver] = [
    path("", v.survey_list, name="list"),
    path("new/", v.survey_edit, name="new"),
    path("import/", vi.import_new, name="import"),
    path("<int:pk>/", v.survey_detail, name="detail"),
    path("<int:pk>/edit/", v.survey_edit, name="edit"),
    path("<int:pk>/status/", v.survey_status, name="status"),
    path("<int:pk>/copy/", v.survey_copy, name="copy"),
    path("<int:pk>/delete/", v.survey_delete, name="delete"),
    path("<int:pk>/import/", vi.import_into, name="import_into"),
    path("<int:pk>/questions/new/", vq.question_edit, name="question_new"),
    path("<int:pk>/questions/<int:qid>/", vq.question_edit, name="question_edit"),
    path("<int:pk>/questions/<int:qid>/delete/", vq.question_delete, name="question_delete"),
    path("<int:pk>/questions/<int:qid>/move/", vq.question_move, name="question_move"),
]
