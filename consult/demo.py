"""Three demo consultations, played through the real services: concluded, in deliberation, collecting.

Phases are opened with today's dates while the demo is played (the services check the phase, not
the calendar), then the dates and timestamps are moved back so the pages read like a real history.
"""

import random
from datetime import timedelta

from django.utils import timezone

from community.models import Community, Membership, Organisation, User
from consult import services
from consult.models import (
    Comment,
    Consultation,
    ConsultationEvent,
    ModerationAction,
    Proposal,
    Report,
    Support,
)
from issues.models import Issue
from ledger import services as ledger_services

Role = Membership.Role

CONCLUDED = {
    "title": "Parking in the old courtyards",
    "body": (
        "Cars fill the courtyards of grids 1 and 2 every evening, block the fire lanes and the "
        "paths to the bin stations. **What should change?** Everything is open: marked bays, a "
        "permit scheme, moving cars to the market car park at night, bike sheds.\n\n"
        "The committee answers every proposal in writing before concluding."
    ),
    "proposals": [
        ("Mark the fire lanes in yellow and tow after one warning", "accepted",
         "Accepted for the vote and adopted: the fire lanes are marked and the property manager tows after one written warning."),
        ("Residents' permits for the inner courtyards", "accepted",
         "Accepted: permits will be issued per household, one car each, from next month."),
        ("Night parking at the canal market car park", "already_planned",
         "Already planned: the market traders offered 40 night spaces from 19:00 to 07:00; the agreement is signed."),
        ("Turn the north courtyard into a car park", "not_feasible",
         "Not feasible: the courtyard is the only green space of grid 1 and the fire code forbids it."),
        ("Yellow lines in the fire lane", "merged", "Merged: the same as the first proposal."),
        ("Covered bike sheds by Building 3", "accepted",
         "Accepted: funded from the maintenance fund; the owners' committee agreed."),
    ],
    "conclusion": (
        "Residents asked for safe fire lanes and fair parking. **We decided** to mark the fire lanes, "
        "introduce one permit per household for the inner courtyards, open 40 night spaces at the "
        "market car park and build covered bike sheds. Turning the north courtyard into a car park "
        "is not possible: it is the only green space and the fire code forbids it."
    ),
    "decisions": [
        ("Fire lanes marked and kept clear", "Mark the fire lanes and tow after one warning", "property", 20),
        ("One parking permit per household", "Issue permits to every household that asks", "owners", 35),
        ("Bike sheds by Building 3", "Build two covered bike sheds", "property", 60),
    ],
}
DELIBERATION = {
    "title": "Renovating the community hall",
    "body": (
        "The community hall is 30 years old. The district funds one renovation this year. "
        "What should the hall be used for, and what does it need? Supports show what most "
        "neighbours want; proposals with 5 supports are shortlisted for the vote."
    ),
    "threshold": 5,
    "proposals": [
        ("A canteen for elderly neighbours at lunchtime", "A warm lunch every weekday, cheap for over-70s, volunteers help."),
        ("A homework room for children after school", "Quiet tables, good light and a volunteer tutor two afternoons a week."),
        ("Lift access to the first floor", "The stairs are steep; wheelchair users cannot reach the upper room."),
        ("A repair café once a month", "Neighbours fix bikes, lamps and clothes together."),
        ("Better sound insulation for the dance groups", "Evening dance groups are loud for the houses next door."),
        ("Solar panels on the roof", "Lower the electricity bill and show the children how it works."),
        ("A room for the owners' committee", "A small office for meetings and documents."),
        ("Accessible toilets", "There is no toilet a wheelchair user can use."),
    ],
    "comments": [
        ("for", "Yes! My mother eats alone every day; a canteen would change her life."),
        ("against", "A canteen needs a kitchen and staff. Who pays for it after the first year?"),
        ("neutral", "Could the canteen and the homework room share the space at different times?"),
        ("for", "The lift should come first: without it half of the hall is closed to older people."),
        ("for", "Solar panels pay for themselves in eight years according to the district office."),
        ("against", "The roof leaks; fix the roof before putting panels on it."),
    ],
}
COLLECTING = {
    "title": "A safer way to school along the canal",
    "body": (
        "Children from grids 3 and 4 walk to school along the canal path and cross the service road. "
        "Propose what would make the way safer: crossings, lights, a walking bus, anything."
    ),
    "proposals": [
        ("A zebra crossing on the service road", "At the bend behind Building 12, where children cross."),
        ("A walking bus with parent volunteers", "Two routes, leaving at 7:20 from the east gate and the bridge."),
    ],
}


def load(community: Community) -> int:
    """Play the demo consultations once; returns how many were made."""
    if community.consultations.exists():
        return 0
    rng = random.Random(7)
    chair = User.objects.get(email="committee@example.org")
    residents = list(User.objects.filter(memberships__community=community, memberships__role=Role.RESIDENT)
                     .order_by("pk"))
    reps = list(User.objects.filter(memberships__community=community, memberships__role=Role.ORG_REP).order_by("pk"))
    today = timezone.localdate()

    def open_consultation(spec, *, grid=None, threshold=None):
        consultation = services.create_consultation(
            chair, community_id=community.pk, grid_id=grid, title=spec["title"], body=spec["body"],
            collecting_from=today, deliberation_from=today, voting_from=today, concludes_on=today,
            support_threshold=threshold,
        )
        services.advance_phase(chair, consultation_id=consultation.pk, to="collecting")
        return consultation

    # 1. Concluded, with answers, decisions and tasks.
    done = open_consultation(CONCLUDED)
    proposals = []
    for index, (title, _answer, _reason) in enumerate(CONCLUDED["proposals"]):
        author = residents[index * 3]
        proposals.append(services.submit_proposal(author, consultation_id=done.pk, title=title,
                                                  body=f"{title}. This is what our building needs."))
    for proposal in proposals:
        for supporter in rng.sample(residents, rng.randint(3, 12)):
            if supporter.pk != proposal.author_id:
                services.support_proposal(supporter, proposal_id=proposal.pk)
    for index, resident in enumerate(residents[:10]):
        services.post_comment(resident, consultation_id=done.pk, stance=["for", "against", "neutral"][index % 3],
                              body=["Marked lanes will help the fire brigade.", "Permits cost money; who pays?",
                                    "What about visitors?"][index % 3])
    services.advance_phase(chair, consultation_id=done.pk, to="deliberation")
    for proposal, (_title, answer, reason) in zip(proposals, CONCLUDED["proposals"]):
        services.answer_proposal(chair, proposal_id=proposal.pk, answer=answer, reason=reason,
                                 merged_into_id=proposals[0].pk if answer == "merged" else None)
    services.advance_phase(chair, consultation_id=done.pk, to="voting")
    services.conclude_consultation(chair, consultation_id=done.pk, conclusion=CONCLUDED["conclusion"])
    kinds = {o.kind: o for o in Organisation.objects.filter(community=community)}
    for title, task, kind, days in CONCLUDED["decisions"]:
        owner = kinds.get(kind) or next(iter(kinds.values()))
        decision = services.record_consultation_decision(
            chair, consultation_id=done.pk, title=title,
            tasks=[{"title": task, "owner_organisation_id": owner.pk, "due_date": today + timedelta(days=days)}],
        )
        task_row = decision.tasks.get()
        rep = next((r for r in reps if r.memberships.filter(organisation=owner).exists()), chair)
        ledger_services.post_task_update(rep, task_id=task_row.pk, text="Work has started; materials ordered.",
                                  progress=rng.choice([20, 40, 60]), status="in_progress")
    _date_back(done, collecting=120, deliberation=95, voting=80, concluded=70)

    # 2. In deliberation, with many proposals and comments; a major issue sent to it.
    hall = open_consultation(DELIBERATION, threshold=DELIBERATION["threshold"])
    hall_proposals = []
    for index, (title, body) in enumerate(DELIBERATION["proposals"]):
        author = reps[index % len(reps)] if index == 6 else residents[(index * 5 + 1) % len(residents)]
        hall_proposals.append(services.submit_proposal(author, consultation_id=hall.pk, title=title, body=body))
    for index, proposal in enumerate(hall_proposals):
        for supporter in rng.sample(residents, max(1, 14 - index * 2)):
            if supporter.pk != proposal.author_id:
                services.support_proposal(supporter, proposal_id=proposal.pk)
    for index, (stance, body) in enumerate(DELIBERATION["comments"]):
        target = hall_proposals[index // 2] if index < 4 else hall_proposals[5]
        comment = services.post_comment(residents[(index * 7 + 2) % len(residents)], consultation_id=hall.pk,
                                        proposal_id=target.pk, stance=stance, body=body)
        services.post_comment(residents[(index * 7 + 5) % len(residents)], consultation_id=hall.pk,
                              proposal_id=target.pk, parent_id=comment.pk, stance="neutral",
                              body="Good point. Let us raise it at the joint meeting too.")
    for index in range(12):
        services.post_comment(residents[(index * 3 + 4) % len(residents)], consultation_id=hall.pk,
                              stance=["for", "neutral", "against"][index % 3],
                              body=["The hall is where the whole community meets; renovate it well.",
                                    "Please keep the hall open during the works.",
                                    "Spend the money on the roof first."][index % 3])
    # One comment hidden by the moderator, one waiting after reports.
    moderator = User.objects.filter(memberships__community=community, memberships__role=Role.MODERATOR).first()
    rude = services.post_comment(residents[9], consultation_id=hall.pk, proposal_id=hall_proposals[4].pk,
                                 stance="against", body="The dancers are selfish idiots who never think of anyone.")
    doubtful = services.post_comment(residents[11], consultation_id=hall.pk, stance="neutral",
                                     body="Buy your paint at my shop on Canal Street, 20% off for neighbours!")
    for reporter in residents[20:23]:
        services.report_content(reporter, comment_id=rude.pk, reason="abuse")
    services.report_content(residents[24], comment_id=doubtful.pk, reason="spam", detail="Advertising")
    if moderator:
        services.moderate(moderator, comment_id=rude.pk, action="hide", reason="abuse",
                          explanation="Argue with the proposal, not with the people behind it.")
    services.advance_phase(chair, consultation_id=hall.pk, to="deliberation")
    services.answer_proposal(chair, proposal_id=hall_proposals[2].pk, answer="accepted",
                             reason="Accepted for the vote: the district requires step-free access anyway.")
    services.answer_proposal(chair, proposal_id=hall_proposals[6].pk, answer="not_feasible",
                             reason="The owners' committee can use the meeting room on Tuesdays and Thursdays.")
    major = Issue.objects.filter(community=community, tier="major", status="in_progress").first()
    if major:
        worker = User.objects.filter(memberships__grid=major.grid, memberships__role=Role.GRID_WORKER).first()
        services.send_issue_to_consultation(worker or chair, issue_id=major.pk, consultation_id=hall.pk)
    _date_back(hall, collecting=30, deliberation=6, voting=-10, concluded=-25)

    # 3. Collecting proposals, for two grids' children: community-wide.
    school = open_consultation(COLLECTING)
    for index, (title, body) in enumerate(COLLECTING["proposals"]):
        services.submit_proposal(residents[index * 4 + 2], consultation_id=school.pk, title=title, body=body)
    _date_back(school, collecting=3, deliberation=-18, voting=-32, concluded=-45)
    return 3


def _date_back(consultation: Consultation, *, collecting: int, deliberation: int, voting: int, concluded: int):
    """Move the phase dates and the activity back in time, in order."""
    now, today = timezone.now(), timezone.localdate()
    Consultation.objects.filter(pk=consultation.pk).update(
        collecting_from=today - timedelta(days=collecting),
        deliberation_from=today - timedelta(days=deliberation),
        voting_from=today - timedelta(days=voting),
        concludes_on=today - timedelta(days=concluded),
        created_at=now - timedelta(days=collecting + 5),
        phase_changed_at=now - timedelta(days={  # when the current phase opened
            "collecting": collecting, "deliberation": deliberation, "voting": voting, "concluded": concluded,
        }[Consultation.objects.get(pk=consultation.pk).phase]),
    )
    if consultation.phase == "concluded" or Consultation.objects.get(pk=consultation.pk).phase == "concluded":
        Consultation.objects.filter(pk=consultation.pk).update(concluded_at=now - timedelta(days=concluded))
    span = max(collecting - max(deliberation, 0), 1)
    for model, field in ((Proposal, "created_at"), (Comment, "created_at")):
        rows = list(model.objects.filter(consultation=consultation).order_by("pk").values_list("pk", flat=True))
        for index, pk in enumerate(rows):
            when = now - timedelta(days=collecting) + timedelta(days=span * (index + 1) / (len(rows) + 1))
            model.objects.filter(pk=pk).update(**{field: when})
    Support.objects.filter(proposal__consultation=consultation).update(
        created_at=now - timedelta(days=max(deliberation, 1))
    )
    ConsultationEvent.objects.filter(consultation=consultation).update(created_at=now - timedelta(days=max(deliberation, 0)))
    moved = now - timedelta(days=max(deliberation, 0), hours=3)
    ModerationAction.objects.filter(consultation=consultation).update(created_at=moved)
    Report.objects.filter(comment__consultation=consultation).update(created_at=moved)
