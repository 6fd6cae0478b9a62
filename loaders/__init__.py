"""Readers and validators for what analysts upload: workbooks, CSV, field observations, templates.

The entry point is :func:`loaders.upload.read_upload` (bytes in, an ``UploadResult`` out: tidy
records, every problem with its cell, a change preview, or a refusal). The pieces, in pipeline order:
``safety`` (refuse hostile files before parsing), ``grid`` (raw cells via python-calamine / CSV
sniffing), ``tables`` (layout and header detection), ``values`` (numbers, regions, indicators,
years, unit ranges, duplicates), ``observations`` + ``rules`` (survey points to indicator values),
``preview``, ``report`` (xlsx with bad cells marked), ``template``; ``python -m loaders`` is the CLI.

Nothing is imported here so ``import loaders.gazetteer`` stays light.
"""

_LAZY = {
    "read_upload": "loaders.upload",
    "UploadResult": "loaders.upload",
    "change_preview": "loaders.preview",
    "write_report": "loaders.report",
    "write_template": "loaders.template",
    "check_xml_safety": "loaders.safety",
}
__all__ = sorted(_LAZY)


def __getattr__(name: str):
    """``from loaders import read_upload`` without importing every reader on ``import loaders``."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'loaders' has no attribute {name!r}")
