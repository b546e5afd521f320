'use strict';
// What a Node caller does around a library that leaves it to the caller to read the request's
// parameters: decide whether the body is a form, and decode query and form strings with Node's
// own `querystring` module (the parser node-oauth applies to the query itself, and the one
// `request` hands to oauth-sign with `useQuerystring: true`).

const querystring = require('node:querystring');

const FORM_MEDIA_TYPE = 'application/x-www-form-urlencoded';

/**
 * RFC 5849 §3.4.1.3.1: the body is a parameter source when its Content-Type is
 * application/x-www-form-urlencoded. Media types are case-insensitive and may carry
 * parameters such as `; charset=utf-8` (RFC 7231 §3.1.1.1).
 */
function isFormContentType(contentType) {
  if (typeof contentType !== 'string') {
    return false;
  }
  return contentType.split(';', 1)[0].trim().toLowerCase() === FORM_MEDIA_TYPE;
}

/** The form body of a sign/verify request object, or null when it has none. */
function formBody(request) {
  const body = request.body;
  return typeof body === 'string' && isFormContentType(request.content_type) ? body : null;
}

/** The query component of a URL as sent (after `?`, before `#`), or null when it has none. */
function rawQuery(url) {
  const withoutFragment = url.split('#', 1)[0];
  const mark = withoutFragment.indexOf('?');
  return mark === -1 ? null : withoutFragment.slice(mark + 1);
}

/**
 * Adds `[name, value]` pairs to a plain object `{name: [value, ...]}`. Own properties are
 * defined, never assigned, so a parameter named `__proto__` stays a parameter.
 */
function addParameters(parameters, pairs) {
  for (const [name, value] of pairs) {
    if (Object.prototype.hasOwnProperty.call(parameters, name)) {
      parameters[name].push(value);
    } else {
      Object.defineProperty(parameters, name, { value: [value], enumerable: true, writable: true, configurable: true });
    }
  }
  return parameters;
}

/**
 * Decodes each `name=value&...` string with querystring.parse and merges them into one plain
 * object `{name: [value, ...]}` in source order (see addParameters).
 */
function decodeParameterStrings(strings) {
  const parameters = {};
  for (const text of strings) {
    if (text === null || text === '') {
      continue;
    }
    const decoded = querystring.parse(text, '&', '=', { maxKeys: 0 });
    for (const name of Object.keys(decoded)) {
      addParameters(parameters, [].concat(decoded[name]).map((value) => [name, value]));
    }
  }
  return parameters;
}

module.exports = { addParameters, decodeParameterStrings, formBody, isFormContentType, rawQuery };
