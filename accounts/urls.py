from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("profile/<int:pk>-<str:slug>/", views.profile, name="profile"),
    path(
        "profile/<int:pk>-<str:slug>/topics/",
        views.profile,
        {"tab": "topics"},
        name="profile_topics",
    ),
    path("members/", views.member_list, name="member_list"),
    path("settings/", views.settings_profile, name="settings_profile"),
    path("settings/avatar/", views.settings_avatar, name="settings_avatar"),
]
