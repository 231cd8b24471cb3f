from django.conf import settings


def site(request):
    user = getattr(request, "user", None)
    unread = 0
    if user is not None and user.is_authenticated:
        unread = user.notifications.filter(read_at=None).count()
    return {
        "site_name": settings.YISHI_SITE_NAME,
        "unread_notifications": unread,
        "contact_email": settings.YISHI_CONTACT_EMAIL,
    }
