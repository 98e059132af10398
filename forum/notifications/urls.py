from django.urls import path

from forum.notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/<int:pk>/", views.notification_open, name="notification_open"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("notifications/read-all/", views.notification_read_all, name="notification_read_all"),
    path("notifications/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("settings/notifications/", views.notification_settings, name="notification_settings"),
    path("unread/", views.unread_list, name="unread_list"),
    path("unread/mark-all-read/", views.mark_all_read, name="mark_all_read"),
    path("topic/<int:pk>-<str:slug>/unread/", views.topic_unread, name="topic_unread"),
    path("topic/<int:pk>-<str:slug>/follow/", views.topic_follow, name="topic_follow"),
    path("forum/<int:pk>-<str:slug>/follow/", views.forum_follow, name="forum_follow"),
    path("forum/<int:pk>-<str:slug>/mark-read/", views.forum_mark_read, name="forum_mark_read"),
    path("mentions/suggest/", views.mention_suggestions, name="mention_suggestions"),
]
