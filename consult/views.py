"""Consultation pages: the list, a consultation with its proposals and comments, a proposal, moderation, search."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject as lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from community import permissions as community_permissions
from community.http import current_community
from community.models import Community
from consult import permissions, selectors, services
from consult.forms import (
    AnswerForm,
    AttachmentForm,
    CommentEditForm,
    CommentForm,
    ConclusionForm,
    ConsultationForm,
    ContentReportForm,
    DecisionForm,
    ModerateForm,
    ProposalForm,
    task_fields,
)
from consult.models import Comment, Consultation, Proposal
from core import fragments
from core.http import Confirm, attempt, confirm_page, confirmed, error_messages, render_live

Phase = Consultation.Phase


def _visible(request, pk: int) -> Consultation:
    consultation = get_object_or_404(Consultation.objects.select_related("community", "grid"), pk=pk)
    if not permissions.can_view_consultation(request.user, consultation):
        raise Http404
    return consultation


# The list, creating and editing ---------------------------------------------------------


def consultation_list(request):
    community = current_community(request)
    context = {
        "community": community,
        "consultations": selectors.consultation_list(request.user, community),
        "can_manage": permissions.can_manage_consultations(request.user, community),
        "can_moderate": permissions.can_view_moderation_log(request.user, community),
    }
    return render(request, "consult/consultation_list.html", context)


@login_required
def consultation_new(request):
    community = current_community(request)
    if not permissions.can_manage_consultations(request.user, community):
        raise PermissionDenied(_("Only the committee runs consultations."))
    form = ConsultationForm(request.POST or None, community=community)
    created = []
    if request.method == "POST" and attempt(form, lambda d: created.append(services.create_consultation(
        request.user, community_id=community.pk, **_consultation_fields(d)
    ))):
        messages.success(request, _("The consultation was drafted. Only the committee sees it until it opens."))
        return redirect(created[0])
    return render(request, "consult/consultation_form.html", {"form": form, "community": community})


def _consultation_fields(data) -> dict:
    return {**{k: v for k, v in data.items() if k != "grid"}, "grid_id": data["grid"] and data["grid"].pk}


@login_required
def consultation_edit(request, pk: int):
    consultation = _visible(request, pk)
    if not permissions.can_manage_consultations(request.user, consultation.community):
        raise PermissionDenied
    initial = {name: getattr(consultation, name) for name in ConsultationForm.base_fields}
    form = ConsultationForm(request.POST or None, initial=initial, community=consultation.community)
    if request.method == "POST" and attempt(form, lambda d: services.update_consultation(
        request.user, consultation_id=consultation.pk, **_consultation_fields(d)
    )):
        messages.success(request, _("The consultation was saved."))
        return redirect(consultation)
    return render(request, "consult/consultation_form.html",
                  {"form": form, "community": consultation.community, "consultation": consultation})


# A consultation ---------------------------------------------------------------------------


def consultation_detail(request, pk: int, **bound):
    consultation = _visible(request, pk)
    context = consultation_context(request.user, consultation, page=request.GET.get("page"),
                                   comments_page=request.GET.get("comments"), **bound)
    return render_live(request, "consult/consultation_detail.html", context)


def consultation_context(user, consultation: Consultation, *, page=None, comments_page=None, **bound) -> dict:
    """What the page shows. The costly parts are lazy: read only when the page's cached fragment
    (core/fragments.py) must be rendered again, so a cached page costs a few queries."""
    community = consultation.community
    manage = permissions.can_manage_consultations(user, community)
    history = permissions.can_view_moderation_log(user, community)
    last_event = consultation.events.order_by("-pk").values_list("pk", flat=True).first() or 0
    proposal_page = lazy(lambda: selectors.proposals_page(consultation, page))
    proposals = lazy(lambda: proposal_page.object_list)
    discussion = lazy(lambda: selectors.comment_page(consultation.comments.filter(proposal=None), user, comments_page,
                                                     with_revisions=history))
    context = {
        "consultation": consultation,
        "community": community,
        "proposals": proposals,
        "proposal_page": proposal_page,
        "comment_page": lazy(lambda: discussion[0]),
        "supported": lazy(lambda: selectors.supported_by(user, list(proposals))),
        "can_support": lazy(lambda: {p.pk for p in proposals if permissions.can_support(user, p)}),
        "comments": lazy(lambda: discussion[1]),
        "attachments": lazy(lambda: list(consultation.attachments.all())),
        "issues": lazy(lambda: list(consultation.issues.select_related("grid__community", "category"))),
        "decisions": lazy(lambda: selectors.decisions_of(consultation)),
        "hidden": lazy(lambda: selectors.hidden_counts(consultation)),
        "stats": lazy(lambda: selectors.statistics(consultation, last_event)),
        "following": selectors.is_following(user, consultation),
        "can_follow": permissions.can_follow_consultation(user, consultation),
        "can_propose": permissions.can_submit_proposal(user, consultation),
        "can_comment": permissions.can_comment_in(user, consultation),
        "can_manage": manage,
        "can_start_poll": manage and consultation.phase == Phase.VOTING,
        "can_moderate": permissions.can_moderate(user, community),
        "can_see_history": history,
        "can_report": community_permissions.is_member_of(user, community),
        "unanswered": selectors.unanswered_count(consultation) if manage else 0,
        "comment_form": bound.get("comment_form") or CommentForm(prefix="comment"),
        "comment_edit": bound.get("comment_edit"),
        "report_form": ContentReportForm(prefix="report"),
        "moderate_form": ModerateForm(prefix="moderate"),
        "last_event": last_event,
        # Anonymous readers share one rendering per state of the consultation, language and page.
        "fragment_audience": None if user.is_authenticated or bound else "anonymous",
        "fragment_version": fragments.version("consultation", consultation.pk),
    }
    if manage and consultation.phase != Phase.CONCLUDED:
        context["attach_form"] = bound.get("attach_form") or AttachmentForm(prefix="attach")
        if consultation.phase in (Phase.DELIBERATION, Phase.VOTING):
            context["conclude_form"] = bound.get("conclude_form") or ConclusionForm(prefix="conclude")
    if manage and consultation.phase in (Phase.VOTING, Phase.CONCLUDED):
        context["decision_form"] = bound.get("decision_form") or DecisionForm(prefix="decision", community=community)
    return context


@require_POST
@login_required
def consultation_action(request, pk: int, action: str):
    consultation = _visible(request, pk)
    user = request.user
    if action == "comment":
        form = CommentForm(request.POST, prefix="comment")
        posted = []
        if attempt(form, lambda d: posted.append(services.post_comment(
            user, consultation_id=pk, body=d["body"], stance=d["stance"], proposal_id=d["proposal"],
            parent_id=d["parent"],
        ))):
            if getattr(posted[0], "sent_again", False):
                messages.info(request, _("You sent this already; here is the result. Nothing was done twice."))
            else:
                messages.success(request, _("Your comment was posted."))
            return redirect(posted[0].get_absolute_url())
        raw = form.data.get("comment-proposal", "")
        target = Proposal.objects.filter(pk=int(raw), consultation=consultation).first() if raw.isdigit() else None
        if target:
            return proposal_detail(request, target.pk, comment_form=form)
        return consultation_detail(request, pk, comment_form=form)
    forms = {
        "attach": (AttachmentForm, lambda d: services.attach_file(
            user, consultation_id=pk, title=d["title"], upload=d["upload"]), gettext_lazy("The file was attached.")),
        "conclude": (ConclusionForm, lambda d: services.conclude_consultation(
            user, consultation_id=pk, conclusion=d["conclusion"]), gettext_lazy("The consultation is concluded.")),
        "decision": (DecisionForm, lambda d: services.record_consultation_decision(
            user, consultation_id=pk, title=d["title"], body=d["body"],
            tasks=[task_fields(d)] if d.get("task_title") else []), gettext_lazy("The decision was recorded.")),
    }
    if action in forms:
        form_class, call, done = forms[action]
        extra = {"community": consultation.community} if action == "decision" else {}
        form = form_class(request.POST, request.FILES, prefix=action, **extra)
        if attempt(form, call):
            messages.success(request, done)
            return redirect(consultation)
        return consultation_detail(request, pk, **{f"{action}_form": form})
    if action == "advance" and not confirmed(request):
        to = request.POST.get("to", "")
        if to not in ADVANCE:
            raise Http404
        return confirm_page(request, ADVANCE[to], action=request.path, back_url=consultation.get_absolute_url(),
                            back_label=consultation.title, fields=(("to", to),))
    buttons = {
        "advance": lambda: services.advance_phase(user, consultation_id=pk, to=request.POST.get("to", "")),
        "follow": lambda: services.follow_consultation(user, consultation_id=pk),
        "unfollow": lambda: services.unfollow_consultation(user, consultation_id=pk),
    }
    if action not in buttons:
        raise Http404
    _press(request, buttons[action])
    return redirect(consultation)


# Each phase change is asked first, on a page that says what it does: none can be undone.
ADVANCE = {
    Phase.COLLECTING: Confirm(
        gettext_lazy("Open the consultation?"),
        gettext_lazy("Residents see it and can make, support and discuss proposals. It cannot go back to draft."),
        gettext_lazy("Yes, open it")),
    Phase.DELIBERATION: Confirm(
        gettext_lazy("Start deliberation?"),
        gettext_lazy("No new proposals after this. Residents keep supporting and discussing, and read your answers. "
                     "It cannot go back to collecting proposals."),
        gettext_lazy("Yes, start deliberation")),
    Phase.VOTING: Confirm(
        gettext_lazy("Start voting?"),
        gettext_lazy("Supports close, and the shortlisted proposals are ready for the ballot, which you check before "
                     "it opens. It cannot go back to deliberation."),
        gettext_lazy("Yes, start voting")),
}


def _press(request, call) -> bool:
    """A button without text to keep: do it, or say why not."""
    try:
        call()
    except (ValidationError, PermissionDenied) as error:
        for message in error_messages(error):
            messages.error(request, message)
        return False
    return True


def _back(request, fallback) -> str:
    """Where to return after a button: ``next``, else the page the button was on, else ``fallback``."""
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return target
    referer = request.headers.get("Referer", "")
    origin = f"{request.scheme}://{request.get_host()}/"
    if referer.startswith(origin):
        return "/" + referer[len(origin):]
    return fallback.get_absolute_url()


@require_POST
@login_required
def attachment_remove(request, pk: int):
    from consult.models import Attachment

    attachment = get_object_or_404(Attachment, pk=pk)
    if _press(request, lambda: services.remove_attachment(request.user, attachment_id=pk)):
        messages.success(request, _("The attachment was removed."))
    return redirect(attachment.consultation)


# Proposals ---------------------------------------------------------------------------------


@login_required
def proposal_new(request, pk: int):
    consultation = _visible(request, pk)
    form = ProposalForm(request.POST or None)
    created = []
    if request.method == "POST" and attempt(form, lambda d: created.append(services.submit_proposal(
        request.user, consultation_id=pk, title=d["title"], body=d["body"]
    ))):
        if getattr(created[0], "sent_again", False):
            messages.info(request, _("You sent this already; here is the result. Nothing was done twice."))
        else:
            messages.success(request, _("Your proposal was submitted. The committee will answer it in writing."))
        return redirect(created[0])
    return render(request, "consult/proposal_form.html", {"form": form, "consultation": consultation,
                                                          "community": consultation.community})


def _proposal(request, pk: int) -> Proposal:
    proposal = get_object_or_404(
        Proposal.objects.select_related("consultation__community", "consultation__grid", "author", "organisation",
                                        "merged_into", "answered_by"), pk=pk,
    )
    if not permissions.can_view_consultation(request.user, proposal.consultation):
        raise Http404
    return proposal


def proposal_detail(request, pk: int, **bound):
    proposal = _proposal(request, pk)
    consultation, user = proposal.consultation, request.user
    comment_page, comments = selectors.comment_page(proposal.comments.all(), user, request.GET.get("comments"))
    context = {
        "proposal": proposal,
        "consultation": consultation,
        "community": consultation.community,
        "comments": comments,
        "comment_page": comment_page,
        "supported": selectors.supported_by(user, [proposal]),
        "can_support": {proposal.pk} if permissions.can_support(user, proposal) else set(),
        "can_edit": permissions.can_edit_proposal(user, proposal),
        "can_withdraw": permissions.can_withdraw_proposal(user, proposal),
        "can_comment": permissions.can_comment_in(user, consultation) and not proposal.is_hidden,
        "can_moderate": permissions.can_moderate(user, consultation.community),
        "can_see_history": permissions.can_view_moderation_log(user, consultation.community),
        "can_report": community_permissions.is_member_of(user, consultation.community),
        "comment_form": bound.get("comment_form") or CommentForm(prefix="comment", initial={"proposal": proposal.pk}),
        "comment_edit": bound.get("comment_edit"),
        "report_form": ContentReportForm(prefix="report"),
        "moderate_form": ModerateForm(prefix="moderate"),
        "merged_here": list(proposal.merged_proposals.all()),
        "last_event": consultation.events.order_by("-pk").values_list("pk", flat=True).first() or 0,
    }
    if permissions.can_answer_proposal(user, proposal) and not proposal.is_withdrawn:
        initial = {"answer": proposal.answer, "reason": proposal.answer_text, "merged_into": proposal.merged_into_id}
        context["answer_form"] = bound.get("answer_form") or AnswerForm(prefix="answer", proposal=proposal,
                                                                        initial=initial)
    return render_live(request, "consult/proposal_detail.html", context)


@login_required
def proposal_edit(request, pk: int):
    proposal = _proposal(request, pk)
    if request.method != "POST" and not permissions.can_edit_proposal(request.user, proposal):
        raise PermissionDenied(_("A proposal can be edited by its author until deliberation starts, unless it was answered."))
    # On POST the service decides; if it refuses, the text typed stays in the form with the reason.
    form = ProposalForm(request.POST or None, initial={"title": proposal.title, "body": proposal.body})
    if request.method == "POST" and attempt(form, lambda d: services.edit_proposal(
        request.user, proposal_id=pk, title=d["title"], body=d["body"]
    )):
        messages.success(request, _("Your proposal was saved."))
        return redirect(proposal)
    return render(request, "consult/proposal_form.html", {"form": form, "consultation": proposal.consultation,
                                                          "community": proposal.consultation.community,
                                                          "proposal": proposal})


@require_POST
@login_required
def proposal_action(request, pk: int, action: str):
    proposal = _proposal(request, pk)
    user = request.user
    if action == "answer":
        form = AnswerForm(request.POST, prefix="answer", proposal=proposal)
        if attempt(form, lambda d: services.answer_proposal(
            user, proposal_id=pk, answer=d["answer"], reason=d["reason"],
            merged_into_id=d["merged_into"] and d["merged_into"].pk,
        )):
            messages.success(request, _("Your answer was published; the author and supporters are told."))
            return redirect(proposal)
        return proposal_detail(request, pk, answer_form=form)
    buttons = {
        "support": (lambda: services.support_proposal(user, proposal_id=pk), gettext_lazy("You support this proposal.")),
        "unsupport": (lambda: services.withdraw_support(user, proposal_id=pk),
                      gettext_lazy("You no longer support this proposal.")),
        "withdraw": (lambda: services.withdraw_proposal(user, proposal_id=pk),
                     gettext_lazy("Your proposal was withdrawn.")),
        "report": (lambda: _report(request, proposal_id=pk), gettext_lazy("Thank you. A moderator will look at it.")),
        "moderate": (lambda: _moderate(request, proposal_id=pk), gettext_lazy("Done. The author is told why.")),
    }
    if action not in buttons:
        raise Http404
    call, done = buttons[action]
    ok = _press(request, call)
    if request.headers.get("HX-Request") and action in ("support", "unsupport"):
        proposal.refresh_from_db()
        return render(request, "includes/support_box.html", {
            "proposal": proposal, "supported": selectors.supported_by(user, [proposal]),
            "can_support": {proposal.pk} if permissions.can_support(user, proposal) else set(),
        })
    if ok:
        messages.success(request, done)
    return redirect(_back(request, proposal))


def _report(request, **target):
    form = ContentReportForm(request.POST, prefix="report")
    if not form.is_valid():
        raise ValidationError(_("Choose a reason for the report."))
    services.report_content(request.user, reason=form.cleaned_data["reason"], detail=form.cleaned_data["detail"],
                            **target)


def _moderate(request, **target):
    form = ModerateForm(request.POST, prefix="moderate")
    form.is_valid()
    data = form.cleaned_data
    services.moderate(request.user, action=request.POST.get("do", ""), reason=data.get("reason", ""),
                      explanation=data.get("explanation", ""), **target)


# Comments ----------------------------------------------------------------------------------


def _comment(request, pk: int) -> Comment:
    comment = get_object_or_404(
        Comment.objects.select_related("consultation__community", "proposal", "author"), pk=pk
    )
    if not permissions.can_view_consultation(request.user, comment.consultation):
        raise Http404
    return comment


def comment_fragment(request, pk: int):
    """One comment as the page shows it, for live updates: the client fetches what it may see."""
    comment = _comment(request, pk)
    if comment.proposal_id and comment.proposal.is_hidden and not permissions.can_moderate(
            request.user, comment.consultation.community):
        raise Http404  # a hidden proposal's discussion is hidden with it, as on its page
    comment.thread, comment.upvoted = [], bool(
        request.user.is_authenticated and comment.upvotes.filter(user=request.user).exists()
    )
    consultation = comment.consultation
    context = {
        "comment": comment,
        "consultation": consultation,
        "can_comment": permissions.can_comment_in(request.user, consultation),
        "can_moderate": permissions.can_moderate(request.user, consultation.community),
        "can_see_history": permissions.can_view_moderation_log(request.user, consultation.community),
        "can_report": community_permissions.is_member_of(request.user, consultation.community),
        "report_form": ContentReportForm(prefix="report"),
        "moderate_form": ModerateForm(prefix="moderate"),
        "comment_edit": None,
    }
    return render(request, "includes/comment.html", context)


@require_POST
@login_required
def comment_action(request, pk: int, action: str):
    comment = _comment(request, pk)
    user = request.user
    if action == "edit":
        form = CommentEditForm(request.POST, prefix=f"edit{pk}")
        if attempt(form, lambda d: services.edit_comment(user, comment_id=pk, body=d["body"])):
            messages.success(request, _("Your comment was saved."))
            return redirect(comment.get_absolute_url())
        # Show the page again with the edit open, the text as typed, and why it was refused.
        failed = {"pk": pk, "text": request.POST.get(f"edit{pk}-body", ""),
                  "errors": [e for errors in form.errors.values() for e in errors]}
        if comment.proposal_id:
            return proposal_detail(request, comment.proposal_id, comment_edit=failed)
        return consultation_detail(request, comment.consultation_id, comment_edit=failed)
    buttons = {
        "delete": (lambda: services.delete_comment(user, comment_id=pk), gettext_lazy("Your comment was deleted.")),
        "upvote": (lambda: services.upvote_comment(user, comment_id=pk), gettext_lazy("Upvoted.")),
        "report": (lambda: _report(request, comment_id=pk), gettext_lazy("Thank you. A moderator will look at it.")),
        "moderate": (lambda: _moderate(request, comment_id=pk), gettext_lazy("Done. The author is told why.")),
    }
    if action not in buttons:
        raise Http404
    call, done = buttons[action]
    if _press(request, call):
        messages.success(request, done)
    return redirect(_back(request, comment))


# Moderation and search ---------------------------------------------------------------------


@login_required
def moderation(request, slug: str):
    community = get_object_or_404(Community, slug=slug)
    if not permissions.can_view_moderation_log(request.user, community):
        raise Http404
    context = {
        "community": community,
        **selectors.moderation_queue(community),
        "can_moderate": permissions.can_moderate(request.user, community),
        "moderate_form": ModerateForm(prefix="moderate"),
    }
    return render(request, "consult/moderation.html", context)


def search(request):
    community = current_community(request)
    results = selectors.search(community, request.GET.get("q", ""))
    return render(request, "consult/search.html", {"community": community, **results})
