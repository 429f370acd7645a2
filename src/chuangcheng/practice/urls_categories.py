from django.urls import path

from chuangcheng.practice import views_categories

urlpatterns = [
    path("categories/", views_categories.category_list, name="category_list"),
]
