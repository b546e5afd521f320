// Standalone reproductions of the findings of google-oauth-client (docs/findings/google-oauth-client/):
// an OAuthParameters with its fields set, as the library's javadoc shows (signer, consumerKey, token,
// nonce, timestamp, version, realm, callback, verifier), then computeSignature(method, new
// GenericUrl(url)) and getAuthorizationHeader() (whose realm parameter is compared for the header
// finding), on each finding's smallest input. The signature base string is the argument
// computeSignature hands its OAuthSigner: the library exposes it nowhere else, so the library's
// OAuthHmacSigner or OAuthRsaSigner is wrapped in an OAuthSigner (its own interface) that keeps it.
//
// Usage: java GoogleOAuthClient FINDING (built and launched by docs/findings/repro/java/build.sh)
// Exit: 0 still as documented, 3 agrees with RFC 5849 (retire the dossier), 4 a third value, 2 usage.

import com.google.api.client.auth.oauth.OAuthHmacSigner;
import com.google.api.client.auth.oauth.OAuthParameters;
import com.google.api.client.auth.oauth.OAuthRsaSigner;
import com.google.api.client.auth.oauth.OAuthSigner;
import com.google.api.client.http.GenericUrl;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

public final class GoogleOAuthClient {
  /**
   * A finding's smallest input (vector id and file, its request and secrets), the stage compared,
   * RFC 5849's value as the vector publishes it (for a generated input, recorded in
   * docs/findings/examples.json: the dossier's, from the harness's reference signer, which oauthlib's
   * signature functions agree with), and the value the dossier documents. The library
   * takes no body (computeSignature(method, url)), so contentType and body are shown, not passed.
   */
  record Finding(String finding, String vector, String file, String stage, String method, String url,
      String contentType, String body, String consumerKey, String token, String signatureMethod,
      String timestamp, String nonce, String version, String realm, Map<String, String> extra,
      String consumerSecret, String tokenSecret, String rfc, String documented) {}

  static final List<Finding> FINDINGS = List.of(
      new Finding(
          "collapses-duplicates-last-wins",
          "lib-gomodule-space-in-path-duplicate-pairs",
          "vectors/libraries-sign.json",
          "signature_base_string",
          "GET",
          "http://EXAMPLE.COM:80/Space%20Craft?name=value&name=value",
          null,
          null,
          "abcd",
          "ijkl",
          "HMAC-SHA1",
          "1327384901",
          "Ix4U1Ei3RFL",
          "1.0",
          null,
          Map.of(),
          "efgh",
          "mnop",
          "GET&http%3A%2F%2Fexample.com%2FSpace%2520Craft&name%3Dvalue%26name%3Dvalue%26oauth_consumer_key%3Dabcd%26oauth_nonce%3DIx4U1Ei3RFL%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1327384901%26oauth_token%3Dijkl%26oauth_version%3D1.0",
          "GET&http%3A%2F%2FEXAMPLE.COM%2FSpace%2520Craft&name%3Dvalue%26oauth_consumer_key%3Dabcd%26oauth_nonce%3DIx4U1Ei3RFL%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1327384901%26oauth_token%3Dijkl%26oauth_version%3D1.0"),
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
          Map.of(),
          "kd94hf93k423kf44",
          "pfkkdhi9sl3r4s00",
          "POST&https%3A%2F%2Fexample.com%2Fr&a%3D1%26b%3D2%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk",
          "POST&https%3A%2F%2Fexample.com%2Fr&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk"),
      new Finding(
          "lossy-utf8-decoding",
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
          Map.of(),
          "kd94hf93k423kf44",
          "pfkkdhi9sl3r4s00",
          "GET&https%3A%2F%2Fexample.com%2Fr&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26v%3D%25FF%25FE",
          "GET&https%3A%2F%2Fexample.com%2Fr&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26v%3D%25EF%25BF%25BD%25EF%25BF%25BD"),
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
          Map.of(),
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
          Map.of(),
          "kd94hf93k423kf44",
          "pfkkdhi9sl3r4s00",
          "GET&http%3A%2F%2Fexample.com%2F&n%3Dv%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk",
          "GET&http%3A%2F%2Fexample.com&n%3Dv%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk"),
      new Finding(
          "decodes-unreserved-path-escapes",
          "generated:1481179146",
          "docs/findings/examples.json",
          "signature_base_string",
          "GET",
          "http://api.example.com/%7e",
          null,
          null,
          "dpf43f3p2l4k3l03",
          null,
          "HMAC-SHA1",
          "137131201",
          "7d8f3e4a",
          null,
          null,
          Map.of(),
          "",
          null,
          "GET&http%3A%2F%2Fapi.example.com%2F%257e&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201",
          "GET&http%3A%2F%2Fapi.example.com%2F~&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201"),
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
          Map.of(),
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
          Map.of(),
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
          Map.of(),
          "kd94hf93k423kf44",
          "pfkkdhi9sl3r4s00",
          "GET&https%3A%2F%2Fapi.example.com%2FPath%2FTo&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk",
          "GET&https%3A%2F%2FAPI.Example.COM%2FPath%2FTo&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk"),
      new Finding(
          "decodes-pchar-path-escapes",
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
          Map.of(),
          "kd94hf93k423kf44",
          "pfkkdhi9sl3r4s00",
          "GET&https%3A%2F%2Fexample.com%2F%257Euser%2Fa%252Db&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk",
          "GET&https%3A%2F%2Fexample.com%2F~user%2Fa-b&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk"),
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
          Map.of(),
          "kd94hf93k423kf44",
          "pfkkdhi9sl3r4s00",
          "GET&https%3A%2F%2Fapi.example.com%2Fp&a%3D1%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dw1ldn0nce%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0",
          "GET&https%3A%2F%2Fapi.example.com%2Fp&a%3D1%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dw1ldn0nce%26oauth_signature%3Dprev%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0"),
      new Finding(
          "drops-valueless-query-parameters",
          "generated:1481180298",
          "docs/findings/examples.json",
          "signature_base_string",
          "GET",
          "https://xn--bcher-kva.example:443/%2F/%C3%BC?a-b&n%3F0%25-=_1~&c=&a-b=&c=2",
          null,
          null,
          "dpf43f3p2l4k3l03",
          "kkk9d7dh3k39sjv7",
          "RSA-SHA1",
          "1700000000",
          "7d8f3e4a",
          null,
          "http://sp.example.com/",
          Map.of("oauth_callback", "oob"),
          "&",
          "*'*!",
          "GET&https%3A%2F%2Fxn--bcher-kva.example%2F%252F%2F%25C3%25BC&a-b%3D%26a-b%3D%26c%3D%26c%3D2%26n%253F0%2525-%3D_1~%26oauth_callback%3Doob%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DRSA-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dkkk9d7dh3k39sjv7",
          "GET&https%3A%2F%2Fxn--bcher-kva.example%2F%252F%2F%25C3%25BC&a-b%3D%26c%3D%26c%3D2%26n%253F0%2525-%3D_1~%26oauth_callback%3Doob%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DRSA-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dkkk9d7dh3k39sjv7"),
      new Finding(
          "empty-value-replaced-by-repeat",
          "generated:1481179416",
          "docs/findings/examples.json",
          "signature_base_string",
          "GET",
          "https://[::1]:8443/?a-b&a-b=&a%5B%5D=Z%C3%A9&z=&a%5B%5D=Z%C3%A92",
          "application/x-www-form-urlencoded; charset=utf-8",
          "",
          "dpf43f3p2l4k3l03",
          "nnch734d00sl2jdk",
          "HMAC-SHA1",
          "1191242096",
          "kllo9940pd9333jh",
          "1.0",
          "Photos",
          Map.of("oauth_callback", "oob"),
          "\ud83d\ude00_\ud83d\ude00",
          "\u00fc&_~&",
          "GET&https%3A%2F%2F%5B%3A%3A1%5D%3A8443%2F&a%255B%255D%3DZ%25C3%25A9%26a%255B%255D%3DZ%25C3%25A92%26a-b%3D%26a-b%3D%26oauth_callback%3Doob%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26z%3D",
          "GET&https%3A%2F%2F%5B%3A%3A1%5D%3A8443%2F&a%255B%255D%3DZ%25C3%25A9%26a%255B%255D%3DZ%25C3%25A92%26a-b%3D%26oauth_callback%3Doob%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26z%3D"));

  private GoogleOAuthClient() {}

  /**
   * The RSA test key of the harness's generated cases (crates/conformance/data/generator-rsa-1024.pem,
   * test data, not a secret), as the PKCS#8 DER that java.security reads.
   */
  private static final String GENERATOR_RSA_KEY_PKCS8 =
      "MIICdgIBADANBgkqhkiG9w0BAQEFAASCAmAwggJcAgEAAoGBALSD0a4WUvEPNPzsDTcvxjqe+iVNEpGWLXa6G2PTnMQGZVzlf0Q+sxcAj+WCUGFR6ldPjOqI53hmHMZEd6Sb2l+FU57DFjJcO06kdLTQgXRkjEk/9t5P5RTZb9f17bseJsIxw+5yT9JdnqfIlxU3juh0nIiWGEVfWqyVUuHFFDElAgMBAAECgYB5tWL7iGu1wnYMja8/ZUO3JJct7TA23tWadlKfVP8en91Z7BaJ0eh3+tYKfXlqlIt3ANjXDSVb5SVDfMhaQQbTPA43flmOuohUntuWVmJ/3H0QX3DLa8xyHBBDhDfr5ny2Nszzk12dKkmjZLEcgCOV7GAx/WlIQexEypNMeakuwQJBAOXeWjjp2KGn8kYTKsWZsJTbDozbsLl3yonZIKBeEaD62HkcOo/emavdNxiAJJU3XprRA4MOT7IHey1oKk1jthUCQQDJCSyTBQvqPShV69SSNAkhnRj0fEpfUzy3XF2ooeq42PH076UY+FvkC3vVLs7uevutUqz3HkAp5SDslULptuLRAkB3YxLM+HdxDn9AcfgHBRm3VkaqVfflfBgPnFvbrr/NMjt4O3cW/fAmWRCigvt9HHLgSapfSPGPb19EaBOAekc5AkA2w64F2uEVDVX4mgbNUSmPo5kRuO4Vq7olhR7qejlT451+CO5jr/xwUgSI3Xh3lL8MxzHhG7eE8isW585TloORAkEAjqVATLLaaQzkSPXHrkdcCLlR6Rva+fmTVyIIy4AKm4pX6wWMFIoM9Arb46CP54sXL8yFLfNoC1chG6ykyFOJ+g==";

  /** The library's signer for the finding's method, keeping the base string computeSignature passes it. */
  private static final class KeepingSigner implements OAuthSigner {
    private final OAuthSigner library;
    String baseString;

    KeepingSigner(OAuthSigner library) {
      this.library = library;
    }

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

  static OAuthSigner librarySigner(Finding f) throws GeneralSecurityException {
    if (f.signatureMethod().equals("RSA-SHA1")) {
      OAuthRsaSigner rsa = new OAuthRsaSigner();
      rsa.privateKey = KeyFactory.getInstance("RSA")
          .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(GENERATOR_RSA_KEY_PKCS8)));
      return rsa;
    }
    OAuthHmacSigner hmac = new OAuthHmacSigner();
    hmac.clientSharedSecret = f.consumerSecret();
    hmac.tokenSharedSecret = f.tokenSecret();
    return hmac;
  }

  static String libraryValue(Finding f) throws GeneralSecurityException {
    KeepingSigner signer = new KeepingSigner(librarySigner(f));
    OAuthParameters parameters = new OAuthParameters();
    parameters.signer = signer;
    parameters.consumerKey = f.consumerKey();
    parameters.token = f.token();
    parameters.nonce = f.nonce();
    parameters.timestamp = f.timestamp();
    parameters.version = f.version();
    parameters.realm = f.realm();
    // OAuthParameters has a field for each protocol parameter it sends: oauth_callback and oauth_verifier.
    parameters.callback = f.extra().get("oauth_callback");
    parameters.verifier = f.extra().get("oauth_verifier");
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
