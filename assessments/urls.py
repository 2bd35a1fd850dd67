from django.urls import path

from assessments import views
from assessments import workshop_views as workshop

app_name = "assessments"

urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("new/", workshop.assessment_start, name="new"),
    path("national/", views.national, name="national"),
    path("<int:pk>/", views.assessment_detail, name="detail"),
    path("<int:pk>/print/", views.assessment_print, name="print"),
    path("<int:pk>/answers.csv", views.assessment_csv, name="csv"),
    path("<int:pk>/close/", workshop.assessment_close, name="close"),
    path("<int:pk>/share/", workshop.assessment_share, name="share"),
    path("<int:pk>/groups/new/", workshop.group_add, name="group-add"),
    path("<int:pk>/groups/<int:group>/", workshop.group_answers, name="group"),
    path(
        "<int:pk>/groups/<int:group>/autosave/",
        workshop.group_autosave,
        name="group-autosave",
    ),
    path(
        "<int:pk>/groups/<int:group>/remove/",
        workshop.group_remove,
        name="group-remove",
    ),
    path("<int:pk>/gaps/<int:practice>/", views.gap_evidence, name="gap"),
]
