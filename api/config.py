"""Configuration from the environment, checked once at start-up."""

import os


class Config:
    """Settings for a served instance. Every value can be set by an environment variable."""

    DATABASE_URL = "sqlite:///claims.db"

    API_TITLE = "Claims API"
    API_VERSION = "1.0.0"
    OPENAPI_VERSION = "3.1.0"
    OPENAPI_URL_PREFIX = "/"
    OPENAPI_JSON_PATH = "openapi.json"
    OPENAPI_SWAGGER_UI_PATH = "docs"
    OPENAPI_SWAGGER_UI_URL = "/docs/assets/"  # served by the app itself: no CDN
    JSON_SORT_KEYS = False

    @classmethod
    def from_env(cls) -> "Config":
        config = cls()
        config.DATABASE_URL = os.environ.get("DATABASE_URL", cls.DATABASE_URL)
        return config


class TestConfig(Config):
    TESTING = True
