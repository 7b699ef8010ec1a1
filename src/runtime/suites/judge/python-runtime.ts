/**
 * Python source of both ends of the judge's call bridge (written into sandboxes as text).
 *
 * Wire values are JSON with tags that keep Python's types exact: `{"$i":"12"}` int,
 * `{"$f":"0.1"}` float (repr, so nan/inf/-0.0 survive), `{"$t":[…]}` tuple, `{"$d":[[k, v], …]}`
 * dict, `{"$s":[…]}` set, `{"$z":[…]}` frozenset, `{"$y":"base64"}` bytes, `{"$c":["re","im"]}`
 * complex (Counter, OrderedDict and defaultdict travel as dicts; a regex match as an opaque value
 * that is only truthy); JSON null/true/false/strings/arrays are None/bool/str/list. The sender checks
 * `type(x) is …` (no subclasses), the receiver builds fresh built-in objects, so no candidate
 * `__eq__`, `__hash__` or `__repr__` ever runs in the judge.
 */
export const PY_CODEC = `
import base64 as _mb_base64, collections as _mb_collections, json as _mb_json, re as _mb_re, sys as _mb_sys
if hasattr(_mb_sys, 'set_int_max_str_digits'):
    _mb_sys.set_int_max_str_digits(0)

def _mb_encode(value, depth=0):
    if depth > 200:
        raise TypeError('value nested deeper than 200 levels')
    kind = type(value)
    if value is None or kind is bool or kind is str:
        return value
    if kind is int:
        return {'$i': int.__repr__(value)}
    if kind is float:
        return {'$f': float.__repr__(value)}
    if kind is list:
        return [_mb_encode(item, depth + 1) for item in list.__iter__(value)]
    if kind is tuple:
        return {'$t': [_mb_encode(item, depth + 1) for item in tuple.__iter__(value)]}
    if kind is dict or kind in (_mb_collections.Counter, _mb_collections.OrderedDict, _mb_collections.defaultdict):
        return {'$d': [[_mb_encode(k, depth + 1), _mb_encode(v, depth + 1)] for k, v in dict.items(value)]}
    if kind is _mb_re.Match:
        return {'$x': 'Match ' + str.__repr__(value.group(0))}
    if kind is set:
        return {'$s': [_mb_encode(item, depth + 1) for item in set.__iter__(value)]}
    if kind is frozenset:
        return {'$z': [_mb_encode(item, depth + 1) for item in frozenset.__iter__(value)]}
    if kind is bytes:
        return {'$y': _mb_base64.b64encode(value).decode('ascii')}
    if kind is complex:
        return {'$c': [float.__repr__(value.real), float.__repr__(value.imag)]}
    raise TypeError('cannot send a value of type %s to the judge (only plain built-in types)' % kind.__name__)

class _MbOpaque:
    # A stand-in for a value only its truth matters for (a regex match): always true, equal only to itself.
    __slots__ = ('description',)
    def __init__(self, description):
        self.description = description
    def __repr__(self):
        return '<%s>' % self.description

def _mb_decode(wire):
    if wire is None or type(wire) in (bool, str):
        return wire
    if type(wire) is list:
        return [_mb_decode(item) for item in wire]
    if type(wire) is not dict or len(wire) != 1:
        raise TypeError('malformed value from the candidate')
    (tag, body), = wire.items()
    if tag == '$i': return int(body)
    if tag == '$f': return float(body)
    if tag == '$t': return tuple(_mb_decode(item) for item in body)
    if tag == '$d': return {_mb_decode(k): _mb_decode(v) for k, v in body}
    if tag == '$s': return set(_mb_decode(item) for item in body)
    if tag == '$z': return frozenset(_mb_decode(item) for item in body)
    if tag == '$y': return _mb_base64.b64decode(body)
    if tag == '$c': return complex(float(body[0]), float(body[1]))
    if tag == '$x': return _MbOpaque(str(body))
    raise TypeError('malformed value from the candidate')
`;

/**
 * The candidate's end: runs the solution file in a fresh namespace, then serves calls read from
 * stdin lines and answers `<nonce> {id, value | error}` on a private copy of stdout (the solution's
 * own prints go to stderr). Run as `python3 -c <this> <nonce> <solution file>`.
 */
export const PY_CANDIDATE_SERVER = String.raw`
import os as _mb_os
_mb_channel = _mb_os.fdopen(_mb_os.dup(1), 'w', encoding='utf-8')
_mb_os.dup2(2, 1)
_mb_nonce = _mb_sys.argv[1]
_mb_source = open(_mb_sys.argv[2], encoding='utf-8').read()
_mb_namespace = {'__name__': 'solution', '__builtins__': __builtins__}
_mb_load_error = None
try:
    exec(compile(_mb_source, _mb_sys.argv[2], 'exec'), _mb_namespace)
except BaseException as error:
    _mb_load_error = error
for _mb_line in _mb_sys.stdin:
    try:
        _mb_request = _mb_json.loads(_mb_line)
    except ValueError:
        continue
    try:
        if _mb_load_error is not None:
            raise _mb_load_error
        _mb_fn = _mb_namespace.get(_mb_request['call'])
        if not callable(_mb_fn):
            raise NameError('name %r is not defined by the solution' % _mb_request['call'])
        _mb_reply = {'id': _mb_request['id'], 'value': _mb_encode(_mb_fn(*_mb_decode(_mb_request['args'])))}
    except BaseException as error:
        _mb_reply = {'id': _mb_request['id'], 'error': {'name': type(error).__name__, 'message': str(error)[:2000]}}
    _mb_channel.write(_mb_nonce + ' ' + _mb_json.dumps(_mb_reply) + '\n')
    _mb_channel.flush()
`;

/**
 * The judge's end: `_mb_remote(name)` is a function that sends the call and waits for the answer,
 * returning a fresh decoded value or raising a built-in exception of the candidate's error name
 * (RuntimeError when the name is not a built-in exception). Run as
 * `python3 judge.py <nonce>`; the test code and its driver follow this text in `judge.py`.
 */
export const PY_JUDGE_RUNTIME = String.raw`
import builtins as _mb_builtins, os as _mb_os
_mb_channel = _mb_os.fdopen(_mb_os.dup(1), 'w', encoding='utf-8')
_mb_os.dup2(2, 1)
_mb_nonce = _mb_sys.argv[1]
_mb_next_id = [0]

def _mb_call(name, args):
    _mb_next_id[0] += 1
    request_id = _mb_next_id[0]
    _mb_channel.write(_mb_nonce + ' ' + _mb_json.dumps({'id': request_id, 'call': name, 'args': _mb_encode(list(args))}) + '\n')
    _mb_channel.flush()
    while True:
        line = _mb_sys.stdin.readline()
        if not line:
            raise RuntimeError('the candidate process ended before answering')
        reply = _mb_json.loads(line)
        if reply.get('id') == request_id:
            break
    if 'error' in reply:
        kind = getattr(_mb_builtins, str(reply['error'].get('name')), None)
        if not (isinstance(kind, type) and issubclass(kind, Exception)) or kind is AssertionError:
            kind = RuntimeError
        raise kind('candidate raised %s: %s' % (reply['error'].get('name'), reply['error'].get('message')))
    return _mb_decode(reply['value'])

def _mb_remote(name):
    def call(*args):
        return _mb_call(name, args)
    call.__name__ = name
    return call

def _mb_report(tests):
    _mb_channel.write(_mb_nonce + ' RESULT ' + _mb_json.dumps({'tests': tests}) + '\n')
    _mb_channel.flush()
`;
