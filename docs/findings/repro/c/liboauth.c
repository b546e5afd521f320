/* Standalone reproductions of the findings of liboauth (docs/findings/liboauth/): the request
 * signed as liboauth's Authorization-header example (tests/oauthtest2.c) signs it:
 * oauth_split_url_parameters(url) (with a form body: oauth_split_post_paramters(url + '?' + body,
 * 0), as oauth_sign_url2 does for POST), oauth_nonce / oauth_timestamp / oauth_version added to the
 * array (the documented way to fix them), then oauth_sign_array2_process, on each finding's
 * smallest input.
 *
 * The live-client findings (clients/liboauth/CASE, found by `oauth1-conformance capture`) are
 * signed as liboauth's capture driver (adapters/c-liboauth/capture_driver.c) signs the capture case:
 * oauth_split_url_parameters(url) (a form body: oauth_split_post_paramters(url + '?' + body, 0)),
 * then oauth_sign_array2_process with the capture's test credentials, liboauth choosing its own
 * nonce and timestamp; the request is not sent (each is a finding of what liboauth signs). The table
 * gives RFC 5849's signature base string and the one the dossier documents with {nonce} and
 * {timestamp}; the nonce and timestamp liboauth chose are put in, and OpenSSL's libcrypto (not
 * liboauth, which signs with NSS) signs both: HMAC-SHA1, or RSA-SHA1 (RSASSA-PKCS1-v1_5) with the
 * capture's RSA key, the generator's test key crates/conformance/data/generator-rsa-1024.pem.
 *
 * Build: docs/findings/repro/c/build.sh (cc ... liboauth.c -loauth -lcrypto)
 * Usage: target/repros/liboauth FINDING, run from the repository root. Prints liboauth's
 * oauth_signature next to RFC 5849's (the value the vector publishes, hard-coded below with the
 * vector's id, or for a live finding computed here); exits 0 while liboauth still computes the
 * value the dossier documents, 3 when it computes RFC 5849's (retire the dossier), 4 otherwise. */
#define _GNU_SOURCE
/* oauth.h uses size_t without including stddef.h. */
#include <stddef.h>
#include <oauth.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct finding {
  const char *finding;
  const char *method, *url, *content_type, *body;
  const char *consumer_key, *token, *signature_method, *timestamp, *nonce, *version;
  const char *consumer_secret, *token_secret;
  const char *rfc, *documented;
};

static const struct finding FINDINGS[] = {
  /* vector lib-gomodule-method-host-case-port-443 (vectors/libraries-sign.json), stage signature */
  {"drops-port-80-for-any-scheme",
   "GeT", "https://apI.twItter.com:443/1/\?page=10", NULL, NULL,
   "kMViZR2MHk2mM7hUNVw9A", "10212-JJ3Zc1A49qSMgdcAO2GMOpW9l7A348ESmhjmOBOU", "HMAC-SHA1", "1355795903", "8067e8abc6bdca2006818132445c8f4c", "1.0", "56Fgl58yOfqXOhHXX0ybvOmSnPQFvR2miYmm30A", "yF75mvq4LZMHj9O0DXwoC3ZxUnN1ptvieThYuOAYM",
   /* RFC 5849, as the vector publishes it */ "o5cx1ggJrY9ognZuVVeUwglKV8U=",
   /* documented */ "xFgfe+4tbCSSTnUofYnCIkAffZE="},
  /* vector wild-mixed-case-path (vectors/in-the-wild.json), stage signature */
  {"keeps-host-case",
   "GET", "HTTPS://API.Example.com/Users/Bob", NULL, NULL,
   "dpf43f3p2l4k3l03", "nnch734d00sl2jdk", "HMAC-SHA1", "1700000000", "w1ldn0nce", "1.0", "kd94hf93k423kf44", "pfkkdhi9sl3r4s00",
   /* RFC 5849, as the vector publishes it */ "cqbpSBpCKW0tOBh6fszRpRlCVeo=",
   /* documented */ "ysq+BRs3zn50/y1imA07oN4Qp6g="},
  /* vector rfc5849-3.4.1-hmac-sha1-with-version (vectors/rfc5849.json), stage signature */
  {"plus-not-decoded",
   "POST", "http://example.com/request\?b5=%3D%253D&a3=a&c%40=&a2=r%20b", "application/x-www-form-urlencoded", "c2&a3=2+q",
   "9djdj82h48djs9d2", "kkk9d7dh3k39sjv7", "HMAC-SHA1", "137131201", "7d8f3e4a", "1.0", "j49sk3j29djd", "dh893hdasih9",
   /* RFC 5849, as the vector publishes it */ "OB33pYjWAnf+xtOHN4Gmbdil168=",
   /* documented */ "hcrh2c990BTuIOBCxCFlyX+iXMg="},
  /* vector edge-more-encoded-equals-in-query-name (vectors/edge-cases-more.json), stage signature */
  {"splits-whole-url-on-ampersand-and-question-mark",
   "GET", "http://example.com/request\?a%3Db=c", NULL, NULL,
   "dpf43f3p2l4k3l03", "nnch734d00sl2jdk", "HMAC-SHA1", "1700000000", "h0ld0utn0nce", "1.0", "kd94hf93k423kf44", "pfkkdhi9sl3r4s00",
   /* RFC 5849, as the vector publishes it */ "1zyztsmeJ9UVnnhxu9keBUyw8FQ=",
   /* documented */ "61TMZqRagS+MeJAObG2zLCpcls8="},
};

static int is_form(const char *content_type) {
  static const char form[] = "application/x-www-form-urlencoded";
  if (!content_type) return 0;
  while (*content_type == ' ' || *content_type == '\t') content_type++;
  if (strncasecmp(content_type, form, sizeof form - 1) != 0) return 0;
  content_type += sizeof form - 1;
  while (*content_type == ' ' || *content_type == '\t') content_type++;
  return *content_type == '\0' || *content_type == ';';
}

static void add(int *argc, char ***argv, const char *name, const char *value) {
  char *param = NULL;
  if (asprintf(&param, "%s=%s", name, value) < 0) exit(2);
  oauth_add_param_to_array(argc, argv, param);
  free(param);
}

static char *signature(const struct finding *f) {
  int form = f->body && *f->body && is_form(f->content_type);
  char *url = NULL;
  if (asprintf(&url, "%s%s%s", f->url, form ? (strchr(f->url, '?') ? "&" : "?") : "", form ? f->body : "") < 0) exit(2);
  int argc = 0;
  char **argv = NULL;
  argc = form ? oauth_split_post_paramters(url, &argv, 0) : oauth_split_url_parameters(url, &argv);
  free(url);
  add(&argc, &argv, "oauth_nonce", f->nonce);
  add(&argc, &argv, "oauth_timestamp", f->timestamp);
  add(&argc, &argv, "oauth_version", f->version);
  OAuthMethod method = strcmp(f->signature_method, "PLAINTEXT") == 0 ? OA_PLAINTEXT : OA_HMAC;
  oauth_sign_array2_process(&argc, &argv, NULL, method, f->method, f->consumer_key, f->consumer_secret, f->token,
                            f->token_secret);
  char *value = NULL;
  for (int i = 1; i < argc; i++)
    if (strncmp(argv[i], "oauth_signature=", 16) == 0) value = strdup(argv[i] + 16);
  oauth_free_array(&argc, &argv);
  return value ? value : strdup("(none)");
}

/* A capture case (crates/conformance/src/live/capture/cases.rs) on a fixed loopback URL. */
struct live {
  const char *finding;
  const char *method, *url, *body; /* body: a form body (the cases' content type), or NULL */
  int rsa;                         /* RSA-SHA1 with the capture's key, else HMAC-SHA1 */
  const char *rfc;                 /* RFC 5849's base string, with {nonce} and {timestamp} */
  const char *documented;          /* the dossier's base string, or for RSA the oauth_signature sent */
};

#define LIVE_URI "http%3A%2F%2F127.0.0.1%3A8080%2Fliboauth%2F"
/* liboauth's protocol parameters, sorted (it adds oauth_version="1.0" itself). */
#define LIVE_OAUTH(method)                                                                                \
  "oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3D" method \
  "%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0"
#define RSA_KEY_FILE "crates/conformance/data/generator-rsa-1024.pem"

static const struct live LIVE[] = {
  /* plus-not-decoded: `+` in a form body is kept as a plus sign, not read as a space (RFC 5849
   * §3.4.1.3.1 decodes the body as application/x-www-form-urlencoded). */
  {"clients/liboauth/form-values", "POST", "http://127.0.0.1:8080/liboauth/form-values", "a=x+y&b=%2B&c=%20&d=~", 0,
   "POST&" LIVE_URI "form-values&a%3Dx%2520y%26b%3D%252B%26c%3D%2520%26d%3D~%26" LIVE_OAUTH("HMAC-SHA1"),
   "POST&" LIVE_URI "form-values&a%3Dx%252By%26b%3D%252B%26c%3D%2520%26d%3D~%26" LIVE_OAUTH("HMAC-SHA1")},
  /* splits-whole-url-on-ampersand-and-question-mark: the raw `?` inside the query value starts a
   * parameter of its own, `d@e!$'()*,;f`, which it signs as the name `d@e!$'()*,;f=`, not encoded
   * (a query may carry `?` and `/` raw, RFC 3986 §3.4; RFC 5849 §3.4.1.3.1 splits it on `&`). */
  {"clients/liboauth/query-reserved-raw", "GET",
   "http://127.0.0.1:8080/liboauth/query-reserved-raw?q=a:b/c?d@e!$'()*,;f", NULL, 0,
   "GET&" LIVE_URI "query-reserved-raw&" LIVE_OAUTH("HMAC-SHA1")
   "%26q%3Da%253Ab%252Fc%253Fd%2540e%2521%2524%2527%2528%2529%252A%252C%253Bf",
   "GET&" LIVE_URI "query-reserved-raw&d%40e%21%24%27%28%29%2A%2C%3Bf%3D%26" LIVE_OAUTH("HMAC-SHA1")
   "%26q%3Da%253Ab%252Fc"},
  /* rsa-reads-pkcs8-keys-only: with the PKCS#1 key the capture hands it, liboauth signs nothing and
   * sends the text "(null)". */
  {"clients/liboauth/sig-rsa-sha1", "GET", "http://127.0.0.1:8080/liboauth/sig-rsa-sha1?a=1", NULL, 1,
   "GET&" LIVE_URI "sig-rsa-sha1&a%3D1%26" LIVE_OAUTH("RSA-SHA1"), "(null)"},
};

/* text with every {name} replaced by value */
static char *replaced(const char *text, const char *name, const char *value) {
  char *out = NULL;
  size_t size = 0;
  FILE *memory = open_memstream(&out, &size);
  if (!memory) exit(2);
  for (const char *at; (at = strstr(text, name)) != NULL; text = at + strlen(name)) {
    fwrite(text, 1, (size_t)(at - text), memory);
    fputs(value, memory);
  }
  fputs(text, memory);
  fclose(memory);
  return out;
}

/* RFC 5849 §3.6, applied twice: a value as the base string carries it. */
static char *twice_encoded(const char *value) {
  char *once = oauth_url_escape(value), *twice = oauth_url_escape(once);
  free(once);
  return twice;
}

static char *base64(const unsigned char *octets, size_t length) {
  char *out = malloc(4 * ((length + 2) / 3) + 1);
  if (!out) exit(2);
  EVP_EncodeBlock((unsigned char *)out, octets, (int)length);
  return out;
}

/* RFC 5849 §3.4.2 (HMAC-SHA1 with the capture's consumer and token secrets) or §3.4.3 (RSA-SHA1
 * with its key), by libcrypto. */
static char *rfc_signature(const char *base, int rsa) {
  unsigned char digest[512];
  size_t length = sizeof digest;
  if (!rsa) {
    static const char key[] = "kd94hf93k423kf44&pfkkdhi9sl3r4s00";
    unsigned int mac_length = 0;
    if (!HMAC(EVP_sha1(), key, (int)strlen(key), (const unsigned char *)base, strlen(base), digest, &mac_length))
      exit(2);
    return base64(digest, mac_length);
  }
  FILE *file = fopen(RSA_KEY_FILE, "r");
  if (!file) {
    perror(RSA_KEY_FILE " (run from the repository root)");
    exit(2);
  }
  EVP_PKEY *key = PEM_read_PrivateKey(file, NULL, NULL, NULL);
  fclose(file);
  EVP_MD_CTX *context = EVP_MD_CTX_new();
  if (!key || !context || EVP_DigestSignInit(context, NULL, EVP_sha1(), NULL, key) != 1 ||
      EVP_DigestSign(context, digest, &length, (const unsigned char *)base, strlen(base)) != 1)
    exit(2);
  EVP_MD_CTX_free(context);
  EVP_PKEY_free(key);
  return base64(digest, length);
}

static const char *argument(int argc, char **argv, const char *name) {
  for (int i = 1; i < argc; i++)
    if (strncmp(argv[i], name, strlen(name)) == 0 && argv[i][strlen(name)] == '=') return argv[i] + strlen(name) + 1;
  return "";
}

static char *read_key_file(void) {
  FILE *file = fopen(RSA_KEY_FILE, "r");
  char *pem = NULL;
  size_t size = 0;
  if (!file || getdelim(&pem, &size, '\0', file) < 0) {
    perror(RSA_KEY_FILE " (run from the repository root)");
    exit(2);
  }
  fclose(file);
  return pem;
}

static int live_case(const struct live *l) {
  char *url = NULL;
  if (asprintf(&url, "%s%s%s", l->url, l->body ? (strchr(l->url, '?') ? "&" : "?") : "", l->body ? l->body : "") < 0)
    exit(2);
  char **argv = NULL;
  int argc = l->body ? oauth_split_post_paramters(url, &argv, 0) : oauth_split_url_parameters(url, &argv);
  free(url);
  char *pem = l->rsa ? read_key_file() : NULL;
  /* As the capture driver: for RSA-SHA1 the consumer secret argument is the private key PEM. */
  oauth_sign_array2_process(&argc, &argv, NULL, l->rsa ? OA_RSA : OA_HMAC, l->method, "dpf43f3p2l4k3l03",
                            l->rsa ? pem : "kd94hf93k423kf44", "nnch734d00sl2jdk", l->rsa ? NULL : "pfkkdhi9sl3r4s00");
  char *nonce = twice_encoded(argument(argc, argv, "oauth_nonce"));
  char *timestamp = twice_encoded(argument(argc, argv, "oauth_timestamp"));
  char *with_nonce = replaced(l->rfc, "{nonce}", nonce), *rfc_base = replaced(with_nonce, "{timestamp}", timestamp);
  char *rfc = rfc_signature(rfc_base, l->rsa), *documented = NULL;
  if (l->rsa) {
    documented = strdup(l->documented);
  } else {
    char *doc_nonce = replaced(l->documented, "{nonce}", nonce), *doc_base = replaced(doc_nonce, "{timestamp}", timestamp);
    documented = rfc_signature(doc_base, 0);
    free(doc_nonce);
    free(doc_base);
  }
  const char *value = argument(argc, argv, "oauth_signature");
  printf("finding:  %s (capture case %s %s%s%s)\n", l->finding, l->method, l->url, l->body ? ", form body " : "",
         l->body ? l->body : "");
  printf("sent:     oauth_nonce \"%s\", oauth_timestamp \"%s\" (liboauth's own; the values below are for them)\n",
         argument(argc, argv, "oauth_nonce"), argument(argc, argv, "oauth_timestamp"));
  printf("RFC 5849 signs: %s\nliboauth: %s\nRFC 5849: %s\n", rfc_base, value, rfc);
  int status = 0;
  if (strcmp(value, rfc) == 0) {
    puts("fixed: liboauth now agrees with RFC 5849");
    status = 3;
  } else if (strcmp(value, documented) != 0) {
    printf("changed: the dossier documents %s\n", documented);
    status = 4;
  }
  free(nonce);
  free(timestamp);
  free(with_nonce);
  free(rfc_base);
  free(rfc);
  free(documented);
  free(pem);
  oauth_free_array(&argc, &argv);
  return status;
}

int main(int argc, char **argv) {
  for (size_t i = 0; i < sizeof LIVE / sizeof LIVE[0]; i++)
    if (argc == 2 && strcmp(LIVE[i].finding, argv[1]) == 0) return live_case(&LIVE[i]);
  const struct finding *f = NULL;
  for (size_t i = 0; i < sizeof FINDINGS / sizeof FINDINGS[0]; i++)
    if (argc == 2 && strcmp(FINDINGS[i].finding, argv[1]) == 0) f = &FINDINGS[i];
  if (!f) {
    fprintf(stderr, "usage: %s FINDING\n", argv[0]);
    return 2;
  }
  char *value = signature(f);
  printf("finding:  %s\nliboauth: %s\nRFC 5849: %s\n", f->finding, value, f->rfc);
  int status = 0;
  if (strcmp(value, f->rfc) == 0) {
    puts("fixed: liboauth now agrees with RFC 5849");
    status = 3;
  } else if (strcmp(value, f->documented) != 0) {
    printf("changed: the dossier documents %s\n", f->documented);
    status = 4;
  }
  free(value);
  return status;
}
