from django.urls import path

from forum.posts import feeds, views

app_name = "posts"

urlpatterns = [
    path("post/<int:pk>/", views.post_permalink, name="post_permalink"),
    path("post/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("post/<int:pk>/history/", views.post_history, name="post_history"),
    path("topic/<int:pk>-<str:slug>/reply/", views.topic_reply, name="topic_reply"),
    path("forum/<int:pk>-<str:slug>/feed/", feeds.ForumTopicsFeed(), name="forum_feed"),
    path("topic/<int:pk>-<str:slug>/feed/", feeds.TopicPostsFeed(), name="topic_feed"),
    path("attachments/upload/", views.attachment_upload, name="attachment_upload"),
    path("post/<int:pk>/quote/", views.post_quote, name="post_quote"),
    path("topic/<int:pk>-<str:slug>/quote/", views.quote_text, name="quote_text"),
    path("topic/<int:pk>-<str:slug>/multiquote/", views.topic_multiquote, name="topic_multiquote"),
    path("post/<int:pk>/recommend/", views.post_recommend, name="post_recommend"),
    path("post/<int:pk>/unrecommend/", views.post_unrecommend, name="post_unrecommend"),
]
