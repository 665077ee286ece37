"""evalkit: honest before/after and satisfaction statistics for public ICT initiatives."""

from .errors import EvalkitError

__all__ = ["EvalkitError"]
__version__ = "0.1.0"
