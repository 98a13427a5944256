"""A zip archive checked before any parser inflates it (DESIGN section 8).

Two passes, both bounded. The directory pass reads only the central directory: entry
count, encryption, compression method, declared sizes and compression ratios (of each
part and of the whole archive, which catches many small parts that each compress too
well, and overlapping entries that share one compressed body). The stream pass inflates
every part once (in chunks, without keeping it, unless the caller keeps it to scan): the
real size must match the declared one (a lying header is how a bomb slips past the first
pass), the CRC must match, XML must be UTF-8 and must not declare a DTD or entities
anywhere in the part. The stream pass costs at most the declared total, which the first
pass has already bounded; the caller chooses the order of the parts (``Streams``).
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

MAX_ENTRIES = 10_000
MAX_TOTAL_INFLATED = 512 * 1024 * 1024
MAX_PART_INFLATED = 256 * 1024 * 1024
MAX_RATIO = 200  # compressed XML is rarely more than 20-50x smaller
RATIO_FLOOR = 8 * 1024 * 1024  # small parts may compress as much as they like
CHUNK = 1024 * 1024
LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")
XML_SUFFIXES = (".xml", ".rels", ".vml")
_ENTITY = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.I)
_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


@dataclass(frozen=True)
class Refusal:
    code: str
    message: str


@dataclass
class Archive:
    """What the checks learnt: the total inflated size, or why the archive is refused."""

    inflated: int = 0
    refusal: Refusal | None = None
    parts: dict[str, bytes] = field(default_factory=dict)  # the kept parts, inflated


def check_archive(path: Path, zf: zipfile.ZipFile,
                  keep: Callable[[str], bool] | None = None) -> Archive:
    """Both passes over ``zf`` (opened from ``path``); the first refusal stops them. The
    parts whose names ``keep`` accepts are kept, inflated, in ``parts`` (so that a sheet
    is inflated once, not again for its scan)."""
    out = Archive()
    out.refusal = check_directory(zf)
    if out.refusal is None:
        out.inflated = sum(i.file_size for i in zf.infolist())
        with Streams(path, zf) as streams:
            out.refusal = streams.check_where(lambda name: True, keep, out.parts)
    return out


class Streams:
    """The stream pass one part at a time, in the order the caller needs (pre-flight
    checks the parts every parse needs first, then each sheet, in worker threads, before
    vouching for it, then the rest). Each entry of the archive is checked once."""

    def __init__(self, path: Path, zf: zipfile.ZipFile) -> None:
        self._handle = open(path, "rb")  # noqa: SIM115 - closed by close()/__exit__
        self._todo = [i for i in zf.infolist() if not i.is_dir()]

    def __enter__(self) -> Streams:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._handle.close()

    def claim(self, name: str) -> list[zipfile.ZipInfo]:
        """Take the unchecked entries called ``name`` (a crafted archive may hold two), in
        archive order, for ``check_entries``: each entry is still checked once."""
        mine = [i for i in self._todo if i.filename == name]
        self._todo = [i for i in self._todo if i.filename != name]
        return mine

    def check_where(self, which: Callable[[str], bool], keep: Callable[[str], bool] | None,
                    parts: dict[str, bytes]) -> Refusal | None:
        """Check the unchecked entries whose names ``which`` accepts, in archive order;
        those ``keep`` accepts go, inflated, into ``parts``."""
        left = []
        for info in self._todo:
            if not which(info.filename):
                left.append(info)
                continue
            kept = keep is not None and keep(info.filename)
            refusal, data = _stream(self._handle, info, kept)
            if refusal is not None:
                parts.clear()
                return refusal
            if data is not None:
                parts[info.filename] = data
        self._todo = left
        return None


def check_entries(path: Path, infos: list[zipfile.ZipInfo], keep: bool = False
                  ) -> tuple[Refusal | None, bytes | None]:
    """The stream pass over ``infos`` (one part's entries, from ``Streams.claim``) through
    a handle of this call's own, so that several parts may be checked at once in threads;
    with ``keep``, also the inflated bytes of the last one (the one ``zipfile`` and
    calamine read), or None when there is none."""
    data = None
    with open(path, "rb") as handle:
        for info in infos:
            refusal, data = _stream(handle, info, keep)
            if refusal is not None:
                return refusal, None
    return None, data


def _bomb(message: str) -> Refusal:
    return Refusal("zip_bomb", message + "; refused as a likely zip bomb")


def check_directory(zf: zipfile.ZipFile) -> Refusal | None:
    """The directory pass: nothing is inflated."""
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        return Refusal("zip_bomb", f"The workbook holds {len(infos):,} files; refused (a zip "
                                   "bomb or damaged file)")
    for info in infos:
        if info.flag_bits & 0x1:
            return Refusal("encrypted", "The workbook is password-protected (its parts are "
                                        "encrypted); save a copy without a password")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            return Refusal("damaged", f"The workbook is damaged: the part {info.filename} "
                                      f"uses a compression method ({info.compress_type}) "
                                      "that Excel never writes")
        if info.file_size > MAX_PART_INFLATED:
            return _bomb(f"The part {info.filename} would inflate to "
                         f"{info.file_size / 2**20:,.0f} MB")
        ratio = info.file_size / max(1, info.compress_size)
        if info.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            return _bomb(f"The part {info.filename} is compressed {ratio:,.0f} to 1")
    total = sum(i.file_size for i in infos)
    if total > MAX_TOTAL_INFLATED:
        return _bomb(f"The workbook would inflate to {total / 2**20:,.0f} MB")
    packed = sum(i.compress_size for i in infos)
    if total > RATIO_FLOOR and total / max(1, packed) > MAX_RATIO:
        return _bomb(f"The workbook's {len(infos):,} parts are compressed "
                     f"{total / max(1, packed):,.0f} to 1 together")
    starts = sorted(i.header_offset for i in infos)
    if len(set(starts)) != len(starts):
        return _bomb("Several parts of the workbook share the same data")
    return None


def _damaged(info: zipfile.ZipInfo, why: str) -> Refusal:
    return Refusal("damaged", f"The workbook is damaged: the part {info.filename} {why} "
                              "(was it copied or downloaded completely?)")


def _stream(handle, info: zipfile.ZipInfo,  # noqa: ANN001 - a binary file
            keep: bool = False) -> tuple[Refusal | None, bytes | None]:
    """Inflate one part: size, CRC, encoding and entities; with ``keep``, also its bytes.
    A kept part is inflated in one call bounded by its declared size (it is kept whole
    anyway); another is inflated in chunks and dropped."""
    handle.seek(info.header_offset)
    header = handle.read(LOCAL_HEADER.size)
    if len(header) != LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        return _damaged(info, "has no valid header"), None
    fields = LOCAL_HEADER.unpack(header)
    handle.seek(info.header_offset + LOCAL_HEADER.size + fields[9] + fields[10])
    # Deflate never grows data by more than a few bytes per 16 KB block: a larger body is
    # streamed, so that no more than the declared size plus a little is ever held.
    if keep and info.compress_size <= info.file_size + info.file_size // 256 + 1024:
        return _whole(handle, info)
    return _chunks(handle, info), None


def _whole(handle, info: zipfile.ZipInfo  # noqa: ANN001 - a binary file
           ) -> tuple[Refusal | None, bytes | None]:
    raw = handle.read(info.compress_size)
    if len(raw) != info.compress_size:
        return _damaged(info, "is cut short"), None
    inflate = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    if inflate is not None:
        try:
            data = inflate.decompress(raw, info.file_size + 1)
        except zlib.error as exc:
            return _damaged(info, f"does not inflate ({exc})"), None
        del raw
    else:
        data = raw
    if len(data) > info.file_size:
        return _bomb(f"The part {info.filename} inflates to more than the "
                     f"{info.file_size:,} bytes its header declares"), None
    if info.filename.lower().endswith(XML_SUFFIXES):
        refusal = _encoding(info, data) if data else None
        if refusal is None and declares_entities(data):
            refusal = _entities(info)
        if refusal is not None:
            return refusal, None
    if inflate is not None and not inflate.eof:
        return _damaged(info, "is cut short"), None
    refusal = _verdict(info, len(data), zlib.crc32(data))
    return refusal, None if refusal is not None else data


def _chunks(handle, info: zipfile.ZipInfo) -> Refusal | None:  # noqa: ANN001 - a binary file
    inflate = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    xml = info.filename.lower().endswith(XML_SUFFIXES)
    left = info.compress_size
    size = 0
    crc = 0
    carry = b""  # the start of a declaration cut by the end of the previous chunk
    first = True
    while left > 0 or (inflate is not None and inflate.unconsumed_tail):
        if inflate is not None and inflate.unconsumed_tail:
            data = inflate.decompress(inflate.unconsumed_tail, CHUNK)
        else:
            raw = handle.read(min(CHUNK, left))
            if not raw:
                return _damaged(info, "is cut short")
            left -= len(raw)
            try:
                data = inflate.decompress(raw, CHUNK) if inflate is not None else raw
            except zlib.error as exc:
                return _damaged(info, f"does not inflate ({exc})")
        size += len(data)
        if size > info.file_size:
            return _bomb(f"The part {info.filename} inflates to more than the "
                         f"{info.file_size:,} bytes its header declares")
        crc = zlib.crc32(data, crc)
        if xml:
            if first and data:
                refusal = _encoding(info, data)
                if refusal is not None:
                    return refusal
                first = False
            if declares_entities(carry + data if carry else data):
                return _entities(info)
            carry = _open_declaration(carry + data if carry else data)
        if inflate is not None and inflate.eof:
            break
    if inflate is not None and not inflate.eof:
        return _damaged(info, "is cut short")
    return _verdict(info, size, crc)


def _verdict(info: zipfile.ZipInfo, size: int, crc: int) -> Refusal | None:
    if size != info.file_size:
        return _damaged(info, f"holds {size:,} bytes, not the {info.file_size:,} declared")
    if crc != info.CRC:
        return _damaged(info, "fails its checksum (CRC)")
    return None


def declares_entities(data: bytes) -> bool:
    """Does ``data`` declare a DTD or entities? ``!`` is rare in a workbook's XML, so a
    byte search for it (memchr) clears almost every part before the regex runs."""
    return b"!" in data and _ENTITY.search(data) is not None


_OPEN_DECLARATION = re.compile(rb"<(?:!\s*[A-Za-z]{0,6})?\Z")


def _open_declaration(data: bytes) -> bytes:
    """The end of ``data`` from its last ``<`` when that could begin ``<!DOCTYPE`` or
    ``<!ENTITY`` continued in the next chunk (however much white space follows ``<!``)."""
    start = data.rfind(b"<")
    return data[start:] if start >= 0 and _OPEN_DECLARATION.match(data, start) else b""


def _entities(info: zipfile.ZipInfo) -> Refusal:
    return Refusal("xml_entities", f"The workbook part {info.filename} declares XML "
                                   "entities (DTD), which a workbook never needs; refused "
                                   "as unsafe")


def _encoding(info: zipfile.ZipInfo, data: bytes) -> Refusal | None:
    """Excel writes every part in UTF-8; another encoding would hide the XML from the
    byte-level checks, so it is refused rather than trusted."""
    head = data[:256]
    wrong = head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:4]
    m = _ENCODING.match(head.removeprefix(b"\xef\xbb\xbf"))
    if m and m.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8"):
        wrong = True
    if wrong:
        return Refusal("encoding", f"The workbook part {info.filename} is not UTF-8 encoded, "
                                   "which Excel never writes; refused as crafted or damaged")
    return None
