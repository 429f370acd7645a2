"""The overview page every user lands on after login."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from chuangcheng.command.queries import overview_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "command/home.html", overview_for(request.user))
