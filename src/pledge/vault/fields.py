"""Encrypted model fields for personal data kept in the main database.

Usage, in any app::

    @personal_data(personal={"email": "user.contact.email", ...}, non_personal=["id", ...])
    class Customer(models.Model):
        id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
        subject_id = models.UUIDField(db_index=True)
        email = EncryptedTextField(subject_field="subject_id", key="profile")
        invoice_address = EncryptedJSONField(subject_field="subject_id", key="retention")

Each value is AES-256-GCM encrypted with the subject's key of that kind; the associated data
binds it to subject, key kind, model field and primary key, so ciphertext copied to another row
or field does not decrypt (``CiphertextInvalid``). Once the key is shredded the field reads as
``ERASED``. Decryption happens on attribute access, because only the instance knows the row's
subject and primary key. Write through ``save()``/``bulk_create()``: ``QuerySet.update()``,
``bulk_update()`` and filters on these fields have no instance to bind to and are refused; look
rows up through a ``BlindIndexField``.
"""

import base64
import binascii
import json
import secrets
from binascii import a2b_base64
from functools import cached_property
from operator import itemgetter
from uuid import UUID

from cryptography.exceptions import InvalidTag
from django.core import checks
from django.db import models

from . import keys
from .erased import ERASED
from .exceptions import CiphertextInvalid, SubjectErased
from .models import KeyKind

TOKEN_PREFIX = "pv1:"  # noqa: S105 (a format marker, not a secret)
_PREFIX_LENGTH = len(TOKEN_PREFIX)
_NONCE = keys.NONCE_BYTES
_FIELD_AAD = b"pledge.vault.field/v1\x00"
_json_decoder = json.JSONDecoder()
_json_decode = _json_decoder.decode  # json.loads without its per-call argument checks
_json_scan = _json_decoder.scan_once  # decode without its two whitespace matches


def _json_from_bytes(data: bytes):
    """``json.loads`` of what ``EncryptedJSONField.to_plaintext`` wrote.

    That is compact JSON without surrounding whitespace, so the scanner alone reads it; any
    other text goes through the full decoder, which accepts or rejects it as ``json.loads``.
    """
    text = data.decode("utf-8")
    try:
        value, end = _json_scan(text, 0)
    except StopIteration:
        return _json_decode(text)
    return value if end == len(text) else _json_decode(text)


class Ciphertext(str):
    """A value as stored in the database; never plaintext."""


class _Opened(tuple):
    """What a decrypted value came from, so an unchanged save rewrites nothing.

    ``_Opened((token, plaintext, binding))``: a tuple, as one is made per field on every read.
    """

    __slots__ = ()
    token = property(itemgetter(0))
    plaintext = property(itemgetter(1))
    binding = property(itemgetter(2))


class EncryptedAttribute:
    """Descriptor: holds the ciphertext until the value is first read, then the plaintext."""

    def __init__(self, field: "EncryptedFieldMixin") -> None:
        self.field = field
        self.attname = field.attname

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        values = instance.__dict__
        try:
            value = values[self.attname]
        except KeyError:  # a deferred field, as Django's own DeferredAttribute does
            instance.refresh_from_db(fields=[self.attname])
            value = values[self.attname]
        if value.__class__ is Ciphertext:
            value = self.field.open_into(instance, value)
        return value

    def __set__(self, instance, value) -> None:
        # pre_save compares a new value with what was decrypted, so nothing to forget here.
        instance.__dict__[self.attname] = value


class EncryptedFieldMixin:
    descriptor_class = EncryptedAttribute

    def __init__(self, *args, subject_field: str, key: str, **kwargs) -> None:
        self.subject_field = subject_field
        self.key_kind = key
        kwargs.setdefault("editable", True)
        super().__init__(*args, **kwargs)

    # -- conversion between the Python value and plaintext bytes (per field type) --
    def to_plaintext(self, value) -> bytes:
        raise NotImplementedError

    def from_plaintext(self, data: bytes):
        raise NotImplementedError

    def _plaintext_decoder(self):
        """``from_plaintext`` as ``open_into`` calls it: a plain function where one fits."""
        return self.from_plaintext

    # -- Django field API --
    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["subject_field"] = self.subject_field
        kwargs["key"] = self.key_kind
        return name, path, args, kwargs

    def contribute_to_class(self, cls, name, private_only=False):
        super().contribute_to_class(cls, name, private_only=private_only)
        setattr(cls, self.attname, self.descriptor_class(self))

    def from_db_value(self, value, expression, connection):
        return None if value is None else Ciphertext(value)

    def to_python(self, value):
        return value

    def get_prep_value(self, value):
        if value is None or isinstance(value, Ciphertext):
            return None if value is None else str(value)
        raise TypeError(
            f"{self.model._meta.label}.{self.name} is encrypted: write it with save() or "
            "bulk_create() on an instance, and look rows up through a BlindIndexField."
        )

    def value_to_string(self, obj) -> str:
        # dumpdata and friends get ciphertext, never a plaintext copy of personal data.
        value = obj.__dict__.get(self.attname)
        opened = obj.__dict__.get("_vault_opened", {}).get(self.attname)
        if isinstance(value, Ciphertext):
            return str(value)
        return opened.token if opened is not None else ""

    def pre_save(self, model_instance, add):
        values = model_instance.__dict__
        value = values.get(self.attname)
        if value is None:
            return None
        binding = self.binding_of(model_instance)
        opened = values.get("_vault_opened", {}).get(self.attname)
        if isinstance(value, Ciphertext):
            # Unread since loading: keep the token, but only if it belongs to this row
            # (a copied row with a new primary key must be read and written, not cloned).
            self.open(value, binding)
            return value
        if value is ERASED:
            if opened is not None and opened.binding == binding:
                return Ciphertext(opened.token)  # leave the noise as it was
            raise SubjectErased(f"{self.model._meta.label}.{self.name}: the key is shredded")
        plaintext = self.to_plaintext(value)
        if opened is not None and opened.binding == binding and opened.plaintext == plaintext:
            return Ciphertext(opened.token)
        token = self.seal(plaintext, binding)
        values.setdefault("_vault_opened", {})[self.attname] = _Opened((token, plaintext, binding))
        return token

    # -- encryption --
    def binding_of(self, instance) -> tuple:
        subject_id = getattr(instance, self.subject_field)
        if subject_id is None:
            raise ValueError(f"{self.model._meta.label}.{self.name}: the row has no subject")
        pk = instance.pk
        if pk is None:
            raise ValueError(
                f"{self.model._meta.label}.{self.name}: encrypted fields need an app-made "
                "primary key (a UUIDField with default=uuid.uuid4)"
            )
        return keys._as_uuid(subject_id), str(pk)

    @cached_property
    def _pk_attname(self) -> str:
        return self.model._meta.pk.attname

    @cached_property
    def _associated_field(self) -> bytes:
        where = f"{self.model._meta.label_lower}.{self.name}"
        return b"\x00" + self.key_kind.encode() + b"\x00" + where.encode() + b"\x00"

    def associated_data(self, binding: tuple) -> bytes:
        subject_id, pk = binding
        return _FIELD_AAD + subject_id.bytes + self._associated_field + pk.encode()

    def seal(self, plaintext: bytes, binding: tuple) -> Ciphertext:
        cipher = keys.subject_ciphers(binding[0]).get(self.key_kind)
        if cipher is None:
            raise SubjectErased(
                f"{self.model._meta.label}.{self.name}: subject {binding[0]} has no "
                f"{self.key_kind} key (shredded, or never created with subject_create)"
            )
        nonce = secrets.token_bytes(keys.NONCE_BYTES)
        sealed = cipher.encrypt(nonce, plaintext, self.associated_data(binding))
        return Ciphertext(TOKEN_PREFIX + base64.b64encode(nonce + sealed).decode("ascii"))

    def open(self, token: str, binding: tuple, ciphers=None):
        """Plaintext bytes, or ERASED when the key is gone."""
        if ciphers is None:
            ciphers = keys.subject_ciphers(binding[0])
        return self._decrypt(
            token, ciphers.get(self.key_kind), self.associated_data(binding), binding
        )

    def _decrypt(self, token: str, cipher, associated_data: bytes, binding: tuple):
        if cipher is None:
            return ERASED
        try:
            if not token.startswith(TOKEN_PREFIX):
                raise ValueError
            raw = a2b_base64(token[_PREFIX_LENGTH:], strict_mode=True)
            return cipher.decrypt(raw[:_NONCE], raw[_NONCE:], associated_data)
        except (InvalidTag, ValueError, binascii.Error):
            raise self._invalid(binding) from None

    def _invalid(self, binding: tuple) -> CiphertextInvalid:
        return CiphertextInvalid(
            f"{self.model._meta.label}.{self.name} of row {binding[1]} does not decrypt "
            "for this row and subject"
        )

    def open_into(self, instance, token: Ciphertext):
        """Decrypt this field, and the row's other loaded fields under the same subject.

        A page that shows one field of a profile usually shows the rest: working out the
        binding, the keys and the associated data's row part once per row keeps a profile read
        close to a plaintext read.
        """
        values = instance.__dict__
        subject_id = values.get(self.subject_field)
        if subject_id.__class__ is UUID and (pk := values.get(self._pk_attname)) is not None:
            binding = (subject_id, str(pk))  # binding_of() for a loaded row, inlined
        else:
            binding = self.binding_of(instance)
            subject_id = binding[0]
        ciphers = keys.subject_ciphers(subject_id)
        head = _FIELD_AAD + subject_id.bytes
        tail = binding[1].encode()
        opened = values.get("_vault_opened")
        if opened is None:
            opened = values["_vault_opened"] = {}
        subject_field = self.subject_field
        # The loop is open() inlined: it runs for every encrypted field of every row read.
        for field, attname, kind, associated, field_subject, decode in _open_plan(
            instance.__class__
        ):
            sealed = values.get(attname)
            if sealed.__class__ is not Ciphertext or field_subject != subject_field:
                continue
            try:
                cipher = ciphers[kind]  # unwraps the key on first use
                if cipher is None:
                    values[attname] = ERASED
                    opened[attname] = _Opened((sealed, None, binding))
                    continue
                if not sealed.startswith(TOKEN_PREFIX):
                    raise ValueError
                raw = a2b_base64(sealed[_PREFIX_LENGTH:], strict_mode=True)
                plaintext = cipher.decrypt(raw[:_NONCE], raw[_NONCE:], head + associated + tail)
            except CiphertextInvalid:
                if field is self:
                    raise
                continue  # left sealed: it raises when that field itself is read
            except (InvalidTag, ValueError, binascii.Error):
                if field is self:
                    raise field._invalid(binding) from None
                continue
            values[attname] = decode(plaintext)
            opened[attname] = _Opened((sealed, plaintext, binding))
        return values[self.attname]

    # -- system checks --
    def check(self, **kwargs):
        errors = [*super().check(**kwargs)]
        meta = self.model._meta
        if self.key_kind not in KeyKind.values:
            errors.append(
                checks.Error(
                    f"key={self.key_kind!r} is not one of {KeyKind.values}.",
                    obj=self,
                    id="vault.E001",
                )
            )
        try:
            subject = meta.get_field(self.subject_field)
        except Exception:
            subject = None
        if not isinstance(subject, models.UUIDField):
            errors.append(
                checks.Error(
                    f"subject_field={self.subject_field!r} must name a UUIDField of {meta.label}.",
                    obj=self,
                    id="vault.E002",
                )
            )
        if not (isinstance(meta.pk, models.UUIDField) and meta.pk.has_default()):
            errors.append(
                checks.Error(
                    f"{meta.label} has encrypted fields, so its primary key must be made by "
                    "the application: a UUIDField with default=uuid.uuid4.",
                    obj=self,
                    id="vault.E003",
                )
            )
        return errors


def _encrypted_fields(model) -> tuple:
    fields = model.__dict__.get("_vault_encrypted_fields")
    if fields is None:
        fields = tuple(f for f in model._meta.concrete_fields if isinstance(f, EncryptedFieldMixin))
        model._vault_encrypted_fields = fields
    return fields


def _open_plan(model) -> tuple:
    """Per encrypted field: what ``open_into`` needs, looked up once per model."""
    plan = model.__dict__.get("_vault_open_plan")
    if plan is None:
        plan = tuple(
            (f, f.attname, f.key_kind, f._associated_field, f.subject_field, f._plaintext_decoder())
            for f in _encrypted_fields(model)
        )
        model._vault_open_plan = plan
    return plan


class EncryptedTextField(EncryptedFieldMixin, models.TextField):
    """Text encrypted with the subject's key; reads as ``ERASED`` after a shred."""

    def to_plaintext(self, value) -> bytes:
        return str(value).encode("utf-8")

    def from_plaintext(self, data: bytes) -> str:
        return data.decode("utf-8")

    def _plaintext_decoder(self):
        if type(self).from_plaintext is EncryptedTextField.from_plaintext:
            return bytes.decode  # UTF-8, strict: the same, without a Python call
        return self.from_plaintext


class EncryptedJSONField(EncryptedFieldMixin, models.TextField):
    """Any JSON value (an address as a dict, a list of phone numbers) encrypted as one."""

    def to_plaintext(self, value) -> bytes:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def from_plaintext(self, data: bytes):
        return _json_from_bytes(data)

    def _plaintext_decoder(self):
        if type(self).from_plaintext is EncryptedJSONField.from_plaintext:
            return _json_from_bytes
        return self.from_plaintext

    def formfield(self, **kwargs):
        from django import forms

        return super().formfield(**{"form_class": forms.JSONField, **kwargs})
