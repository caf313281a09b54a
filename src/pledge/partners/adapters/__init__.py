"""Adapters: one interface per recipient type, swappable per recipient (see ``loader``)."""
