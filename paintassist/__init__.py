"""paintassist: colorize manga and anime line art with hints, and export real layers."""

__version__ = "0.1.0"

__all__ = ["__version__"]
