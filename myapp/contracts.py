"""Contracts: what the object behind an entry point must be, and checking a target against one.

A :class:`Contract` is declared once per extension point, usually from an
abstract base class or a :class:`typing.Protocol`; :func:`verify` checks a
loaded target against it in the spirit of ``zope.interface.verify``: the
kind of object, each required method's presence, and whether its signature
can accept the documented arguments. Duck-typed targets that fit are
accepted; subclassing is required only where the contract says so.

Signatures are compared by binding placeholder arguments: the documented
positional parameters are passed by position, keyword-only ones by keyword,
once with the required arguments only and once with all of them. ``*args``
and ``**kwargs`` accept anything; a callable without a readable signature
(some built-ins) is trusted.

.. versionadded:: 0.1
"""

from __future__ import annotations

import inspect
import re
import types
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Final, Literal, NamedTuple

from .errors import ContractError as ContractError  # re-exported: its home before myapp.errors

if TYPE_CHECKING:
    from .index.records import EntryPointInfo
    from .plugins.trace import PluginTrace

#: What a target must be: a class (commands), any object with the methods
#: (a module, an instance, or a class whose instances have them), or a callable.
Kind = Literal["class", "object", "callable"]

#: The ways a target can fail a contract, as :attr:`Mismatch.problem` names them.
Problem = Literal["kind", "missing", "abstract", "not callable", "signature", "create"]

_PLACEHOLDER: Final = object()
_WORD_BOUNDARY: Final = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
#: Bases whose members are machinery, not part of a contract.
_MACHINERY: Final = frozenset({"ABC", "Generic", "Protocol", "object"})
_Call = tuple[tuple[object, ...], dict[str, object]]


class Method(NamedTuple):
    """One method a contract requires, with its documented signature.

    :param bound: whether the documented signature starts with the instance (``self``).
    """

    name: str
    signature: inspect.Signature
    bound: bool = True

    def __str__(self) -> str:
        return f"{self.name}{_plain(self.signature)}"

    def calls(self) -> list[_Call]:
        """The placeholder calls an implementation must accept, without the instance."""
        return _calls(self.signature, skip_first=self.bound)


class Mismatch(NamedTuple):
    """One way a target does not fit a contract; ``str()`` gives the sentence."""

    #: the method at fault, or ``""`` for the target itself
    member: str
    problem: Problem
    expected: str
    found: str = ""

    def __str__(self) -> str:
        member = f"method '{self.member}'"
        texts = {
            "kind": f"expected {self.expected}, found {self.found}",
            "missing": f"{member} missing; expected {self.expected}",
            "abstract": f"{member} not implemented (abstract); expected {self.expected}",
            "not callable": f"'{self.member}' is not a method (found {self.found}); expected {self.expected}",
            "signature": f"{member + ' cannot accept' if self.member else 'cannot be called with'} the documented "
            f"arguments; expected {self.expected}, found {self.found}",
            "create": f"cannot be created without arguments; expected {self.expected}, found {self.found}",
        }
        return texts[self.problem]


class Contract:
    """What the target of an entry point must be.

    :param name: the noun messages use for a target, e.g. ``"greeting style"``.
    :param kind: see :data:`Kind`.
    :param methods: the methods a target must have.
    :param call: for ``kind="callable"``, the documented call signature.
    :param base: a class targets must subclass (only where duck typing cannot work).
    """

    def __init__(
        self,
        name: str,
        *,
        kind: Kind = "object",
        methods: Iterable[Method] = (),
        call: inspect.Signature | None = None,
        base: type | None = None,
    ) -> None:
        if kind == "callable" and call is None:
            raise ValueError(f"the callable contract '{name}' needs a call signature")
        self.name = name
        self.kind: Kind = "class" if base is not None else kind
        self.methods = tuple(methods)
        self.call = call
        self.base = base

    def __repr__(self) -> str:
        members = str(self) if self.kind == "callable" else ", ".join(map(str, self.methods))
        return f"<Contract {self.name!r} ({self.kind}): {members}>"

    def __str__(self) -> str:
        """The documented call, for callable contracts: ``hook(context)``."""
        return f"{self.name.replace(' ', '_')}{_plain(self.call)}" if self.call is not None else self.name

    @classmethod
    def from_class(
        cls,
        source: type,
        *,
        name: str = "",
        kind: Kind = "object",
        methods: Iterable[str] | None = None,
        subclass: bool = False,
    ) -> Contract:
        """The contract an ABC, a Protocol or a plain class documents.

        The required methods are *methods* if given; else the abstract
        methods of an abstract class; else every public method (and
        ``__call__``). A class whose only requirement is ``__call__`` (a
        callback Protocol) gives a callable contract.

        :param name: defaults to the class name in words (``GreetingStyle``: ``greeting style``).
        :param subclass: require targets to be subclasses of *source*.
        """
        noun = name or _WORD_BOUNDARY.sub(" ", source.__name__).lower()
        names = list(methods) if methods is not None else _required_names(source)
        if names == ["__call__"] and not subclass:
            call = inspect.signature(source.__call__)
            return cls(noun, kind="callable", call=call.replace(parameters=list(call.parameters.values())[1:]))
        found = [_documented(source, method) for method in names]
        return cls(noun, kind=kind, methods=found, base=source if subclass else None)

    @classmethod
    def from_callable(cls, name: str, template: Callable[..., object]) -> Contract:
        """A callable contract whose documented call is *template*'s signature."""
        return cls(name, kind="callable", call=inspect.signature(template))


def verify(target: object, contract: Contract) -> list[Mismatch]:
    """Every way *target* does not fit *contract*; an empty list when it fits.

    .. versionadded:: 0.1
    """
    if contract.kind == "callable":
        return _verify_call(target, contract)
    is_class = inspect.isclass(target)
    if contract.base is not None and not (is_class and issubclass(target, contract.base)):  # type: ignore[arg-type]
        return [Mismatch("", "kind", f"a subclass of {_qualified(contract.base)}", _describe(target))]
    if contract.kind == "class" and not is_class:
        return [Mismatch("", "kind", "a class", _describe(target))]
    mismatches = []
    if inspect.isclass(target) and contract.kind == "object":
        mismatches += _verify_creation(target)
    abstract: frozenset[str] = getattr(target, "__abstractmethods__", frozenset()) if is_class else frozenset()
    for method in contract.methods:
        mismatches += _verify_method(target, method, is_class, abstract)
    return mismatches


def subject(noun: str, entry_point: EntryPointInfo, name: str | None = None) -> str:
    """``command 'hello' (myapp-plugins-x 1.0, entry point hello = x.commands:Hello)``."""
    release = f"{entry_point.distribution} {entry_point.version}".strip()
    return f"{noun} '{name or entry_point.name}' ({release}, entry point {entry_point.name} = {entry_point.value})"


def load_verified(
    entry_point: EntryPointInfo,
    contract: Contract,
    *,
    name: str | None = None,
    hint: str | None = None,
    trace: PluginTrace | None = None,
) -> Any:
    """Import the target of *entry_point* and check it against *contract*.

    :param name: how users call the target, when not the entry point's name (``plugin list``).
    :param trace: the ``--debug-plugins`` trace (see :func:`~myapp.plugins.loading.import_target`).
    :raises PluginLoadError: the import failed.
    :raises ContractError: the target does not fit the contract.
    """
    from .plugins.loading import import_target

    target = import_target(entry_point, hint=hint, trace=trace)
    mismatches = verify(target, contract)
    if mismatches:
        raise ContractError(subject(contract.name, entry_point, name), mismatches, entry_point=entry_point, hint=hint)
    return target


def _required_names(source: type) -> list[str]:
    abstract = sorted(getattr(source, "__abstractmethods__", ()))
    if abstract:
        return abstract
    names: dict[str, None] = {}
    for klass in reversed(source.__mro__):
        if klass.__name__ not in _MACHINERY:
            names.update((n, None) for n, v in vars(klass).items() if _is_public_method(n, v))
    return list(names)


def _is_public_method(name: str, value: object) -> bool:
    return (name == "__call__" or not name.startswith("_")) and isinstance(
        value, (types.FunctionType, staticmethod, classmethod)
    )


def _documented(source: type, name: str) -> Method:
    static = inspect.getattr_static(source, name)
    return Method(name, inspect.signature(getattr(source, name)), bound=_needs_instance(static))


def _needs_instance(static: object) -> bool:
    """Whether a class attribute, found on an instance, is bound to it (a plain method)."""
    if isinstance(static, (staticmethod, classmethod)):
        return False
    return inspect.isfunction(static) or inspect.ismethoddescriptor(static)


def _verify_call(target: object, contract: Contract) -> list[Mismatch]:
    if not callable(target):
        return [Mismatch("", "kind", f"a callable {contract}", _describe(target))]
    assert contract.call is not None
    found = _signature(target)
    if found is None or _accepts(found, _calls(contract.call, skip_first=False)):
        return []
    return [Mismatch("", "signature", str(contract), f"{_name_of(target)}{_plain(found)}")]


def _verify_creation(target: type) -> list[Mismatch]:
    found = _signature(target)
    if found is None or _accepts(found, [((), {})]):
        return []
    return [Mismatch("", "create", f"{target.__name__}()", f"{target.__name__}{_plain(found)}")]


def _verify_method(target: object, method: Method, is_class: bool, abstract: frozenset[str]) -> list[Mismatch]:
    expected = str(method)
    if method.name in abstract:
        return [Mismatch(method.name, "abstract", expected)]
    try:
        found = getattr(target, method.name)
    except AttributeError:
        return [Mismatch(method.name, "missing", expected)]
    if not callable(found):
        return [Mismatch(method.name, "not callable", expected, _describe(found))]
    signature = _signature(found)
    if signature is None:
        return []
    calls = method.calls()
    if is_class and _needs_instance(inspect.getattr_static(target, method.name)):
        calls = [((_PLACEHOLDER, *args), kwargs) for args, kwargs in calls]
    if _accepts(signature, calls):
        return []
    return [Mismatch(method.name, "signature", expected, f"{method.name}{_plain(signature)}")]


def _calls(signature: inspect.Signature, *, skip_first: bool) -> list[_Call]:
    parameters = list(signature.parameters.values())[1 if skip_first else 0 :]
    required: _Call = ((), {})
    every: _Call = ((), {})
    for parameter in parameters:
        needed = parameter.default is inspect.Parameter.empty
        if parameter.kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD):
            every = ((*every[0], _PLACEHOLDER), every[1])
            required = ((*required[0], _PLACEHOLDER), required[1]) if needed else required
        elif parameter.kind is inspect.Parameter.KEYWORD_ONLY:
            every[1][parameter.name] = _PLACEHOLDER
            if needed:
                required[1][parameter.name] = _PLACEHOLDER
    return [required] if required == every else [required, every]


def _accepts(signature: inspect.Signature, calls: list[_Call]) -> bool:
    try:
        for args, kwargs in calls:
            signature.bind(*args, **kwargs)
    except TypeError:
        return False
    return True


def _signature(target: object) -> inspect.Signature | None:
    try:
        return inspect.signature(target)  # type: ignore[arg-type]
    except (TypeError, ValueError):  # some built-ins have none: trust them
        return None


def _plain(signature: inspect.Signature | None) -> str:
    """A signature as plugin authors write a call: no annotations, no ``/`` marker."""
    if signature is None:
        return "(...)"
    parameters = [
        p.replace(
            annotation=inspect.Parameter.empty,
            kind=inspect.Parameter.POSITIONAL_OR_KEYWORD if p.kind is inspect.Parameter.POSITIONAL_ONLY else p.kind,
        )
        for p in signature.parameters.values()
    ]
    return str(inspect.Signature(parameters))


def _describe(target: object) -> str:
    if inspect.isclass(target):
        return f"class '{target.__qualname__}'"
    if inspect.ismodule(target):
        return f"module '{target.__name__}'"
    if inspect.isroutine(target):
        return f"function '{_name_of(target)}'"
    return type(target).__name__


def _name_of(target: object) -> str:
    return str(getattr(target, "__name__", type(target).__name__))


def _qualified(klass: type) -> str:
    return f"{klass.__module__}.{klass.__qualname__}"
