"""The plan's header data as the form of Decree 30/2020 prints it: issuer, number and symbol, place and
date, title. Read where it can be read; a blank number ("Số:   /KH-UBND", a draft) stays blank."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from typing import Any

from chiso.core.text import clean_spaces, fold

_NUMBER = re.compile(r"^\s*\**\s*s[oố]\s*:?\s*\**\s*(\d*)\s*\**\s*/\s*([\w\-Đđ]+)", re.IGNORECASE)
# The words with or without their marks: a scan's text layer may have lost them.
_DATE = re.compile(r"^\s*\**\s*([^,*]{2,40}?)\s*,\s*ng[àa]y\s*\**\s*(\d{0,2})\s*\**\s*th[áa]ng\s*(\d{0,2})\s*n[ăa]m\s*(\d{4})",
                   re.IGNORECASE)
_MOTTO = ("cong hoa xa hoi", "doc lap", "tu do", "hanh phuc")


def read_header(lines: list[str]) -> dict[str, Any]:
    header: dict[str, Any] = {"issuer": "", "number": "", "symbol": "", "place": "", "issued_on": None, "title": ""}
    top = [clean_spaces(line.replace("**", "")) for line in lines[:60] if line.strip()]
    issuer: list[str] = []
    for line in top[:8]:
        folded = fold(line)
        if any(word in folded for word in _MOTTO) or folded.startswith("so"):
            continue
        if folded.startswith(("uy ban", "ubnd", "so ", "tinh ", "huyen ", "thanh pho")) and line.upper() == line:
            issuer.append(line)
    header["issuer"] = " ".join(issuer)
    for position, line in enumerate(top):
        if not header["symbol"] and (match := _NUMBER.match(line)):
            header["number"], header["symbol"] = match.group(1), match.group(2).strip("*")
        if not header["place"] and (match := _DATE.match(line)):
            header["place"] = match.group(1).strip()
            day, month, year = match.group(2), match.group(3), match.group(4)
            if day and month:
                with contextlib.suppress(ValueError):  # "ngày 31 tháng 2": keep no date rather than a wrong one
                    header["issued_on"] = dt.date(int(year), int(month), int(day)).isoformat()
            header["year"] = int(year)
        if fold(line) == "ke hoach" and not header["title"]:
            title: list[str] = []
            for following in top[position + 1:position + 6]:
                folded = fold(following)
                if len(following) > 140 or folded.startswith(("can cu", "thuc hien", "chi so", "i.", "de ")):
                    break
                title.append(following)
            header["title"] = clean_spaces(" ".join(title))
    if not header["title"]:
        header["title"] = "Kế hoạch nhập từ tệp"
    return header
