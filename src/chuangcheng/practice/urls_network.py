"""The practice network's and the figures' pages under /practice/ (namespace ``practice``)."""

from django.urls import URLPattern, URLResolver, path

from chuangcheng.practice import (
    views_figures,
    views_network,
    views_network_households,
    views_network_teams,
    views_network_volunteers,
)

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views_network.home, name="home"),
    path("sites/", views_network.site_list, name="site_list"),
    path("sites/new/", views_network.site_new, name="site_new"),
    path("sites/<int:pk>/", views_network.site_detail, name="site_detail"),
    path("sites/<int:pk>/edit/", views_network.site_edit, name="site_edit"),
    path("teams/", views_network_teams.team_list, name="team_list"),
    path("teams/new/", views_network_teams.team_new, name="team_new"),
    path("teams/<int:pk>/", views_network_teams.team_detail, name="team_detail"),
    path("teams/<int:pk>/edit/", views_network_teams.team_edit, name="team_edit"),
    path("volunteers/", views_network_volunteers.volunteer_list, name="volunteer_list"),
    path("volunteers/new/", views_network_volunteers.volunteer_new, name="volunteer_new"),
    path(
        "volunteers/import/",
        views_network_volunteers.volunteer_import_view,
        name="volunteer_import",
    ),
    path(
        "volunteers/import/template.xlsx",
        views_network_volunteers.volunteer_import_template,
        name="volunteer_import_template",
    ),
    path(
        "volunteers/<int:pk>/", views_network_volunteers.volunteer_detail, name="volunteer_detail"
    ),
    path(
        "volunteers/<int:pk>/edit/", views_network_volunteers.volunteer_edit, name="volunteer_edit"
    ),
    path("households/", views_network_households.household_list, name="household_list"),
    path("households/new/", views_network_households.household_new, name="household_new"),
    path(
        "households/<int:pk>/edit/", views_network_households.household_edit, name="household_edit"
    ),
    path("figures/", views_figures.figures, name="figures"),
    path("figures/export.xlsx", views_figures.figures_export, name="figures_export"),
]
