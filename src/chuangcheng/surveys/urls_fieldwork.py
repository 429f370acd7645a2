"""Staff pages of the survey fieldwork (under /surveys/): the plan and its progress, the
responses, and the interviewers' pages."""

from django.urls import URLPattern, URLResolver, path

from chuangcheng.surveys import views_fieldwork, views_fieldwork_responses, views_interview

urlpatterns: list[URLPattern | URLResolver] = [
    path("<int:pk>/fieldwork/", views_fieldwork.fieldwork_page, name="fieldwork"),
    path("<int:pk>/fieldwork/quotas/", views_fieldwork.quotas_page, name="quotas"),
    path("<int:pk>/fieldwork/margins/", views_fieldwork.margins_page, name="margins"),
    path(
        "<int:pk>/fieldwork/margins/template.xlsx",
        views_fieldwork.margins_template_file,
        name="margins_template",
    ),
    path("<int:pk>/fieldwork/qr.<str:fmt>", views_fieldwork.qr_code, name="qr"),
    path("<int:pk>/fieldwork/poster/", views_fieldwork.poster, name="poster"),
    path("<int:pk>/responses/", views_fieldwork_responses.response_list, name="responses"),
    path(
        "<int:pk>/responses/<int:rid>/",
        views_fieldwork_responses.response_detail,
        name="response",
    ),
    path(
        "<int:pk>/responses/<int:rid>/void/",
        views_fieldwork_responses.response_void,
        name="response_void",
    ),
    path("interview/", views_interview.interview_list, name="interview_list"),
    path("interview/mine/", views_interview.my_responses, name="my_responses"),
    path("interview/<int:pk>/start/", views_interview.interview_start, name="interview_start"),
    path("interview/r/<int:rid>/", views_interview.interview_answer, name="interview_answer"),
    path("interview/r/<int:rid>/done/", views_interview.interview_done, name="interview_done"),
]
