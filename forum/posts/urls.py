from django.urls import path

from forum.posts import views

app_name = "posts"

urlpatterns = [
    path("post/<int:pk>/", views.post_permalink, name="post_permalink"),
    path("post/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("post/<int:pk>/history/", views.post_history, name="post_history"),
    path("topic/<int:pk>-<str:slug>/reply/", views.topic_reply, name="topic_reply"),
]
