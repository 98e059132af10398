from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("profile/<int:pk>-<str:slug>/", views.profile, name="profile"),
    path("settings/", views.settings_profile, name="settings_profile"),
]
