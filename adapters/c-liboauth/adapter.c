/*
 * liboauth (Debian liboauth-dev) behind the oauth1-conformance adapter protocol, version 1
 * (adapters/PROTOCOL.md). One row, "liboauth": sign.
 *
 * The request is signed the way liboauth's own example for the HTTP Authorization header
 * (tests/oauthtest2.c) does it: split the URL into a parameter array, add parameters, call
 * oauth_sign_array2_process, serialise the oauth_ parameters with
 * oauth_serialize_url_sep(argc, 1, argv, ", ", 6) and put them after "OAuth " (and the realm,
 * which the caller adds). liboauth does not return its base string, so this program defines
 * oauth_sign_hmac_sha1 / oauth_sign_rsa_sha1 / oauth_sign_plaintext and
 * oauth_serialize_url_parameters itself: the library calls them through its PLT, so it reaches
 * these definitions, which record the argument (the base string) or the result (the normalized
 * parameters) and forward to the library's own functions (dlsym RTLD_NEXT). Nothing is
 * recomputed here. See README.md.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dlfcn.h>
#include <jansson.h>
#include <oauth.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PROTOCOL 1
#define ROW_NAME "liboauth"

/* What the library passed to / returned from the interposed functions during one signing. */
static struct {
  int active;
  char *base_string;
  char *normalized_parameters;
} capture;

static void capture_reset(void) {
  free(capture.base_string);
  free(capture.normalized_parameters);
  capture.base_string = NULL;
  capture.normalized_parameters = NULL;
  capture.active = 0;
}

static void *library_symbol(const char *name) {
  void *fn = dlsym(RTLD_NEXT, name);
  if (!fn) {
    fprintf(stderr, "liboauth adapter: dlsym(RTLD_NEXT, %s) failed: %s\n", name, dlerror());
    abort(); /* the build is broken: the harness reports the crash */
  }
  return fn;
}

typedef char *(*sign_function)(const char *m, const char *k);

static char *record_and_sign(const char *name, const char *m, const char *k) {
  sign_function real = (sign_function)library_symbol(name);
  if (capture.active) {
    free(capture.base_string);
    capture.base_string = m ? strdup(m) : NULL;
  }
  return real(m, k);
}

char *oauth_sign_hmac_sha1(const char *m, const char *k) { return record_and_sign("oauth_sign_hmac_sha1", m, k); }
char *oauth_sign_rsa_sha1(const char *m, const char *k) { return record_and_sign("oauth_sign_rsa_sha1", m, k); }
char *oauth_sign_plaintext(const char *m, const char *k) { return record_and_sign("oauth_sign_plaintext", m, k); }

char *oauth_serialize_url_parameters(int argc, char **argv) {
  typedef char *(*serialize_function)(int, char **);
  serialize_function real = (serialize_function)library_symbol("oauth_serialize_url_parameters");
  char *out = real(argc, argv);
  if (capture.active) {
    free(capture.normalized_parameters);
    capture.normalized_parameters = out ? strdup(out) : NULL;
  }
  return out;
}

/* ------------------------------------------------------------------------------------------ */
/* answers                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static char *format(const char *fmt, ...) {
  va_list ap;
  char *out = NULL;
  va_start(ap, fmt);
  if (vasprintf(&out, fmt, ap) < 0) out = NULL;
  va_end(ap);
  return out;
}

static json_t *answer_error(const char *message) {
  return json_pack("{s:{s:s}}", "error", "message", message ? message : "adapter failed (out of memory)");
}

static json_t *answer_rejected(const char *message) {
  return json_pack("{s:{s:n,s:s}}", "rejected", "reason", "message", message);
}

/* An input the library's API cannot take as given: an API limit, answered `unsupported`. */
static json_t *unsupported(const char *why) {
  return json_pack("{s:{s:s}}", "unsupported", "message", why);
}

/* A string member of obj, or NULL when absent or JSON null. Sets *bad when the member is not
 * a string or holds a NUL (C strings cannot carry one). */
static const char *string_member(json_t *obj, const char *key, int *bad) {
  json_t *value = json_object_get(obj, key);
  if (!value || json_is_null(value)) return NULL;
  if (!json_is_string(value) || strlen(json_string_value(value)) != json_string_length(value)) {
    *bad = 1;
    return NULL;
  }
  return json_string_value(value);
}

static int is_form_content_type(const char *content_type) {
  static const char form[] = "application/x-www-form-urlencoded";
  if (!content_type) return 0;
  while (*content_type == ' ' || *content_type == '\t') content_type++;
  if (strncasecmp(content_type, form, sizeof form - 1) != 0) return 0;
  content_type += sizeof form - 1;
  while (*content_type == ' ' || *content_type == '\t') content_type++;
  return *content_type == '\0' || *content_type == ';';
}

static int signature_method_of(const char *name, OAuthMethod *method) {
  if (strcmp(name, "HMAC-SHA1") == 0) *method = OA_HMAC;
  else if (strcmp(name, "RSA-SHA1") == 0) *method = OA_RSA;
  else if (strcmp(name, "PLAINTEXT") == 0) *method = OA_PLAINTEXT;
  else return 0;
  return 1;
}

static void add_parameter(int *argc, char ***argv, const char *name, const char *value) {
  char *param = format("%s=%s", name, value);
  oauth_add_param_to_array(argc, argv, param);
  free(param);
}

static const char *find_parameter(int argc, char **argv, const char *name) {
  size_t len = strlen(name);
  for (int i = 1; i < argc; i++)
    if (strncmp(argv[i], name, len) == 0 && argv[i][len] == '=') return argv[i] + len + 1;
  return NULL;
}

/* json_string refuses text that is not UTF-8; say so instead of dropping the stage. */
static int set_stage(json_t *trace, const char *stage, const char *value, char **problem) {
  json_t *string = json_string(value);
  if (!string) {
    *problem = format("liboauth produced a %s that is not UTF-8 text", stage);
    return 0;
  }
  json_object_set_new(trace, stage, string);
  return 1;
}

static json_t *sign(json_t *msg) {
  json_t *request = json_object_get(msg, "request");
  json_t *oauth = json_object_get(msg, "oauth");
  json_t *secrets = json_object_get(msg, "secrets");
  int bad = 0;
  if (!json_is_object(request) || !json_is_object(oauth)) return answer_error("sign request without request/oauth objects");
  const char *method = string_member(request, "method", &bad);
  const char *url = string_member(request, "url", &bad);
  const char *content_type = string_member(request, "content_type", &bad);
  const char *body = string_member(request, "body", &bad);
  const char *consumer_key = string_member(oauth, "consumer_key", &bad);
  const char *token = string_member(oauth, "token", &bad);
  const char *signature_method = string_member(oauth, "signature_method", &bad);
  const char *timestamp = string_member(oauth, "timestamp", &bad);
  const char *nonce = string_member(oauth, "nonce", &bad);
  const char *version = string_member(oauth, "version", &bad);
  const char *realm = string_member(oauth, "realm", &bad);
  const char *consumer_secret = string_member(secrets, "consumer_secret", &bad);
  const char *token_secret = string_member(secrets, "token_secret", &bad);
  const char *rsa_private_key = string_member(secrets, "rsa_private_key_pem", &bad);
  json_t *extra = json_object_get(oauth, "extra");
  if (bad) return unsupported("a string holds a NUL character or has the wrong type; liboauth takes C strings");
  if (!method || !url || !consumer_key || !signature_method) return answer_error("sign request without method, url, consumer_key or signature_method");
  if (!nonce || !timestamp) return unsupported("liboauth generates oauth_nonce/oauth_timestamp when they are absent; they cannot be omitted");
  if (!version) return unsupported("liboauth adds oauth_version=1.0 when it is absent; it cannot be omitted");

  OAuthMethod oauth_method;
  if (!signature_method_of(signature_method, &oauth_method)) return unsupported("liboauth has no such signature method");

  /* liboauth's convention (oauth.h, oauth_sign_url2): the form body's parameters are appended
   * to the URL after '?' or '&', and the array is split with oauth_split_post_paramters(.., 0)
   * when there is a POST body, oauth_split_url_parameters otherwise, as oauth_sign_url2 does. */
  int form = body && *body && is_form_content_type(content_type);
  char *signed_url = form ? format("%s%s%s", url, strchr(url, '?') ? "&" : "?", body) : strdup(url);
  int argc = 0;
  char **argv = NULL;
  argc = form ? oauth_split_post_paramters(signed_url, &argv, 0) : oauth_split_url_parameters(signed_url, &argv);
  free(signed_url);
  if (argc < 1) {
    oauth_free_array(&argc, &argv);
    return answer_rejected("oauth_split_url_parameters found no URL in the request URL");
  }

  /* oauth_add_protocol keeps an oauth_nonce / oauth_timestamp / oauth_version already in the
   * array (the documented way to fix them); extra protocol parameters go in the same way. */
  add_parameter(&argc, &argv, "oauth_nonce", nonce);
  add_parameter(&argc, &argv, "oauth_timestamp", timestamp);
  add_parameter(&argc, &argv, "oauth_version", version);
  const char *extra_name;
  json_t *extra_value;
  json_object_foreach(extra, extra_name, extra_value) {
    if (!json_is_string(extra_value) || strlen(json_string_value(extra_value)) != json_string_length(extra_value)) {
      oauth_free_array(&argc, &argv);
      return unsupported("an extra parameter value holds a NUL character or is not a string");
    }
    add_parameter(&argc, &argv, extra_name, json_string_value(extra_value));
  }
  char *body_hash_param = NULL;
  if (json_is_true(json_object_get(oauth, "compute_body_hash"))) {
    const char *hashed = body ? body : "";
    body_hash_param = oauth_body_hash_data(strlen(hashed), hashed);
    if (!body_hash_param) {
      oauth_free_array(&argc, &argv);
      return answer_rejected("oauth_body_hash_data returned NULL");
    }
    oauth_add_param_to_array(&argc, &argv, body_hash_param);
  }

  /* For RSA-SHA1 the private key can only travel as the consumer secret: liboauth passes
   * oauth_catenc(2, c_secret, t_secret) to oauth_sign_rsa_sha1 as the key. */
  const char *c_secret = oauth_method == OA_RSA ? rsa_private_key : consumer_secret;
  const char *t_secret = oauth_method == OA_RSA ? NULL : token_secret;

  capture_reset();
  capture.active = 1;
  oauth_sign_array2_process(&argc, &argv, NULL, oauth_method, method, consumer_key, c_secret, token, t_secret);
  capture.active = 0;

  char *header_params = oauth_serialize_url_sep(argc, 1, argv, ", ", 6);
  /* liboauth leaves the realm to the caller (tests/oauthtest2.c writes it before the rest). */
  char *authorization = realm ? format("OAuth realm=\"%s\", %s", realm, header_params) : format("OAuth %s", header_params);
  json_t *trace = json_object();
  char *problem = NULL;
  const char *signature = find_parameter(argc, argv, "oauth_signature");
  int ok = 1;
  if (capture.normalized_parameters) ok = ok && set_stage(trace, "normalized_parameters", capture.normalized_parameters, &problem);
  if (capture.base_string) ok = ok && set_stage(trace, "signature_base_string", capture.base_string, &problem);
  ok = ok && set_stage(trace, "base_string_uri", argv[0], &problem);
  if (signature) ok = ok && set_stage(trace, "signature", signature, &problem);
  ok = ok && set_stage(trace, "authorization_header", authorization, &problem);
  if (body_hash_param) {
    const char *eq = strchr(body_hash_param, '=');
    ok = ok && set_stage(trace, "body_hash", eq ? eq + 1 : body_hash_param, &problem);
  }
  json_t *answer;
  if (!ok) {
    json_decref(trace);
    answer = answer_rejected(problem);
  } else if (!signature) {
    json_decref(trace);
    answer = answer_rejected("oauth_sign_array2_process added no oauth_signature");
  } else {
    answer = json_pack("{s:{s:o}}", "result", "trace", trace);
  }
  free(problem);
  free(authorization);
  free(header_params);
  free(body_hash_param);
  oauth_free_array(&argc, &argv);
  capture_reset();
  return answer;
}

/* ------------------------------------------------------------------------------------------ */
/* the protocol loop                                                                          */
/* ------------------------------------------------------------------------------------------ */

static const char NOTES[] =
    "sign: as liboauth's Authorization-header example (tests/oauthtest2.c): oauth_split_url_parameters(url) "
    "(or, with a form body, oauth_split_post_paramters(url + '?'/'&' + body, 0), as oauth_sign_url2 does for POST: '+' "
    "stays a plus), the case's oauth_nonce, oauth_timestamp, oauth_version and extra parameters added to the array with "
    "oauth_add_param_to_array (oauth_add_protocol keeps them), oauth_body_hash_data when asked, then "
    "oauth_sign_array2_process(method, consumer key/secret, token/secret) and "
    "oauth_serialize_url_sep(argc, 1, argv, \", \", 6) after 'OAuth ' (and realm=\"...\", which the example writes "
    "itself, unescaped). signature_base_string and normalized_parameters are captured by interposing "
    "oauth_sign_hmac_sha1/oauth_sign_rsa_sha1/oauth_sign_plaintext and oauth_serialize_url_parameters (called through "
    "the library's PLT); base_string_uri is argv[0] after processing; signature is the oauth_signature entry the "
    "library added. liboauth always sends oauth_version (adds 1.0), oauth_nonce and oauth_timestamp (a null one: adapter "
    "error). RSA-SHA1: the PEM private key goes in as the consumer secret (the only channel); liboauth's NSS build reads "
    "PKCS#8 keys only, so a PKCS#1 key gives no signature and the signature is '(null)'. Body hash: SHA-1.";

static json_t *handshake(json_t *msg) {
  json_t *protocol = json_object_get(msg, "protocol");
  if (!json_is_integer(protocol) || json_integer_value(protocol) != PROTOCOL)
    return json_pack("{s:b,s:s}", "ok", 0, "error", "this adapter speaks protocol 1 only");
  return json_pack(
      "{s:b,s:i,s:{s:s,s:s,s:s,s:{s:[s],s:[s,s,s],s:[s,s,s,s,s,s],s:b,s:b,s:b,s:s}}}", "ok", 1, "protocol", PROTOCOL,
      "implementation", "name", ROW_NAME, "version", LIBOAUTH_DEBIAN_VERSION, "language", "c", "capabilities",
      "operations", "sign", "signature_methods", "HMAC-SHA1", "RSA-SHA1", "PLAINTEXT", "stages", "body_hash",
      "normalized_parameters", "base_string_uri", "signature_base_string", "signature", "authorization_header",
      "can_omit_version", 0, "body_hash", 1, "reports_rejection_reasons", 0, "notes", NOTES);
}

static void write_line(json_t *message) {
  char *text = json_dumps(message, JSON_COMPACT | JSON_ENSURE_ASCII);
  if (!text) {
    fprintf(stderr, "liboauth adapter: cannot serialise an answer\n");
    text = strdup("{\"error\":{\"message\":\"adapter failed: cannot serialise the answer\"}}");
  }
  fputs(text, stdout);
  fputc('\n', stdout);
  fflush(stdout);
  free(text);
}

int main(void) {
  char *line = NULL;
  size_t capacity = 0;
  ssize_t length;
  while ((length = getline(&line, &capacity, stdin)) >= 0) {
    json_error_t error;
    json_t *msg = json_loadb(line, (size_t)length, JSON_ALLOW_NUL, &error);
    if (!json_is_object(msg)) {
      fprintf(stderr, "liboauth adapter: ignoring a line that is not a JSON object: %s\n", error.text);
      json_decref(msg);
      continue;
    }
    const char *cmd = json_string_value(json_object_get(msg, "cmd"));
    if (cmd && strcmp(cmd, "stop") == 0) {
      json_t *ok = json_pack("{s:b}", "ok", 1);
      write_line(ok);
      json_decref(ok);
      json_decref(msg);
      break;
    }
    if (cmd && strcmp(cmd, "start") == 0) {
      json_t *answer = handshake(msg);
      write_line(answer);
      json_decref(answer);
      json_decref(msg);
      continue;
    }
    json_t *id = json_object_get(msg, "id");
    if (!json_is_integer(id)) {
      fprintf(stderr, "liboauth adapter: ignoring a request without an integer id\n");
      json_decref(msg);
      continue;
    }
    json_t *answer = cmd && strcmp(cmd, "sign") == 0 ? sign(msg) : answer_error("unsupported command");
    json_object_set(answer, "id", id);
    write_line(answer);
    json_decref(answer);
    json_decref(msg);
  }
  free(line);
  return 0;
}
