from django.urls import path

from .views import accept_invitation

urlpatterns = [
    path("providers/accept/<str:token>/", accept_invitation, name="provider-accept"),
]
