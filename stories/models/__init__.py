"""The stories app's models, by what they hold: the story and its read rules
(story.py), its streams (streams.py), images (images.py) and history
(history.py)."""

from stories.models.history import (
    StoryComment,
    StoryEvent,
    StoryFlag,
    StoryRevision,
)
from stories.models.images import (
    EditorImage,
    PendingUpload,
    StoryImage,
    story_image_path,
)
from stories.models.story import (
    CORE_EDITABLE_STATUSES,
    EDITABLE_STATUSES,
    LONG_TEXTS,
    FacetKeysField,
    Status,
    Story,
    StoryQuerySet,
    Visibility,
    editable_condition,
    readable_condition,
    story_content_type,
    visible_condition,
)
from stories.models.streams import StoryStream, prefetch_stream_links

__all__ = [
    "CORE_EDITABLE_STATUSES",
    "EDITABLE_STATUSES",
    "LONG_TEXTS",
    "EditorImage",
    "FacetKeysField",
    "PendingUpload",
    "Status",
    "Story",
    "StoryComment",
    "StoryEvent",
    "StoryFlag",
    "StoryImage",
    "StoryQuerySet",
    "StoryRevision",
    "StoryStream",
    "Visibility",
    "editable_condition",
    "prefetch_stream_links",
    "readable_condition",
    "story_content_type",
    "story_image_path",
    "visible_condition",
]
