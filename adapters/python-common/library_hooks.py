"""Hooks into a Python library: reading its trace stages without recomputing any, fixing its clock."""


class CapturedReturns:
    """Wraps functions of a library module while a library call runs, recording what each
    returned under a stage name.

    This works where the library looks the functions up on their module at call time (a call
    through the module's globals or `module.function`); it sees exactly the values the library
    signs with. `values` keeps the last value returned by each function."""

    def __init__(self, module, functions):
        self.values = {}
        self._module = module
        self._functions = functions  # function name -> stage name
        self._originals = {}

    def __enter__(self):
        for func_name, stage in self._functions.items():
            original = getattr(self._module, func_name)
            self._originals[func_name] = original
            setattr(self._module, func_name, self._wrap(original, stage))
        return self

    def _wrap(self, original, stage):
        values = self.values

        def wrapper(*args, **kwargs):
            result = original(*args, **kwargs)
            values[stage] = result
            return result

        return wrapper

    def __exit__(self, *exc):
        for func_name, original in self._originals.items():
            setattr(self._module, func_name, original)
        return False


def single_value(pairs, name, where):
    """The value of `name` among (name, value) pairs the library produced; None when absent.
    Several values are an adapter failure: the stage would be ambiguous."""
    values = [v for k, v in pairs if k == name]
    if len(values) > 1:
        raise RuntimeError(f"{name} appears {len(values)} times in {where!r}")
    return values[0] if values else None


class FixedClock:
    """Stands in for the `time` module inside a library module whose only use of it is
    time.time(), so that its timestamp check sees the case's `now`."""

    def __init__(self, now):
        self._now = float(now)

    def time(self):
        return self._now


class ModuleAttribute:
    """Replaces `module.name` with `value` for the duration of a `with` block."""

    def __init__(self, module, name, value):
        self._module, self._name, self._value = module, name, value
        self._original = None

    def __enter__(self):
        self._original = getattr(self._module, self._name)
        setattr(self._module, self._name, self._value)
        return self._value

    def __exit__(self, *exc):
        setattr(self._module, self._name, self._original)
        return False


def parse_each_private_key_once():
    """Makes cryptography's `load_pem_private_key` parse a given PEM once per process.

    oauthlib (through PyJWT's `RSAAlgorithm.prepare_key`) and Authlib take the RSA private key as
    PEM text and parse it again for every signature; cryptography validates the key as it parses
    it, about 10 ms a time here, which was most of a Python row's answering time (the generated
    cases all sign with one key). The library still gets the PEM text and still calls the parser;
    the parser answers a PEM it has parsed before with the same (immutable) key object. A PEM
    that fails to parse fails every time (exceptions are not remembered). Call it before the
    library is imported: PyJWT and Authlib bind the function by name when they are."""
    import functools

    from cryptography.hazmat.primitives import serialization

    parse = serialization.load_pem_private_key

    @functools.lru_cache(maxsize=8)
    def parsed(data):
        return parse(data, None)

    def load_pem_private_key(data, password=None, *args, **kwargs):
        # The `backend` argument is ignored by cryptography; any other option goes through uncached.
        kwargs.pop("backend", None)
        if isinstance(data, bytes) and password is None and not args and not kwargs:
            return parsed(data)
        return parse(data, password, *args, **kwargs)

    serialization.load_pem_private_key = load_pem_private_key
