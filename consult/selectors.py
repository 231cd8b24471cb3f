"""Reads for consultation pages: a fixed number of queries whatever the number of proposals and comments."""

import re
from collections import Counter, defaultdict

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from community.models import AgeBand, Community, Membership, User
from consult import permissions
from consult.models import (
    Comment,
    CommentUpvote,
    Consultation,
    ConsultationFollow,
    ModerationAction,
    ModerationReason,
    Proposal,
    Report,
    Support,
)
from core.i18n import in_reader_language
from ledger.models import Task
from ledger.selectors import tasks_with_updates

SMALLEST_GROUP = 5
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
STATS_SECONDS = 60


def consultation_list(user, community: Community) -> QuerySet[Consultation]:
    consultations = community.consultations.select_related("grid").annotate(
        proposal_count=Count("proposals", filter=Q(proposals__withdrawn_at=None), distinct=True),
        comment_count=Count("comments", filter=Q(comments__deleted_at=None), distinct=True),
    )
    if not permissions.can_manage_consultations(user, community):
        consultations = consultations.exclude(phase=Consultation.Phase.DRAFT)
    return consultations.order_by("-phase_changed_at", "-pk")


PROPOSALS_PER_PAGE = 20  # a phone's screenful a few times over, and a page that stays light
COMMENTS_PER_PAGE = 20  # top-level comments, each with its replies


def proposals_page(consultation: Consultation, number) -> Page:
    """A page of proposals, most supported first, each pointing at the (already loaded) consultation."""
    proposals = (consultation.proposals.select_related("author", "organisation", "merged_into")
                 .order_by("-supports_count", "created_at", "pk"))
    page = Paginator(proposals, PROPOSALS_PER_PAGE).get_page(number)
    page.object_list = list(page.object_list)
    counts = dict(Comment.objects.filter(proposal__in=page.object_list, deleted_at=None).values("proposal_id")
                  .annotate(n=Count("pk")).values_list("proposal_id", "n"))  # for this page only, not all of them
    for proposal in page.object_list:
        proposal.consultation = consultation
        proposal.comment_count = counts.get(proposal.pk, 0)
    return page


def unanswered_count(consultation: Consultation) -> int:
    """Proposals still waiting for the committee's written answer."""
    return (consultation.proposals.filter(answer="", withdrawn_at=None)
            .exclude(moderation=Proposal.Moderation.HIDDEN).count())


def comment_page(comments: QuerySet[Comment], user, number, *, with_revisions: bool = True) -> tuple[Page, list[Comment]]:
    """A page of a discussion: page 1 holds the newest top-level comments, later pages earlier ones; each
    page reads in order, with the replies. 20,000 comments cost the same few queries as 20.
    """
    top = comments.filter(parent=None).order_by("-created_at", "-pk").values_list("pk", flat=True)
    page = Paginator(top, COMMENTS_PER_PAGE).get_page(number)
    ids = list(page.object_list)
    threads = comment_threads(comments.filter(Q(pk__in=ids) | Q(parent_id__in=ids) | Q(parent__parent_id__in=ids)),
                              user, with_revisions=with_revisions)
    return page, threads


def comment_threads(comments: QuerySet[Comment], user, *, with_revisions: bool = True) -> list[Comment]:
    """Top-level comments, each with ``thread`` (its replies, nested): one query, built in memory; the earlier
    versions (one more) only for those who may read them."""
    rows = comments.select_related("author").order_by("created_at", "pk")
    rows = list(rows.prefetch_related("revisions") if with_revisions else rows)
    upvoted = set()
    if user.is_authenticated and rows:
        upvoted = set(
            CommentUpvote.objects.filter(user=user, comment__in=[c.pk for c in rows]).values_list("comment_id", flat=True)
        )
    children = defaultdict(list)
    for comment in rows:
        comment.thread = children[comment.pk]
        comment.upvoted = comment.pk in upvoted
        children[comment.parent_id].append(comment)
    return children[None]


def supported_by(user, proposals) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(Support.objects.filter(user=user, proposal__in=proposals).values_list("proposal_id", flat=True))


def is_following(user, consultation: Consultation) -> bool:
    return bool(
        user.is_authenticated and ConsultationFollow.objects.filter(consultation=consultation, user=user).exists()
    )


def hidden_counts(consultation: Consultation) -> list[tuple[str, int]]:
    """How many comments and proposals are hidden, by reason: public, so moderation is accountable."""
    counts, pending = Counter(), 0
    for model in (Comment, Proposal):  # one query each
        rows = (model.objects.filter(consultation=consultation, moderation__in=("hidden", "auto_hidden"))
                .values("moderation", "moderation_reason").annotate(n=Count("pk")).order_by())
        for row in rows:
            if row["moderation"] == "hidden":
                counts[row["moderation_reason"]] += row["n"]
            else:
                pending += row["n"]
    rows = [(ModerationReason(reason).label, n) for reason, n in sorted(counts.items()) if reason in ModerationReason.values]
    if pending:
        rows.append((_("Awaiting a moderator after reports"), pending))
    return rows


def decisions_of(consultation: Consultation) -> list:
    decisions = list(consultation.decisions.select_related("decided_by").order_by("decided_at", "pk"))
    tasks = list(tasks_with_updates(Task.objects.filter(decision__in=decisions)))
    by_decision = defaultdict(list)
    for task in tasks:
        by_decision[task.decision_id].append(task)
    for decision in decisions:
        decision.task_list = by_decision[decision.pk]
    return decisions


# Statistics ------------------------------------------------------------------------------


def merge_small(counts: dict, *, other_label) -> list[tuple[str, int]]:
    """Groups of fewer than five people are merged into "other", so nobody can be picked out.

    If "other" itself would hold fewer than five, the smallest remaining group joins it, until
    every group shown has at least five people (or everything is one group).
    """
    groups = sorted(((str(label), n) for label, n in counts.items() if n), key=lambda item: (-item[1], item[0]))
    kept = [g for g in groups if g[1] >= SMALLEST_GROUP]
    other = sum(n for _label, n in groups if n < SMALLEST_GROUP)
    while 0 < other < SMALLEST_GROUP and kept:
        other += kept.pop()[1]
    return kept + ([(str(other_label), other)] if other else [])


def by_age_band(people: set[int]) -> list[tuple[str, int]]:
    """The people's age bands, groups of fewer than five merged ("not given" counts as a band)."""
    labels = dict(AgeBand.choices)
    bands = Counter(labels.get(band, _("Not given")) for band in User.objects.filter(pk__in=people)
                    .values_list("age_band", flat=True))
    return merge_small(dict(bands), other_label=_("Other ages (small groups merged)"))


def statistics(consultation: Consultation, latest: int | None = None) -> dict:
    """The participation figures, computed at most once a minute per consultation state (``latest``: the id
    of its latest event, when the caller read it already)."""
    if latest is None:
        latest = consultation.events.order_by("-pk").values_list("pk", flat=True).first() or 0
    key = f"yishi:consultation-stats:{consultation.pk}:{latest}:{translation.get_language()}"
    cached = cache.get(key)
    if cached is None:
        cached = compute_statistics(consultation)
        cache.set(key, cached, STATS_SECONDS)
    return cached


def compute_statistics(consultation: Consultation) -> dict:
    """Participants, proposals and comments, with participants by grid and age band (small groups merged)."""
    # Three queries read who took part, and the counts come from the same rows.
    proposals = list(consultation.proposals.values_list("author_id", "withdrawn_at"))
    supports = list(Support.objects.filter(proposal__consultation=consultation).values_list("user_id", flat=True))
    comments = list(consultation.comments.filter(deleted_at=None).values_list("author_id", flat=True))
    people = ({author for author, _withdrawn in proposals} | set(supports) | set(comments)) - {None}
    grid_of = {
        user_id: in_reader_language(name, name_zh) for user_id, name, name_zh in
        Membership.objects.filter(user__in=people, community=consultation.community, role=Membership.Role.RESIDENT)
        .values_list("user_id", "grid__name", "grid__name_zh")
    }
    grids = Counter(grid_of.get(pk, _("Organisations and community staff")) for pk in people)
    too_few = len(people) < SMALLEST_GROUP
    ages = by_age_band(people)  # counted always: the same queries whatever the number of people
    return {
        "participants": len(people),
        "proposals": sum(1 for _author, withdrawn in proposals if withdrawn is None),
        "supports": len(supports),
        "comments": len(comments),
        "too_few": too_few,
        "by_grid": [] if too_few else merge_small(dict(grids), other_label=_("Other grids (small groups merged)")),
        "by_age": [] if too_few else ages,
    }


# Moderation ------------------------------------------------------------------------------


def moderation_queue(community: Community) -> dict:
    """What waits for a moderator (reported or auto-hidden), and the log of what was done."""
    reported_comments = (
        Comment.objects.filter(consultation__community=community)
        .filter(Q(reports__resolved_at=None, reports__isnull=False) | Q(moderation="auto_hidden"))
        .select_related("author", "consultation", "proposal")
        .annotate(open_reports=Count("reports", filter=Q(reports__resolved_at=None)))
        .distinct()
        .order_by("created_at")
    )
    reported_proposals = (
        Proposal.objects.filter(consultation__community=community)
        .filter(Q(reports__resolved_at=None, reports__isnull=False) | Q(moderation="auto_hidden"))
        .select_related("author", "consultation")
        .annotate(open_reports=Count("reports", filter=Q(reports__resolved_at=None)))
        .distinct()
        .order_by("created_at")
    )
    reasons = defaultdict(list)
    for report in Report.objects.filter(resolved_at=None).filter(
        Q(comment__consultation__community=community) | Q(proposal__consultation__community=community)
    ):
        reasons[("c", report.comment_id) if report.comment_id else ("p", report.proposal_id)].append(report)
    log = (
        ModerationAction.objects.filter(consultation__community=community)
        .select_related("moderator", "consultation", "comment", "proposal")
        .order_by("-created_at", "-pk")[:100]
    )
    return {
        "comments": [(c, reasons[("c", c.pk)]) for c in reported_comments],
        "proposals": [(p, reasons[("p", p.pk)]) for p in reported_proposals],
        "log": log,
    }


# Search ------------------------------------------------------------------------------------


def search(community: Community, query: str, *, limit: int = 20) -> dict:
    """Consultations, proposals and comments matching the words, public ones only.

    On PostgreSQL this uses full-text search (ranked); elsewhere every word must appear in the text.
    """
    query = " ".join(query.split())[:200]
    if not query:
        return {"consultations": [], "proposals": [], "comments": [], "query": ""}
    public = ~Q(phase=Consultation.Phase.DRAFT)
    consultations = community.consultations.filter(public)
    proposals = Proposal.objects.filter(
        consultation__community=community, moderation="visible"
    ).exclude(consultation__phase=Consultation.Phase.DRAFT).select_related("consultation")
    comments = (
        Comment.objects.filter(consultation__community=community, moderation="visible", deleted_at=None)
        .exclude(consultation__phase=Consultation.Phase.DRAFT)
        .exclude(proposal__moderation__in=["hidden", "auto_hidden"])
        .select_related("consultation", "proposal", "author")
    )
    # PostgreSQL's "simple" configuration splits on spaces, which Chinese text does not have:
    # for a query with CJK characters, substring matching finds what people expect.
    if connection.vendor == "postgresql" and not CJK.search(query):
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        words = SearchQuery(query, search_type="websearch", config="simple")

        def ranked(qs, *fields):
            # Match with @@ (ts_rank is never 0, even for a document without the words), then rank.
            vector = SearchVector(*fields, config="simple")
            return (qs.annotate(document=vector, rank=SearchRank(vector, words)).filter(document=words)
                    .order_by("-rank", "-pk"))

        consultations = ranked(consultations, "title", "body", "conclusion")
        proposals = ranked(proposals, "title", "body", "answer_text")
        comments = ranked(comments, "body")
    else:
        for word in query.split()[:8]:
            consultations = consultations.filter(
                Q(title__icontains=word) | Q(body__icontains=word) | Q(conclusion__icontains=word)
            )
            proposals = proposals.filter(
                Q(title__icontains=word) | Q(body__icontains=word) | Q(answer_text__icontains=word)
            )
            comments = comments.filter(body__icontains=word)
        consultations, proposals, comments = (
            qs.order_by("-pk") for qs in (consultations, proposals, comments)
        )
    return {
        "query": query,
        "consultations": list(consultations[:limit]),
        "proposals": list(proposals[:limit]),
        "comments": list(comments[:limit]),
    }
