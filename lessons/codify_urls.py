from django.urls import path

from lessons import codify_views as views

app_name = "codify"

urlpatterns = [
    path("", views.lesson_add, name="add"),
    path("<int:pk>/", views.lesson_edit, name="edit"),
    path("<int:pk>/remove/", views.lesson_remove, name="remove"),
    path("<int:pk>/move/<str:direction>/", views.lesson_move, name="move"),
]
