from django.urls import path

from forum.boards import views

app_name = "boards"

urlpatterns = [
    path("", views.board_index, name="board_index"),
    path("forum/<int:pk>-<str:slug>/", views.forum_detail, name="forum_detail"),
    path("new-topic/", views.choose_forum, name="choose_forum"),
]
