from django.urls import path

from forum.threads import views

app_name = "threads"

urlpatterns = [
    path("topic/<int:pk>-<str:slug>/", views.topic_detail, name="topic_detail"),
    path("topic/<int:pk>-<str:slug>/page/<int:page>/", views.topic_detail, name="topic_page"),
    path("forum/<int:pk>-<str:slug>/new/", views.topic_create, name="topic_create"),
]
