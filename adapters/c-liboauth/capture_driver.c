/* liboauth's capture driver: the parameters of the URL (and of a form body) split with
 * oauth_split_url_parameters / oauth_split_post_paramters, signed with oauth_sign_array2_process,
 * the oauth_ ones serialised into the Authorization header with oauth_serialize_url_sep(..., ", ",
 * 6), and the request sent with liboauth's own HTTP functions (oauth_http_get2, oauth_send_data),
 * as liboauth's tests show (docs/capture.md describes the environment). Exits 0 once a response
 * arrived, 3 when liboauth cannot express the case. */
#define _POSIX_C_SOURCE 200809L
#include <stddef.h> /* oauth.h uses size_t without including it */
#include <oauth.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void cannot_express(const char *reason, const char *what) {
  fprintf(stderr, "%s%s\n", reason, what);
  exit(3);
}

static char *read_file(const char *path, size_t *length) {
  FILE *file = fopen(path, "rb");
  if (!file) { perror(path); exit(1); }
  char *text = NULL;
  size_t size = 0;
  FILE *memory = open_memstream(&text, &size);
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, file)) > 0) fwrite(buffer, 1, n, memory);
  fclose(file);
  fclose(memory);
  *length = size;
  return text;
}

int main(void) {
  const char *url = getenv("OAUTH1_CAPTURE_URL"), *method = getenv("OAUTH1_CAPTURE_METHOD");
  const char *content_type = getenv("OAUTH1_CAPTURE_CONTENT_TYPE"), *body_file = getenv("OAUTH1_CAPTURE_BODY_FILE");
  const char *name = getenv("OAUTH1_SIGNATURE_METHOD");
  OAuthMethod signature_method;
  if (strcmp(name, "HMAC-SHA1") == 0) signature_method = OA_HMAC;
  else if (strcmp(name, "RSA-SHA1") == 0) signature_method = OA_RSA;
  else if (strcmp(name, "PLAINTEXT") == 0) signature_method = OA_PLAINTEXT;
  else cannot_express("liboauth has no ", name);
  if (getenv("OAUTH1_REALM")) cannot_express("liboauth cannot send a realm", "");
  if (getenv("OAUTH1_CAPTURE_CA_FILE")) cannot_express("liboauth's HTTP functions take no CA file", "");
  size_t length = 0;
  char *body = body_file ? read_file(body_file, &length) : NULL;
  int form = content_type && strncasecmp(content_type, "application/x-www-form-urlencoded", 33) == 0 && body;
  char **argv = NULL;
  int argc;
  if (form) {
    /* liboauth's convention (oauth.h): a form body's parameters follow the URL's. */
    char *joined = malloc(strlen(url) + length + 2);
    sprintf(joined, "%s%s%s", url, strchr(url, '?') ? "&" : "?", body);
    argc = oauth_split_post_paramters(joined, &argv, 0);
  } else {
    argc = oauth_split_url_parameters(url, &argv);
  }
  /* RSA-SHA1: the consumer secret argument is the private key PEM. */
  size_t key_length = 0;
  const char *c_secret = signature_method == OA_RSA ? read_file(getenv("OAUTH1_RSA_PRIVATE_KEY_FILE"), &key_length)
                                                    : getenv("OAUTH1_CONSUMER_SECRET");
  oauth_sign_array2_process(&argc, &argv, NULL, signature_method, method, getenv("OAUTH1_CONSUMER_KEY"), c_secret,
                            getenv("OAUTH1_TOKEN"), signature_method == OA_RSA ? NULL : getenv("OAUTH1_TOKEN_SECRET"));
  char *parameters = oauth_serialize_url_sep(argc, 1, argv, ", ", 6);
  char *header = malloc(strlen(parameters) + (content_type ? strlen(content_type) : 0) + 64);
  sprintf(header, "Authorization: OAuth %s%s%s", parameters, content_type ? "\r\nContent-Type: " : "",
          content_type ? content_type : "");
  char *reply = strcmp(method, "GET") == 0 && !body ? oauth_http_get2(url, NULL, header)
                                                    : oauth_send_data(url, body ? body : "", length, header, method);
  if (!reply) {
    fprintf(stderr, "liboauth's HTTP request failed\n");
    return 1;
  }
  return 0;
}
