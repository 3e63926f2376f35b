"""Shaping stored slots for templates: what the exam page may show, and the review rows (pure)."""

from apps.exams.scoring import correct_response, cut_percent
from apps.exams.snapshots import place_of, public_view


def question_view(slot):
    """The question for the exam screen: no correct answers, parts named by their place on the screen, and the
    current answer marked on each input."""
    snapshot = slot.snapshot
    view = public_view(snapshot)
    response = slot.response or {}
    if "choices" in view:
        chosen = {response.get("choice")} | set(response.get("choices", []))
        for choice, stored in zip(view["choices"], snapshot["choices"], strict=True):
            choice["selected"] = stored["id"] in chosen
    if "items" in view:
        by_id = {item["id"]: item for item in view["items"]}
        order = response.get("order") or [item["id"] for item in view["items"]]
        view["items"] = [by_id[pk] for pk in order if pk in by_id]
        for number, item in enumerate(view["items"], 1):
            item["number"] = number
    if "prompts" in view:
        matches = response.get("matches", {})
        for prompt in view["prompts"]:
            prompt["selected"] = place_of(snapshot["responses"], matches.get(str(prompt["id"])))
    return view


def review_row(slot):
    """Everything the results review shows for one slot: the student's answer next to the right one."""
    snap, response = slot.snapshot, slot.response or {}
    row = {"slot": slot, "snap": snap, "answered": bool(slot.response)}
    key = correct_response(snap)
    if snap["kind"] in ("multiple_choice", "multiple_response"):
        chosen = {response.get("choice")} | set(response.get("choices", []))
        row["choices"] = [{**c, "chosen": c["id"] in chosen} for c in snap["choices"]]
    elif snap["kind"] == "ordering":
        html = {item["id"]: item["html"] for item in snap["items"]}
        row["your_order"] = [html[pk] for pk in response.get("order", []) if pk in html]
        row["right_order"] = [html[pk] for pk in key["order"]]
    else:
        responses = {r["id"]: r["html"] for r in snap["responses"]}
        matches = response.get("matches", {})
        row["pairs"] = [
            {
                "prompt": p["html"],
                "yours": responses.get(matches.get(str(p["id"]))),
                "right": responses[p["answer"]],
                "ok": matches.get(str(p["id"])) == p["answer"],
            }
            for p in snap["prompts"]
        ]
    return row


def answer_summary(slot):
    """A short text of what the server stored, for the save status ("Saved: B, D")."""
    if not slot.response:
        return "no answer"
    snap, response = slot.snapshot, slot.response
    if snap["kind"] in ("multiple_choice", "multiple_response"):
        ids = [c["id"] for c in snap["choices"]]
        chosen = [response["choice"]] if "choice" in response else response.get("choices", [])
        # Letters in the order the student sees them (stored ids are sorted by id, not by display).
        return ", ".join(sorted(chr(65 + ids.index(pk)) for pk in chosen if pk in ids))
    if snap["kind"] == "ordering":
        return "order saved"
    count = len(response.get("matches", {}))
    return f"{count} of {len(snap['prompts'])} matched"


def domain_chart(attempt):
    """Data for the results bar chart: percent right per domain, and the assumed pass mark in percent."""
    exam = attempt.exam
    return {
        "labels": [f"Domain {row['key']}" for row in attempt.domain_results],
        "values": [row["percent"] for row in attempt.domain_results],
        "cut": cut_percent(passing=exam.passing_score, high=exam.score_max),
    }
