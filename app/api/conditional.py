"""Entity tags that name a representation, and conditional GET (`If-None-Match` → 304).

A route sets `ETag: "<version>"` from the row's version column. Before the answer leaves,
the tag becomes `"<version>-<digest>"`, the digest taken over the body actually sent: callers
who see the same row differently (a reader's view without personal data, Sở Nội vụ's full
view) get different tags, and so does a computed field that moved while the row did not. A
browser revalidating its copy with `If-None-Match` gets 304 only while its copy is exactly
what it would get now.

`If-Match` (writes) reads the version part alone (`deps.parse_etag`): a write needs the row
unchanged, whichever view of it the writer had.
"""

import hashlib
import re

from fastapi import Request, Response

_VERSION_TAG = re.compile(r'"([0-9]{1,9})"')
_READS = frozenset({"GET", "HEAD"})
# Headers a 304 repeats from the 200 it stands for (RFC 9110 §15.4.5); the middlewares add
# Cache-Control, Vary and X-Request-ID to it as they do to the 200.
_KEPT_ON_304 = ("etag", "content-location", "cache-control", "vary", "expires")


def representation_tag(version: str, body: bytes) -> str:
    digest = hashlib.blake2b(body, digest_size=8).hexdigest()
    return f'"{version}-{digest}"'


def tag_representation(response: Response) -> None:
    """Turn the route's `"<version>"` into the tag of the representation being sent."""
    found = _VERSION_TAG.fullmatch(response.headers.get("etag", ""))
    body = getattr(response, "body", None)
    if found is None or not isinstance(body, bytes):
        return
    response.headers["etag"] = representation_tag(found.group(1), body)


def _opaque(tag: str) -> str:
    tag = tag.strip()
    return tag[2:] if tag.startswith("W/") else tag


def none_match(header: str, etag: str) -> bool:
    """`If-None-Match` compares weakly (RFC 9110 §13.1.2): `*` or any listed tag equal to the
    current one, with or without `W/`."""
    if header.strip() == "*":
        return True
    current = _opaque(etag)
    return any(_opaque(candidate) == current for candidate in header.split(","))


def not_modified(request: Request, response: Response) -> Response:
    """The 304 for a read whose `If-None-Match` names the representation it would get, else the
    response itself."""
    header = request.headers.get("if-none-match")
    etag = response.headers.get("etag")
    if (
        header is None
        or etag is None
        or request.method not in _READS
        or response.status_code != 200
        or not none_match(header, etag)
    ):
        return response
    kept = {k: v for k, v in response.headers.items() if k.lower() in _KEPT_ON_304}
    return Response(status_code=304, headers=kept)
