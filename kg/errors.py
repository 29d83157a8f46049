"""The one exception family of kg: every error a user can cause, with file, line and a hint."""

from __future__ import annotations

from pathlib import Path


class KgError(Exception):
    """An error the user can fix. The CLI prints it as one message; no traceback.

    ``exit_code`` follows pyshacl's scheme: 1 means "the data does not conform",
    2 means "the input could not be read or used".
    """

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        hint: str | None = None,
        detail: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.hint = hint
        self.detail = detail

    def location(self) -> str:
        if self.file and self.line:
            return f"{self.file}:{self.line}"
        return self.file or ""

    def __str__(self) -> str:
        where = self.location()
        text = f"{where}: {self.message}" if where else self.message
        if self.detail:
            text += "\n" + self.detail
        if self.hint:
            text += f"\nhint: {self.hint}"
        return text


class AnnotationError(KgError):
    """An annotation or registry file is malformed or refers to something that does not exist."""


class EvidenceError(KgError):
    """An evidence quote is not found verbatim in its article."""


class ValidationError(KgError):
    """The mapped graph violates the SHACL shapes."""

    exit_code = 1


class RdfInputError(KgError):
    """A file handed to ``kg validate`` is not RDF that kg may read."""


def decode_utf8(data: bytes, file: str, error: type[KgError] = KgError) -> str:
    """UTF-8 text, strictly: a wrong byte is an error naming its line, never text that
    silently matches nothing."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            file=file,
            line=data[: exc.start].count(b"\n") + 1,
            hint="save the file as UTF-8",
        ) from None
