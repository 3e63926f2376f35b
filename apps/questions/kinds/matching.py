"""Matching: three to seven prompts, each matched to one response (the MatchingPair table); a response without a
prompt is a distractor."""

from __future__ import annotations

import random
from html import unescape
from typing import TYPE_CHECKING, cast

from django.utils.html import strip_tags

from apps.questions.kinds._card import card_text
from apps.questions.kinds._places import filled, numbered, place_of, stored_id
from apps.questions.kinds.base import (
    FormData,
    PromptPart,
    QuestionKind,
    Response,
    ResponsePart,
    Rule,
    Snapshot,
)
from apps.questions.wording import duplicates, quoted

if TYPE_CHECKING:
    from apps.questions.data import QuestionData
    from apps.questions.models import Question

MIN_PROMPTS = 3
MAX_PROMPTS = 7
NO_MATCH = 0  # no response has this id


class Matching(QuestionKind):
    code = "matching"
    label = "Matching"
    part = "pairs"
    limits = f"{MIN_PROMPTS} to {MAX_PROMPTS} `{{prompt, response}}` pairs"

    def part_rules(self, question: QuestionData) -> list[Rule]:
        found: list[Rule] = []
        prompts = [pair.prompt for pair in question.pairs if pair.prompt.strip()]
        count = len(prompts)
        if not MIN_PROMPTS <= count <= MAX_PROMPTS:
            message = f"a matching question has {MIN_PROMPTS} to {MAX_PROMPTS} prompts, not {count}"
            found.append((message, count >= 2))
        if any(not pair.response.strip() for pair in question.pairs):
            message = "every prompt needs a response (a distractor is a response without a prompt)"
            found.append((message, False))
        for text in duplicates(prompts):
            found.append((f"the prompt {quoted(text)} appears twice", False))
        for text in duplicates([pair.response for pair in question.pairs]):
            message = f"the response {quoted(text)} appears twice; each prompt has its own response"
            found.append((message, False))
        return found

    def content(self, question: Question) -> Snapshot:
        pairs = list(question.pairs.all())
        prompts: list[PromptPart] = [
            {"id": p.pk, "html": p.prompt_html, "answer": p.pk} for p in pairs if p.prompt_md.strip()
        ]
        responses: list[ResponsePart] = sorted(
            ({"id": p.pk, "html": p.response_html} for p in pairs), key=lambda r: r["html"].lower()
        )
        return {"prompts": prompts, "responses": responses}

    def layout(self, content: Snapshot, rng: random.Random) -> list[int]:
        ids = [prompt["id"] for prompt in content["prompts"]]
        rng.shuffle(ids)
        return ids

    def arranged(self, content: Snapshot, layout: list[int]) -> Snapshot:
        # Ids by place on the screen: a pair's key is also its response's id, so it would name the answer.
        by_id = {prompt["id"]: prompt for prompt in content["prompts"]}
        return {"prompts": numbered(by_id[pk] for pk in layout), "responses": content["responses"]}

    def parse(self, snapshot: Snapshot, data: FormData) -> Response | None:
        matches: dict[str, int] = {}
        for prompt in snapshot["prompts"]:
            values = filled(data.getlist(f"match-{prompt['id']}"))
            if values:
                matches[str(prompt["id"])] = stored_id(snapshot["responses"], values[-1], "a response")
        return {"matches": matches} if matches else None

    def correct_response(self, snapshot: Snapshot) -> Response:
        return {"matches": {str(p["id"]): p["answer"] for p in snapshot["prompts"]}}

    def public_parts(self, snapshot: Snapshot) -> dict[str, object]:
        return {
            "prompts": [{"id": p["id"], "html": p["html"]} for p in snapshot["prompts"]],
            # A drop-down option shows plain text: the HTML's entities decoded once (the template escapes again).
            "responses": numbered(
                {"html": r["html"], "text": unescape(strip_tags(r["html"]))} for r in snapshot["responses"]
            ),
        }

    def mark_answer(self, snapshot: Snapshot, view: dict[str, object], response: Response) -> None:
        matches = response.get("matches", {})
        for prompt in cast(list[dict[str, object]], view["prompts"]):
            prompt["selected"] = place_of(snapshot["responses"], matches.get(str(prompt["id"])))

    def review(self, snapshot: Snapshot, response: Response) -> dict[str, object]:
        responses = {r["id"]: r["html"] for r in snapshot["responses"]}
        matches = response.get("matches", {})
        return {
            "pairs": [
                {
                    "prompt": p["html"],
                    "yours": responses.get(matches.get(str(p["id"]), NO_MATCH)),
                    "right": responses[p["answer"]],
                    "ok": matches.get(str(p["id"])) == p["answer"],
                }
                for p in snapshot["prompts"]
            ]
        }

    def card(self, snapshot: Snapshot) -> dict[str, object]:
        responses = {r["id"]: r["html"] for r in snapshot["responses"]}
        return {
            "prompts": [card_text(p["html"]) for p in snapshot["prompts"]],
            "responses": [card_text(r["html"]) for r in snapshot["responses"]],
            "answer": [
                f"{card_text(p['html'])} → {card_text(responses[p['answer']])}" for p in snapshot["prompts"]
            ],
        }

    def answer_summary(self, snapshot: Snapshot, response: Response) -> str:
        return f"{len(response.get('matches', {}))} of {len(snapshot['prompts'])} matched"


KIND = Matching()
