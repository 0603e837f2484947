"""A file response that honours HTTP byte ranges (RFC 9110 §14), so that an <audio> player can seek.

Django's FileResponse always sends the whole file. Here one `Range: bytes=a-b` (also `a-` and `-n`) gets
`206 Partial Content` with `Content-Range`; a range past the end gets `416`; several ranges, or a header
that is not a byte range, get the whole file (`200`), which RFC 9110 allows.
"""

import re

from django.http import HttpResponse, StreamingHttpResponse

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK_BYTES = 64 * 1024


def _byte_range(header: str, size: int) -> tuple[int, int] | bool | None:
    """(first, last) inclusive; None to send the whole file; False when unsatisfiable."""
    match = _RANGE.match(header.strip().replace(" ", ""))
    if not match or not any(match.groups()):
        return None
    first, last = match.groups()
    if not first:  # the last n bytes
        length = int(last)
        if length == 0:
            return False
        return max(0, size - length), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or (last and int(last) < start):
        return False
    return start, end


def _stream(handle, start: int, length: int):
    try:
        handle.seek(start)
        remaining = length
        while remaining > 0:
            chunk = handle.read(min(CHUNK_BYTES, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk
    finally:
        handle.close()


def ranged_file_response(request, handle, *, size: int, content_type: str) -> HttpResponse:
    """Answer a GET for an open binary file of `size` bytes, whole or the one range asked for."""
    byte_range = _byte_range(request.headers.get("Range", ""), size) if request.headers.get("Range") else None
    if byte_range is False:
        handle.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    elif byte_range is None:
        response = StreamingHttpResponse(_stream(handle, 0, size), content_type=content_type)
        response["Content-Length"] = str(size)
    else:
        start, end = byte_range
        response = StreamingHttpResponse(_stream(handle, start, end - start + 1), content_type=content_type, status=206)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    return response
