from django.urls import path

from forum.moderation import views

app_name = "moderation"

_topic = "topic/<int:pk>-<str:slug>/"

urlpatterns = [
    *[
        path(f"{_topic}{action}/", views.topic_switch, {"action": action}, name=f"topic_{action}")
        for action in views.TOPIC_SWITCHES
    ],
    path(f"{_topic}hide/", views.topic_hide, name="topic_hide"),
    path(f"{_topic}move/", views.topic_move, name="topic_move"),
    path("post/<int:pk>/hide/", views.post_hide, name="post_hide"),
    path("post/<int:pk>/unhide/", views.post_unhide, name="post_unhide"),
    path("post/<int:pk>/approve/", views.post_approve, name="post_approve"),
    path("post/<int:pk>/reject/", views.post_reject, name="post_reject"),
    path("post/<int:pk>/report/", views.post_report, name="post_report"),
    path("settings/reports/", views.report_list, name="report_list"),
]
