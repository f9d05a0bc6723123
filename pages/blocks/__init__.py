"""The StreamField blocks every page type and setting shares: the body (`body.py`) and the link
(`links.py`); and the impact page's datasets (`datasets.py`, drawn by `charts.py`). Migrations
name the blocks by these paths (`pages.blocks.CaptionedTableBlock`)."""

from .body import (
    BodyBlock,
    CallToActionBlock,
    CaptionedEmbedBlock,
    CaptionedTableBlock,
    FigureBlock,
    HeadingBlock,
    LinkListBlock,
    QuoteBlock,
    StatisticBlock,
    StatisticsBlock,
    call_to_action_stream,
)
from .datasets import DatasetBlock, DatasetsBlock
from .links import LinkBlock, LinkStructValue, related_links_stream

__all__ = [
    "BodyBlock",
    "CallToActionBlock",
    "CaptionedEmbedBlock",
    "CaptionedTableBlock",
    "DatasetBlock",
    "DatasetsBlock",
    "FigureBlock",
    "HeadingBlock",
    "LinkBlock",
    "LinkListBlock",
    "LinkStructValue",
    "QuoteBlock",
    "StatisticBlock",
    "StatisticsBlock",
    "call_to_action_stream",
    "related_links_stream",
]
