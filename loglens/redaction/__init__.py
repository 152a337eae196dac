"""The redaction engine: find every secret in a log, replace it, and check that nothing is left.

`loglens check` and `loglens redact` are two uses of it: `verify.check_stream` reports what a log holds, and
`rewrite.Redaction` writes a copy without it, which `verify.verify` reads again (the fail-closed pass).

- `blocks`: whole lines in blocks of about 1 MiB, as UTF-8 bytes whatever the input encoding
- `scan`: which lines of a block may hold a secret (literal gates and shapes over the lowercase bytes)
- `fragments`: pieces of values already redacted, found again wherever they sit
- `placeholders`: values to numbered placeholders, consistent within a run; loglens's own placeholders
- `lines`: the rewrite of one line
- `unwrap`: which lines after a line go on with it (a hard wrap, a logical line, a cut token, a message)
- `rewrite`: the rewrite of a whole stream, and its report
- `verify`: the leftover check (`check`, and the re-scan after redaction)
- `rules`: what a user adds (patterns, literals, allowed values), `.loglens.toml`, redaction options
"""
