"""`loglens explain CODE` and `loglens codes`: the catalogue as pages and as a table."""

from __future__ import annotations

import re
from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from loglens.lookup import RuleInfo
from loglens.render.console import lit, make_console, print_indented
from loglens.render.retry import retry_words
from loglens.taxonomy import CodeInfo, Taxonomy


def write_explain(info: CodeInfo, taxonomy: Taxonomy, file: TextIO, *, color: bool | None = None) -> None:
    console = make_console(file, color=color)
    category = taxonomy.category(info.category)
    console.print(Text(info.code, style="bold"), Text(f"  {info.title}", style="italic"))
    if category:
        console.print(Text(f"Layer: {category.name}: {category.layer}", style="dim"))
    sections: list[tuple[str, list[str]]] = [
        ("What it means", [info.meaning]),
        (
            "Retried by the SDK",
            [_retry_text(info)],
        ),
        ("Likely causes", [f"- {c}" for c in info.causes]),
        ("Fix", [f"{n}. {step}" for n, step in enumerate(info.fix, 1)]),
        ("Verify", [info.verify]),
        ("Example line", [info.example]),
    ]
    if info.http_status:
        sections.insert(2, ("HTTP status", [", ".join(str(s) for s in info.http_status)]))
    for title, body in sections:
        console.print()
        console.print(Text(title, style="bold underline"))
        for line in body:
            print_indented(console, lit(line), 2)
    if not info.documented:
        console.print()
        console.print(
            Text(
                "This code comes from the SDK source; Convai's public error page does not list it.",
                style="dim",
            )
        )


def _sentence(words: str) -> str:
    return words[:1].upper() + words[1:] + "."


def _retry_text(info: CodeInfo) -> str:
    """Yes, no or depends, then the catalogue's note, without saying the verdict twice."""
    verdict = _sentence(retry_words(info.retryable, True))
    note = info.retry_note
    if not note:
        return verdict
    if info.retry_note_gives_verdict:
        return note
    return f"{verdict} {note}"


WIDE = 100  # narrower terminals get the meaning under each code instead of a squeezed table


def write_codes(
    taxonomy: Taxonomy,
    file: TextIO,
    *,
    color: bool | None = None,
    category: str | None = None,
    width: int | None = None,
) -> None:
    """A table in a wide terminal; a code per line (meaning underneath) in a narrow one; a line per code with
    aligned columns and nothing wrapped in a pipe, so `grep` finds a code with its meaning."""
    console = make_console(file, color=color, width=width)
    infos = sorted(taxonomy.codes, key=lambda i: (taxonomy.rank(i.category), i.code))
    rows = [
        (i.code, i.retry, ",".join(map(str, i.http_status)), i.title)
        for i in infos
        if not category or i.category == category
    ]
    if not console.is_terminal:
        code_w = max(len(r[0]) for r in rows)
        console.print(f"{'code':<{code_w}}  retried  what it means (HTTP status)", soft_wrap=True)
        for code, retried, http, title in rows:
            status = f" (HTTP {http})" if http else ""
            console.print(f"{code:<{code_w}}  {retried:<7}  {title}{status}", soft_wrap=True)
        return
    if console.width < WIDE:
        for code, retried, http, title in rows:
            head = Text(code, style="bold").append(f"  retried: {retried}", style="dim")
            if http:
                head.append(f"  HTTP {http}", style="dim")
            print_indented(console, head, 0)
            print_indented(console, Text(title), 4)
        return
    table = Table(show_lines=False, header_style="bold")
    table.add_column("code", no_wrap=True)
    table.add_column("retried")
    table.add_column("HTTP")
    table.add_column("what it means")
    for row in rows:
        table.add_row(*row)
    console.print(table)


def _page(console: Console, sections: list[tuple[str, list[str]]]) -> None:
    for title, body in sections:
        console.print()
        console.print(Text(title, style="bold underline"))
        for line in body:
            print_indented(console, lit(line), 2)


def _unfilled(text: str) -> str:
    """A rule's text names values it takes from the log (`{room}`); on its own page they read `<room>`."""
    return re.sub(r"\{(\w+)\}", r"<\1>", text)


def write_rule(rule: RuleInfo, file: TextIO, *, color: bool | None = None) -> None:
    console = make_console(file, color=color)
    console.print(Text(rule.id, style="bold"), Text(f"  {_unfilled(rule.title)}", style="italic"))
    console.print(Text(f"Diagnosis rule, severity {rule.severity}", style="dim"))
    _page(
        console,
        [
            ("Fires on", [rule.meaning]),
            ("Likely cause", [_unfilled(rule.cause)]),
            ("Fix", [f"{n}. {_unfilled(step)}" for n, step in enumerate(rule.fix, 1)]),
            ("Verify", [_unfilled(rule.verify)]),
        ],
    )


def write_code_list(title: str, note: str, infos: tuple[CodeInfo, ...], file: TextIO, *, color: bool | None) -> None:
    """An HTTP status or a category: the codes it leads to, one line each."""
    console = make_console(file, color=color)
    console.print(Text(title, style="bold"))
    if note:
        print_indented(console, lit(note), 0)
    console.print()
    for info in infos:
        print_indented(console, lit(f"{info.code}: {info.title}"), 2)
    console.print()
    console.print(Text("`loglens explain CODE` shows a code's page.", style="dim"))
