/* Standalone reproduction of liboauth/truncates-long-credentials: oauth_sign_array2_process (the
 * signing call of liboauth's Authorization-header example, tests/oauthtest2.c) formats
 * "oauth_consumer_key=KEY" and "oauth_token=TOKEN" into a 1,024-byte buffer (oauth_add_protocol,
 * snprintf), so a consumer key over 1,004 characters is cut silently, in the base string and in
 * the header alike; the request is signed and sent with another key than the caller's. RFC 5849
 * section 3.1 sends the client's identifier as it is and sets no length limit.
 *
 * Build: cc -o target/repros/liboauth-long-credentials docs/findings/repro/c/liboauth_long_credentials.c -loauth
 * Usage: target/repros/liboauth-long-credentials truncates-long-credentials. Prints the length of
 * the oauth_consumer_key liboauth signs next to the caller's (2,000 characters); exits 0 while it is
 * cut to 1,004, 3 when it is the caller's whole key (retire the dossier), 4 otherwise. */
#define _GNU_SOURCE
/* oauth.h uses size_t without including stddef.h. */
#include <stddef.h>
#include <oauth.h>
#include <stdio.h>
#include <string.h>

enum { KEY_LENGTH = 2000, DOCUMENTED_LENGTH = 1004 };

int main(int argc, char **argv) {
  if (argc != 2 || strcmp(argv[1], "truncates-long-credentials") != 0) {
    fprintf(stderr, "usage: %s truncates-long-credentials\n", argv[0]);
    return 2;
  }
  static char key[KEY_LENGTH + 1];
  memset(key, 'k', KEY_LENGTH);
  int count = 0;
  char **params = NULL;
  count = oauth_split_url_parameters("http://example.com/request", &params);
  oauth_add_param_to_array(&count, &params, "oauth_nonce=h0ld0utn0nce");
  oauth_add_param_to_array(&count, &params, "oauth_timestamp=1700000000");
  oauth_add_param_to_array(&count, &params, "oauth_version=1.0");
  oauth_sign_array2_process(&count, &params, NULL, OA_HMAC, "GET", key, "kd94hf93k423kf44", NULL, NULL);
  size_t signed_length = 0;
  int whole = 0;
  for (int i = 1; i < count; i++)
    if (strncmp(params[i], "oauth_consumer_key=", 19) == 0) {
      signed_length = strlen(params[i] + 19);
      whole = strcmp(params[i] + 19, key) == 0;
    }
  oauth_free_array(&count, &params);
  printf("finding:  liboauth/truncates-long-credentials (a %d-character consumer key)\n", KEY_LENGTH);
  printf("liboauth: signs and sends oauth_consumer_key with %zu characters\n", signed_length);
  printf("RFC 5849: the whole key, %d characters (section 3.1)\n", KEY_LENGTH);
  if (whole) return 3;
  return signed_length == DOCUMENTED_LENGTH ? 0 : 4;
}
