"""Text made safe for the XML inside .docx and .xlsx files. Users paste task content from old documents and
spreadsheets, which carry characters XML 1.0 forbids (python-docx raises ValueError on them, openpyxl
IllegalCharacterError): Word's manual line break (\\x0b) and page break (\\x0c) become line breaks, the other
forbidden characters are dropped. Both writers pass every text through the one function below."""

from __future__ import annotations

import re

# Vertical tab and form feed are how Word and Excel store a manual line or page break in pasted text.
_BREAKS = re.compile("[\x0b\x0c]")
# Everything XML 1.0 does not allow: control characters other than tab, line feed and carriage return,
# lone surrogates, and the two non-characters U+FFFE and U+FFFF.
_FORBIDDEN = re.compile("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    return _FORBIDDEN.sub("", _BREAKS.sub("\n", text)) if text else text
