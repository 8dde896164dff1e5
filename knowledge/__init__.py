"""The article's knowledge: YAML content, its schema and loader, and the matcher."""

from knowledge.loader import KnowledgeError, load_knowledge
from knowledge.schema import Knowledge

__all__ = ["Knowledge", "KnowledgeError", "load_knowledge"]
