#!/usr/bin/env bash
# The control row of the client matrix: curl sends exactly the request of the case, with the
# Authorization header the reference signs for it (oauth1-conformance explain --header-only),
# signed again for the new URL (with a fresh nonce) at a 307. Every case must be ok.
set -euo pipefail
url=$OAUTH1_CAPTURE_URL
# The reference signs URIs only (RFC 3986): raw brackets, which the case sends as PHP/Rails
# name syntax, are percent-encoded first, as a browser's form serialiser does.
url=${url//\[/%5B}
url=${url//\]/%5D}
method=$OAUTH1_CAPTURE_METHOD
body_file=${OAUTH1_CAPTURE_BODY_FILE:-}
for _hop in 1 2 3; do
  sign=(explain --header-only --method "$method" --url "$url" --consumer-key "$OAUTH1_CONSUMER_KEY"
        --signature-method "$OAUTH1_SIGNATURE_METHOD" --timestamp "$(date +%s)"
        --nonce "$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')")
  send=(-sS -g --path-as-is -o /dev/null -w '%{http_code} %{redirect_url}\n' -X "$method")
  if [ -n "${OAUTH1_TOKEN:-}" ]; then sign+=(--token "$OAUTH1_TOKEN"); fi
  if [ -n "${OAUTH1_REALM:-}" ]; then sign+=(--realm "$OAUTH1_REALM"); fi
  if [ -n "${OAUTH1_CAPTURE_CONTENT_TYPE:-}" ]; then
    sign+=(--content-type "$OAUTH1_CAPTURE_CONTENT_TYPE")
    send+=(-H "Content-Type: $OAUTH1_CAPTURE_CONTENT_TYPE")
  else
    send+=(-H "Content-Type:")   # no content type: curl's default form type left out
  fi
  if [ -n "$body_file" ]; then
    sign+=(--body "$(cat "$body_file")")
    send+=(--data-binary "@$body_file")
  fi
  if [ -n "${OAUTH1_CAPTURE_CA_FILE:-}" ]; then send+=(--cacert "$OAUTH1_CAPTURE_CA_FILE"); fi
  header=$("$OAUTH1_CONFORMANCE" "${sign[@]}")
  read -r code location < <(curl "${send[@]}" -H "Authorization: $header" "$url")
  if [ "$code" != 307 ] || [ -z "${location:-}" ]; then exit 0; fi
  url=$location
done
