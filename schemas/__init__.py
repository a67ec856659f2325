"""marshmallow schemas: what requests may say and what responses look like."""
