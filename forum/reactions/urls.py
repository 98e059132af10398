from django.urls import path

from forum.reactions import views

app_name = "reactions"

urlpatterns = [
    path("post/<int:pk>/react/", views.post_react, name="post_react"),
    path("post/<int:pk>/reactions/", views.post_reactions, name="post_reactions"),
]
