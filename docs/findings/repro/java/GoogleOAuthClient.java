// Standalone reproductions of the findings of google-oauth-client (docs/findings/google-oauth-client/):
// an OAuthParameters with its fields set, as the library's javadoc shows (signer, consumerKey, token,
// nonce, timestamp, version, realm), then computeSignature(method, new GenericUrl(url)) and
// getAuthorizationHeader() (whose realm parameter is compared for the header finding), on each finding's smallest input. The signature base string is the
// argument computeSignature hands its OAuthSigner: the library exposes it nowhere else, so the
// OAuthHmacSigner is wrapped in an OAuthSigner (the library's own interface) that keeps it.
//
// Usage: java GoogleOAuthClient FINDING (built and launched by docs/findings/repro/java/build.sh)
// Exit: 0 still as documented, 3 agrees with RFC 5849 (retire the dossier), 4 a third value, 2 usage.

import com.google.api.client.auth.oauth.OAuthHmacSigner;
import com.google.api.client.auth.oauth.OAuthParameters;
import com.google.api.client.auth.oauth.OAuthSigner;
import com.google.api.client.http.GenericUrl;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

public final class GoogleOAuthClient {
  /**
   * A finding's smallest input (vector id and file, its request and secrets), the stage compared,
   * RFC 5849's value as the vector publishes it, and the value the dossier documents. The library
   * takes no body (computeSignature(method, url)), so contentType and body are shown, not passed.
   */
  record Finding(String finding, String vector, String file, String stage, String method, String url,
      String contentType, String body, String consumerKey, String token, String signatureMethod,
      String timestamp, String nonce, String version, String realm, String consumerSecret,
      String tokenSecret, String rfc, String documented) {}

  static final List<Finding> FINDINGS = List.of(
      new Finding(
          "collapses-duplicates-last-wins",
          "edge-same-name-query-and-body",
          "vectors/edge-cases.json",
          "signature_base_string",
          "POST",
          "https://example.com/r?a=1",
          "application/x-www-form-urlencoded",
          "a=2&a=1",
          "dpf43f3p2l4k3l03",
          "nnch734d00sl2jdk",
          "HMAC-SHA1",
          "1191242096",
          "kllo9940pd9333jh",
          null,
          null,
          "kd94hf93k423kf44",
          "pfkkdhi9sl3r4s00",
          "POST&https%3A%2F%2Fexample.com%2Fr&a%3D1%26a%3D1%26a%3D2%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk",
          "POST&https%3A%2F%2Fexample.com%2Fr&a%3D1%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk"),
      new Finding(
          "ignores-form-body",
          "edge-form-content-type-mixed-case",
          "vectors/edge-cases.json",
          "signature_base_string",
          "POST",
          "https://example.com/r",
          "Application/X-WWW-Form-URLencoded",
          "a=1&b=2",
          "dpf43f3p2l4k3l03",
          "nnch734d00sl2jdk",
          "HMAC-SHA1",
          "1191242096",
          "kllo9940pd9333jh",
          null,
          null,
          "kd94hf93k423kf44",
          "pfkkdhi9sl3r4s00",
          "POST&https%3A%2F%2Fexample.com%2Fr&a%3D1%26b%3D2%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk",
          "POST&https%3A%2F%2Fexample.com%2Fr&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk"),
      new Finding(
          "double-decodes",
          "edge-query-non-utf8-octets",
          "vectors/edge-cases.json",
          "signature_base_string",
          "GET",
          "https://example.com/r?v=%FF%FE",
          null,
          null,
          "dpf43f3p2l4k3l03",
          "nnch734d00sl2jdk",
          "HMAC-SHA1",
          "1191242096",
          "kllo9940pd9333jh",
          null,
          null,
          "kd94hf93k423kf44",
          "pfkkdhi9sl3r4s00",
          "GET&https%3A%2F%2Fexample.com%2Fr&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26v%3D%25FF%25FE",
          "GET&https%3A%2F%2Fexample.com%2Fr&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26v%3D%25EF%25BF%25BD%25EF%25BF%25BD"),
      new Finding(
          "keeps-host-case",
          "edge-url-ipv6",
          "vectors/edge-cases.json",
          "signature_base_string",
          "GET",
          "http://[2001:DB8::1]:8080/x?y=1",
          null,
          null,
          "dpf43f3p2l4k3l03",
          "nnch734d00sl2jdk",
          "HMAC-SHA1",
          "1191242096",
          "kllo9940pd9333jh",
          null,
          null,
          "kd94hf93k423kf44",
          "pfkkdhi9sl3r4s00",
          "GET&http%3A%2F%2F%5B2001%3Adb8%3A%3A1%5D%3A8080%2Fx&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26y%3D1",
          "GET&http%3A%2F%2F%5B2001%3ADB8%3A%3A1%5D%3A8080%2Fx&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26y%3D1"),
      new Finding(
          "method-not-uppercased",
          "edge-method-custom",
          "vectors/edge-cases.json",
          "signature_base_string",
          "purge",
          "https://example.com/cache/item",
          null,
          null,
          "dpf43f3p2l4k3l03",
          "nnch734d00sl2jdk",
          "HMAC-SHA1",
          "1191242096",
          "kllo9940pd9333jh",
          null,
          null,
          "kd94hf93k423kf44",
          "pfkkdhi9sl3r4s00",
          "PURGE&https%3A%2F%2Fexample.com%2Fcache%2Fitem&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk",
          "purge&https%3A%2F%2Fexample.com%2Fcache%2Fitem&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk"),
      new Finding(
          "empty-path-not-slash",
          "oauthnet-concat-get-no-path",
          "vectors/oauth-net.json",
          "signature_base_string",
          "GET",
          "http://example.com?n=v",
          null,
          null,
          "dpf43f3p2l4k3l03",
          "nnch734d00sl2jdk",
          "HMAC-SHA1",
          "1191242096",
          "kllo9940pd9333jh",
          null,
          null,
          "kd94hf93k423kf44",
          "pfkkdhi9sl3r4s00",
          "GET&http%3A%2F%2Fexample.com%2F&n%3Dv%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk",
          "GET&http%3A%2F%2Fexample.com&n%3Dv%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk"),
      new Finding(
          "decodes-unreserved-path-escapes",
          "edge-url-encoded-unreserved-in-path",
          "vectors/edge-cases.json",
          "signature_base_string",
          "GET",
          "https://example.com/%7Euser/a%2Db",
          null,
          null,
          "dpf43f3p2l4k3l03",
          "nnch734d00sl2jdk",
          "HMAC-SHA1",
          "1191242096",
          "kllo9940pd9333jh",
          null,
          null,
          "kd94hf93k423kf44",
          "pfkkdhi9sl3r4s00",
          "GET&https%3A%2F%2Fexample.com%2F%257Euser%2Fa%252Db&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk",
          "GET&https%3A%2F%2Fexample.com%2F~user%2Fa-b&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk"),
      new Finding(
          "uppercases-path-escapes",
          "edge-url-lowercase-escapes-in-path",
          "vectors/edge-cases.json",
          "signature_base_string",
          "GET",
          "https://example.com/a%2fb/caf%c3%a9",
          null,
          null,
          "dpf43f3p2l4k3l03",
          "nnch734d00sl2jdk",
          "HMAC-SHA1",
          "1191242096",
          "kllo9940pd9333jh",
          null,
          null,
          "kd94hf93k423kf44",
          "pfkkdhi9sl3r4s00",
          "GET&https%3A%2F%2Fexample.com%2Fa%252fb%2Fcaf%25c3%25a9&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk",
          "GET&https%3A%2F%2Fexample.com%2Fa%252Fb%2Fcaf%25C3%25A9&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk"),
      new Finding(
          "percent-encodes-realm-in-header",
          "edge-realm-present",
          "vectors/edge-cases.json",
          "authorization_header realm",
          "GET",
          "https://example.com/photos?size=original",
          null,
          null,
          "dpf43f3p2l4k3l03",
          "nnch734d00sl2jdk",
          "HMAC-SHA1",
          "1191242096",
          "kllo9940pd9333jh",
          null,
          "Photos Server",
          "kd94hf93k423kf44",
          "pfkkdhi9sl3r4s00",
          "realm=\"Photos Server\"",
          "realm=\"Photos%20Server\""),
      new Finding(
          "keeps-host-case-not-scheme",
          "edge-url-uppercase-scheme-host",
          "vectors/edge-cases.json",
          "signature_base_string",
          "GET",
          "HTTPS://API.Example.COM/Path/To",
          null,
          null,
          "dpf43f3p2l4k3l03",
          "nnch734d00sl2jdk",
          "HMAC-SHA1",
          "1191242096",
          "kllo9940pd9333jh",
          null,
          null,
          "kd94hf93k423kf44",
          "pfkkdhi9sl3r4s00",
          "GET&https%3A%2F%2Fapi.example.com%2FPath%2FTo&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk",
          "GET&https%3A%2F%2FAPI.Example.COM%2FPath%2FTo&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk"),
      new Finding(
          "decodes-pchar-path-escapes",
          "edge-more-plus-in-path",
          "vectors/edge-cases-more.json",
          "signature_base_string",
          "GET",
          "http://example.com/a+b/c%2Bd?q=a+b",
          null,
          null,
          "dpf43f3p2l4k3l03",
          "nnch734d00sl2jdk",
          "HMAC-SHA1",
          "1700000000",
          "h0ld0utn0nce",
          null,
          null,
          "kd94hf93k423kf44",
          "pfkkdhi9sl3r4s00",
          "GET&http%3A%2F%2Fexample.com%2Fa%2Bb%2Fc%252Bd&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dh0ld0utn0nce%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dnnch734d00sl2jdk%26q%3Da%2520b",
          "GET&http%3A%2F%2Fexample.com%2Fa%2Bb%2Fc%2Bd&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dh0ld0utn0nce%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dnnch734d00sl2jdk%26q%3Da%2520b"),
      new Finding(
          "signs-oauth-signature",
          "wild-stale-signature-in-query",
          "vectors/in-the-wild.json",
          "signature_base_string",
          "GET",
          "https://api.example.com/p?a=1&oauth_signature=prev",
          null,
          null,
          "dpf43f3p2l4k3l03",
          "nnch734d00sl2jdk",
          "HMAC-SHA1",
          "1700000000",
          "w1ldn0nce",
          "1.0",
          null,
          "kd94hf93k423kf44",
          "pfkkdhi9sl3r4s00",
          "GET&https%3A%2F%2Fapi.example.com%2Fp&a%3D1%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dw1ldn0nce%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0",
          "GET&https%3A%2F%2Fapi.example.com%2Fp&a%3D1%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dw1ldn0nce%26oauth_signature%3Dprev%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0"));

  private GoogleOAuthClient() {}

  /** The library's HMAC-SHA1 signer, keeping the base string computeSignature passes it. */
  private static final class KeepingSigner implements OAuthSigner {
    private final OAuthHmacSigner library = new OAuthHmacSigner();
    String baseString;

    @Override
    public String getSignatureMethod() {
      return library.getSignatureMethod();
    }

    @Override
    public String computeSignature(String signatureBaseString) throws GeneralSecurityException {
      baseString = signatureBaseString;
      return library.computeSignature(signatureBaseString);
    }
  }

  static String libraryValue(Finding f) throws GeneralSecurityException {
    KeepingSigner signer = new KeepingSigner();
    signer.library.clientSharedSecret = f.consumerSecret();
    signer.library.tokenSharedSecret = f.tokenSecret();
    OAuthParameters parameters = new OAuthParameters();
    parameters.signer = signer;
    parameters.consumerKey = f.consumerKey();
    parameters.token = f.token();
    parameters.nonce = f.nonce();
    parameters.timestamp = f.timestamp();
    parameters.version = f.version();
    parameters.realm = f.realm();
    parameters.computeSignature(f.method(), new GenericUrl(f.url()));
    if (f.stage().equals("authorization_header realm")) {
      // The order of the header's parameters is not significant (RFC 5849 §3.5.1): the realm as written is the finding.
      Matcher realm = REALM.matcher(parameters.getAuthorizationHeader());
      return realm.find() ? realm.group() : "(no realm in " + parameters.getAuthorizationHeader() + ")";
    }
    return signer.baseString;
  }

  private static final Pattern REALM = Pattern.compile("realm=\"[^\"]*\"");

  public static void main(String[] args) throws GeneralSecurityException {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    String wanted = args.length == 1 ? args[0] : "";
    Finding f = FINDINGS.stream().filter(x -> x.finding().equals(wanted)).findFirst().orElse(null);
    if (f == null) {
      System.err.println("usage: GoogleOAuthClient FINDING (one of: "
          + FINDINGS.stream().map(Finding::finding).collect(Collectors.joining(", ")) + ")");
      System.exit(2);
    }
    String value = libraryValue(f);
    out.println("finding:  " + f.finding() + " (vector " + f.vector() + " in " + f.file() + ", " + f.stage() + ")");
    out.println("google-oauth-client: " + value);
    out.println("RFC 5849: " + f.rfc());
    if (f.rfc().equals(value)) {
      out.println("fixed: google-oauth-client now agrees with RFC 5849");
      System.exit(3);
    }
    if (!f.documented().equals(value)) {
      out.println("changed: the dossier documents " + f.documented());
      System.exit(4);
    }
    System.exit(0);
  }
}
