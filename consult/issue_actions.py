"""What the consult app adds to an issue's page (``YISHI_ISSUE_ACTIONS``): put it before a consultation."""

from django.utils.translation import gettext_lazy

from consult.forms import SendToConsultationForm
from consult.services import send_issue_to_consultation

SEND_TO_CONSULTATION = (
    SendToConsultationForm,
    lambda user, issue, data: send_issue_to_consultation(
        user, issue_id=issue.pk, consultation_id=data["consultation"].pk
    ),
    gettext_lazy("The issue was put before the consultation."),
)
