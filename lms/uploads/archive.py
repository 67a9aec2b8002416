"""Read a zip archive (a Word document) without letting it unpack into gigabytes.

The sizes a zip declares are checked before any member is read, and every member is read as a
stream with a cap, so a small file that claims or tries to unpack to far more is refused after
reading at most the cap, never after filling memory."""

import io
import zipfile

from lms.uploads.refused import Refused

MAX_MEMBERS = 1000
MAX_MEMBER_BYTES = 50 * 1024 * 1024
MAX_TOTAL_BYTES = 100 * 1024 * 1024
MAX_RATIO = 100  # uncompressed : compressed, for members over RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
CHUNK = 64 * 1024

TOO_BIG = ("This Word document unpacks to far more than its size suggests ({detail}), so we "
           "cannot open it safely. Save it again from Word, or export it as PDF, and upload "
           "that.")


def open_archive(data: bytes) -> tuple[zipfile.ZipFile, list[zipfile.ZipInfo]]:
    """Open the archive and check what it declares; refuse a zip bomb before reading."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except Exception as error:  # noqa: BLE001 - zipfile raises many kinds on hostile bytes
        raise Refused("This Word document is damaged: it could not be opened. Save it again "
                      "and upload the new copy.") from error
    if len(members) > MAX_MEMBERS:
        raise Refused(TOO_BIG.format(detail=f"{len(members)} parts"))
    total = 0
    for info in members:
        total += info.file_size
        if info.file_size > MAX_MEMBER_BYTES or total > MAX_TOTAL_BYTES:
            raise Refused(TOO_BIG.format(detail=f"over {MAX_TOTAL_BYTES // 2**20} MB"))
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(
                info.compress_size, 1):
            raise Refused(TOO_BIG.format(detail=f"a part compressed over {MAX_RATIO} times"))
        if info.flag_bits & 0x1:
            raise Refused("This Word document is protected with a password, so markers could "
                          "not open it. Save a copy without a password and upload that.")
    return archive, members


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """Read one member as a stream, never past what it declared (nor the cap)."""
    cap = min(info.file_size, MAX_MEMBER_BYTES)
    parts, size = [], 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > cap:
                    raise Refused(TOO_BIG.format(detail="a part larger than it declares"))
                parts.append(chunk)
    except Refused:
        raise
    except Exception as error:  # noqa: BLE001 - as above: bad data, unknown methods, versions
        raise Refused("This Word document is damaged: part of it could not be read. Save it "
                      "again and upload the new copy.") from error
    return b"".join(parts)
