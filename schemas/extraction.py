"""Extractions: what `POST /v1/extractions` is sent, and the proposals it answers.

A proposal is shaped like a claim (`text`, `start`, `end`, `quote_type`, `cue`, `speaker`, `via`)
with what the extractor adds: the cue and the source mention as spans of the text, the speaker's
kind (and a null id when no stored speaker matches), a null via id when no stored outlet
matches, and a confidence. Offsets are in code points: `text == input[start:end]`.
"""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from models import QUOTE_TYPES, SPEAKER_KINDS
from schemas.body import VERBATIM_PATTERN, CharacterRule, Ref, WriteSchema, not_blank


class TextSpan(Schema):
    text = fields.String(required=True, metadata={"description": "Exactly `input[start:end]`."})
    start = fields.Integer(required=True, metadata={"description": "Code point offset."})
    end = fields.Integer(required=True, metadata={"description": "Code point offset, exclusive."})


class SpeakerGuess(Schema):
    id = fields.Integer(
        required=True,
        allow_none=True,
        metadata={"description": "The stored speaker whose name or alias matched; null if none."},
    )
    name = fields.String(
        required=True, metadata={"description": "The stored name, or the name proposed."}
    )
    kind = fields.String(required=True, validate=validate.OneOf(SPEAKER_KINDS))


class ViaGuess(Schema):
    id = fields.Integer(
        required=True,
        allow_none=True,
        metadata={"description": "The stored outlet that matched; null if none."},
    )
    name = fields.String(required=True)


class ExtractedProposal(Schema):
    """One proposed attribution (reads an `extraction.Proposal`, or a stored proposal, which
    shows the same properties)."""

    text = fields.String(
        required=True,
        attribute="content.text",
        metadata={"description": "The attributed content, exactly `input[start:end]`."},
    )
    start = fields.Integer(required=True, attribute="content.start")
    end = fields.Integer(required=True, attribute="content.end")
    quote_type = fields.String(required=True, validate=validate.OneOf(QUOTE_TYPES))
    cue = fields.Nested(
        TextSpan, required=True, metadata={"description": "The words that attribute: `said`."}
    )
    source = fields.Nested(
        TextSpan,
        required=True,
        metadata={"description": "Where the text names the source (it may be a pronoun)."},
    )
    speaker = fields.Nested(
        SpeakerGuess,
        required=True,
        metadata={"description": "The source resolved, pronouns and descriptions included."},
    )
    via = fields.Nested(
        ViaGuess,
        required=True,
        allow_none=True,
        metadata={"description": "The outlet or occasion that relayed the statement."},
    )
    confidence = fields.Float(required=True, validate=validate.Range(0, 1))


class ExtractionRequest(WriteSchema):
    text = fields.String(
        validate=[not_blank, CharacterRule(multiline=True, verbatim=True)],
        metadata={
            "description": "The text to read (line breaks and tabs allowed); at most "
            "EXTRACTION_MAX_CHARACTERS code points (200,000 by default), else 413.",
            "pattern": VERBATIM_PATTERN,
        },
    )
    article_id = Ref("stored article to read: offsets are then into its body")

    @validates_schema
    def text_or_article(self, data, **kwargs):
        if "text" in data and "article_id" in data:
            raise ValidationError("Give `text` or `article_id`, not both.", "article_id")
        if "text" not in data and "article_id" not in data:
            raise ValidationError("Give the `text` to read, or an `article_id`.", "text")


ExtractionResult = Schema.from_dict(
    {"data": fields.List(fields.Nested(ExtractedProposal), required=True)},
    name="ExtractionResult",
)
