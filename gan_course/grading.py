"""Helpers for the assignments' checks (assignments/masters): which of the course's own
functions a learner's answer calls."""

import types


def course_functions_used(fn, *modules):
    """Names of what `fn` uses from the course modules `modules` (e.g. "gan_course.losses"),
    or from the package `gan_course` itself (gan_course.losses.x): through the global names
    in its code, its closures, and the learner's own functions it calls (a tf.function
    counts as its Python function)."""
    forbidden = set(modules) | {"gan_course"}
    fn = getattr(fn, "python_function", fn)
    if getattr(fn, "__module__", None) in forbidden:
        return [fn.__qualname__]
    found, seen, todo = [], set(), [fn]
    while todo:
        obj = todo.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        codes, names = [obj.__code__], set()
        while codes:
            code = codes.pop()
            names.update(code.co_names)
            codes.extend(c for c in code.co_consts if isinstance(c, types.CodeType))
        values = [obj.__globals__[n] for n in sorted(names) if n in obj.__globals__]
        values += [cell.cell_contents for cell in obj.__closure__ or () if _filled(cell)]
        for value in values:
            value = getattr(value, "python_function", value)
            home = value.__name__ if isinstance(value, types.ModuleType) else getattr(value, "__module__", None)
            if home in forbidden:
                found.append(getattr(value, "__qualname__", home))
            elif isinstance(value, types.FunctionType) and value.__globals__ is fn.__globals__:
                todo.append(value)
    return found


def _filled(cell):
    """Whether a closure cell holds a value (the cell of a name not yet assigned is empty)."""
    try:
        cell.cell_contents
    except ValueError:
        return False
    return True
