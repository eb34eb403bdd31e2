"""Back up and restore the database and the stored files together, as one archive.

An archive (``.tar.gz``) holds:

- ``data.json``: ``dumpdata`` of every application, with natural keys for content types,
  users and groups (so that it loads into a freshly migrated database whose content types
  were numbered differently); content types, permissions and sessions are left out, as
  ``migrate`` makes the first two and the third is not worth keeping;
- ``media/…``: every file under ``MEDIA_ROOT`` (evidence, remediation proofs, the stored
  PDFs of issued documents), at its path relative to ``MEDIA_ROOT``;
- ``manifest.json``: when and from what it was made, the number of records of each model,
  and the size and SHA-256 of each file.

Restoring migrates the target database, refuses one that already holds data (unless
forced, which empties it first), writes the files (each checked against its SHA-256),
loads the records, and checks the number of records of each model against the manifest.
The dump is read inside one transaction (REPEATABLE READ on PostgreSQL), so that its rows
are consistent with one another; stored files are never changed in place (their names are
their SHA-256), so a file added while the backup runs can only be one more, never a
changed one.
"""

import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from collections import Counter
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

import django
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import FileField
from django.utils import timezone

FORMAT = 1
DATA_NAME = "data.json"
MANIFEST_NAME = "manifest.json"
MEDIA_DIR = "media"
# The table versions of ``listcache`` are the database's own bookkeeping: written by
# triggers, never restored (a restored number could name a kept page of other data).
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "cchc_inspection.tableversion"]
# Apps whose rows make a database "not empty" (migrations only add groups and content types).
OWN_APPS = {"cchc_inspection", "units", "plans", "reports", "findings"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """The archive cannot be made or restored; the message says why, in Vietnamese."""


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --- Backup --------------------------------------------------------------------------------


@contextmanager
def _snapshot():
    """One consistent view of the database for the whole dump."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def _dump(path):
    with _snapshot():
        call_command(
            "dumpdata",
            exclude=EXCLUDED,
            natural_foreign=True,
            natural_primary=True,
            use_base_manager=True,
            output=str(path),
            verbosity=0,
        )


def _media_files(root):
    """Every file under ``root``, as (path relative to root in POSIX form, absolute path)."""
    root = Path(root)
    if not root.is_dir():
        return []
    found = [p for p in root.rglob("*") if p.is_file() and not p.is_symlink()]
    return sorted((p.relative_to(root).as_posix(), p) for p in found)


def _file_fields():
    """{model label: [names of its FileFields]} for every model with stored files."""
    result = {}
    for model in apps.get_models():
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, FileField)]
        if names:
            result[model._meta.label_lower] = names
    return result


def _summarise(records):
    """Record counts per model, and the file names the records point to."""
    counts, referenced = Counter(), set()
    fields = _file_fields()
    for record in records:
        counts[record["model"]] += 1
        for name in fields.get(record["model"], ()):
            value = record["fields"].get(name)
            if value:
                referenced.add(value)
    return dict(sorted(counts.items())), referenced


def create(output):
    """Write the archive to ``output``; return its manifest."""
    output = Path(output)
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as work:
        data_path = Path(work) / DATA_NAME
        _dump(data_path)
        with open(data_path, encoding="utf-8") as handle:
            counts, referenced = _summarise(json.load(handle))
        files = {}
        for relative, path in _media_files(media_root):
            files[relative] = {"size": path.stat().st_size, "sha256": sha256_of(path)}
        missing = sorted(referenced - set(files))
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "django": django.get_version(),
            "database": connection.vendor,
            "records": counts,
            "files": files,
            "missing_files": missing,
        }
        partial = output.with_name(output.name + ".part")
        with tarfile.open(partial, "w:gz") as archive:
            _add_bytes(archive, MANIFEST_NAME, json.dumps(manifest, ensure_ascii=False, indent=1))
            archive.add(data_path, arcname=DATA_NAME)
            for relative in files:
                archive.add(media_root / relative, arcname=f"{MEDIA_DIR}/{relative}")
        os.replace(partial, output)
    return manifest


def _add_bytes(archive, name, text):
    data = text.encode("utf-8")
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o640
    archive.addfile(info, io.BytesIO(data))


# --- Restore -------------------------------------------------------------------------------


def has_data():
    """Whether the database holds anything a migration did not put there."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    if user_model._default_manager.exists():
        return True
    return any(
        model._default_manager.exists()
        for model in apps.get_models()
        if model._meta.app_label in OWN_APPS and model._meta.label_lower not in EXCLUDED
    )


def _safe_member(name):
    """The path under MEDIA_ROOT of an archive member, refusing anything that climbs out."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or path.parts[0] != MEDIA_DIR:
        raise BackupError(f"Tệp sao lưu chứa đường dẫn không hợp lệ: {name}")
    return Path(*path.parts[1:])


def _read_manifest(archive):
    try:
        manifest = json.load(archive.extractfile(MANIFEST_NAME))
    except (KeyError, json.JSONDecodeError) as error:
        raise BackupError(
            "Tệp không phải bản sao lưu của ứng dụng (thiếu manifest.json)."
        ) from error
    if manifest.get("format") != FORMAT:
        raise BackupError("Bản sao lưu có định dạng không được hỗ trợ.")
    return manifest


def _restore_files(archive, manifest, media_root):
    """Write every file of the archive under ``media_root``, each checked first."""
    expected = manifest["files"]
    seen = set()
    for member in archive.getmembers():
        if member.name in (MANIFEST_NAME, DATA_NAME):
            continue
        relative = _safe_member(member.name)
        key = relative.as_posix()
        if not member.isfile() or key not in expected:
            raise BackupError(f"Tệp sao lưu chứa mục không có trong danh mục: {member.name}")
        target = media_root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        partial = target.with_name(target.name + ".part")
        with archive.extractfile(member) as source, open(partial, "wb") as sink:
            for chunk in iter(lambda: source.read(CHUNK), b""):
                digest.update(chunk)
                sink.write(chunk)
        if digest.hexdigest() != expected[key]["sha256"]:
            partial.unlink()
            raise BackupError(f"Tệp {key} trong bản sao lưu bị hỏng (SHA-256 không khớp).")
        os.replace(partial, target)
        os.chmod(target, settings.FILE_UPLOAD_PERMISSIONS or 0o640)
        seen.add(key)
    absent = sorted(set(expected) - seen)
    if absent:
        raise BackupError("Bản sao lưu thiếu tệp: " + ", ".join(absent[:5]))
    return len(seen)


@contextmanager
def _loading_fixtures():
    """Loading a backup writes issued and submitted records as they were: like any fixture
    (``raw`` saves), it is not an edit. ``integrity`` exempts raw saves but cannot tell a
    fixture's many-to-many links (evidence ↔ items, rule ↔ terms) from an edit, so its link
    checks are disconnected while the archive loads, and connected again after."""
    from django.db.models import signals

    from . import integrity

    for model in apps.get_models():
        for m2m in model._meta.local_many_to_many:
            uid = f"integrity-{model._meta.label}"
            signals.m2m_changed.disconnect(sender=m2m.remote_field.through, dispatch_uid=uid)
    try:
        yield
    finally:
        integrity.connect()


def counts_now(labels):
    """Record counts per model label (as dumpdata writes them) in the database now."""
    result = {}
    for label in labels:
        model = apps.get_model(label)
        result[label] = model._base_manager.count()
    return result


def restore(source, *, force=False):
    """Restore the archive ``source`` into this instance; return its manifest."""
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(source, "r:gz") as archive:
        manifest = _read_manifest(archive)
        call_command("migrate", interactive=False, verbosity=0)
        if has_data() and not force:
            raise BackupError(
                "Cơ sở dữ liệu đã có dữ liệu; chỉ khôi phục vào một cài đặt trống. Dùng --force "
                "để xóa toàn bộ dữ liệu hiện có rồi khôi phục."
            )
        with tempfile.TemporaryDirectory() as work:
            data_path = Path(work) / DATA_NAME
            with archive.extractfile(DATA_NAME) as source_data, open(data_path, "wb") as sink:
                shutil.copyfileobj(source_data, sink)
            media_root.mkdir(parents=True, exist_ok=True)
            _restore_files(archive, manifest, media_root)
            # Empty every table (migrations' groups too: the archive has them), then load.
            call_command("flush", interactive=False, verbosity=0)
            with _loading_fixtures():
                call_command("loaddata", str(data_path), verbosity=0)
    found = counts_now(manifest["records"])
    wrong = {k: (v, found[k]) for k, v in manifest["records"].items() if found[k] != v}
    if wrong:
        details = ", ".join(f"{k}: {want} → {got}" for k, (want, got) in wrong.items())
        raise BackupError(f"Số bản ghi sau khôi phục không khớp bản sao lưu: {details}")
    return manifest
