from django.urls import path

from lessons import synthesis_views as views

app_name = "synthesis"

urlpatterns = [
    path("", views.synthesis, name="page"),
    path("lessons/", views.synthesis_lessons, name="lessons"),
    path("lessons.csv", views.lessons_csv, name="csv"),
]
