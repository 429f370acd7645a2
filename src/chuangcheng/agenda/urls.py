"""URLs (namespace ``agenda``): the calendar, events, unit tasks, completion, the .ics feed."""

from django.urls import URLPattern, URLResolver, path

from chuangcheng.agenda import views, views_feed, views_tasks

app_name = "agenda"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.month, name="month"),
    path("events/new/", views.event_edit, name="event_new"),
    path("events/generate/", views.generate, name="generate"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("events/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("events/<int:pk>/delete/", views.event_delete, name="event_delete"),
    path("tasks/", views_tasks.my_tasks, name="my_tasks"),
    path("tasks/<int:pk>/done/", views_tasks.done, name="done"),
    path("series/", views_tasks.series_list, name="series"),
    path("series/new/", views_tasks.series_edit, name="series_new"),
    path("series/<int:pk>/", views_tasks.series_edit, name="series_edit"),
    path("completion/", views_tasks.completion, name="completion"),
    path("occurrences/", views_tasks.occurrences, name="occurrences"),
    path("subscribe/", views_feed.subscribe, name="subscribe"),
    path("ics/<str:token>.ics", views_feed.ics, name="ics"),
]
