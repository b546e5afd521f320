// Standalone reproductions of the findings of Signpost (docs/findings/signpost/ and
// docs/findings/signpost-commonshttp4/): a consumer as Signpost's README and GettingStarted show,
// DefaultOAuthConsumer.sign(HttpURLConnection) for the "signpost" row and
// CommonsHttpOAuthConsumer.sign(an Apache HttpClient 4 request with the form body as its entity)
// for "signpost-commonshttp4", given the input's nonce, timestamp, version, other protocol
// parameters and realm through setAdditionalParameters (percent-encoded first with
// HttpParameters.put(name, value, true): its javadoc says it expects them encoded). What is
// compared: Signpost's own SignatureBaseString over the signed request and
// consumer.getRequestParameters() (the parameters it signed); for the header finding, the realm
// parameter of the Authorization header its AuthorizationHeaderSigningStrategy wrote (wrapped to
// keep it); for the crash, whether sign returns at all.
//
// Usage: java Signpost ROW/FINDING (built and launched by docs/findings/repro/java/build.sh)
// Exit: 0 still as documented, 3 agrees with RFC 5849 (retire the dossier), 4 a third value, 2 usage.

import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import oauth.signpost.AbstractOAuthConsumer;
import oauth.signpost.OAuth;
import oauth.signpost.basic.DefaultOAuthConsumer;
import oauth.signpost.commonshttp.CommonsHttpOAuthConsumer;
import oauth.signpost.http.HttpParameters;
import oauth.signpost.http.HttpRequest;
import oauth.signpost.signature.AuthorizationHeaderSigningStrategy;
import oauth.signpost.signature.HmacSha1MessageSigner;
import oauth.signpost.signature.PlainTextMessageSigner;
import oauth.signpost.signature.SignatureBaseString;
import oauth.signpost.signature.SigningStrategy;
import org.apache.http.client.methods.HttpEntityEnclosingRequestBase;
import org.apache.http.entity.ByteArrayEntity;

public final class Signpost {
  /**
   * A finding (ROW/QUIRK) and its smallest input (vector id and file, its request and secrets),
   * the stage compared, RFC 5849's value as the vector publishes it (for a generated input, recorded
   * in docs/findings/examples.json: the dossier's, from the harness's reference signer, which
   * oauthlib's signature functions agree with), and the value the dossier documents ("crashed" for
   * the crash).
   */
  record Finding(String finding, String vector, String file, String stage, String method, String url,
      String contentType, String body, String consumerKey, String token, String signatureMethod,
      String timestamp, String nonce, String version, String realm, Map<String, String> extra,
      String consumerSecret, String tokenSecret, String rfc, String documented) {}

  static final List<Finding> FINDINGS = List.of(
      new Finding(
          "signpost/collapses-duplicates-last-wins",
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
          "GET&http%3A%2F%2Fexample.com%2FSpace%2520Craft&name%3Dvalue%26oauth_consumer_key%3Dabcd%26oauth_nonce%3DIx4U1Ei3RFL%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1327384901%26oauth_token%3Dijkl%26oauth_version%3D1.0"),
      new Finding(
          "signpost-commonshttp4/collapses-duplicates-last-wins",
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
          "GET&http%3A%2F%2Fexample.com%2FSpace%2520Craft&name%3Dvalue%26oauth_consumer_key%3Dabcd%26oauth_nonce%3DIx4U1Ei3RFL%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1327384901%26oauth_token%3Dijkl%26oauth_version%3D1.0"),
      new Finding(
          "signpost-commonshttp4/method-not-uppercased",
          "lib-gomodule-method-host-case-port-443",
          "vectors/libraries-sign.json",
          "signature_base_string",
          "GeT",
          "https://apI.twItter.com:443/1/?page=10",
          null,
          null,
          "kMViZR2MHk2mM7hUNVw9A",
          "10212-JJ3Zc1A49qSMgdcAO2GMOpW9l7A348ESmhjmOBOU",
          "HMAC-SHA1",
          "1355795903",
          "8067e8abc6bdca2006818132445c8f4c",
          "1.0",
          null,
          Map.of(),
          "56Fgl58yOfqXOhHXX0ybvOmSnPQFvR2miYmm30A",
          "yF75mvq4LZMHj9O0DXwoC3ZxUnN1ptvieThYuOAYM",
          "GET&https%3A%2F%2Fapi.twitter.com%2F1%2F&oauth_consumer_key%3DkMViZR2MHk2mM7hUNVw9A%26oauth_nonce%3D8067e8abc6bdca2006818132445c8f4c%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1355795903%26oauth_token%3D10212-JJ3Zc1A49qSMgdcAO2GMOpW9l7A348ESmhjmOBOU%26oauth_version%3D1.0%26page%3D10",
          "GeT&https%3A%2F%2Fapi.twitter.com%2F1%2F&oauth_consumer_key%3DkMViZR2MHk2mM7hUNVw9A%26oauth_nonce%3D8067e8abc6bdca2006818132445c8f4c%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1355795903%26oauth_token%3D10212-JJ3Zc1A49qSMgdcAO2GMOpW9l7A348ESmhjmOBOU%26oauth_version%3D1.0%26page%3D10"),
      new Finding(
          "signpost-commonshttp4/percent-encodes-realm-in-header",
          "lib-ddo-put-form-repeated-name",
          "vectors/libraries-sign.json",
          "authorization_header realm",
          "PUT",
          "http://localhost:3737/rest/profiles/1ea2a42f-e14d-4057-8bcd-3e0b4514a267/properties?alt=json",
          "application/x-www-form-urlencoded",
          "currentbrowserversion=1&currentbrowserversion=5&currentbrowserversion=dfadfadfa",
          "batch-dbc2cd8c-6ca8-463b-96e2-6d8683eac6fd",
          null,
          "HMAC-SHA1",
          "1445951836",
          "tKOQtKan8PHIrIoOlrl17zHkZQ2H5CsP",
          "1.0",
          "https://ddo.me/",
          Map.of(),
          "4S4Rvm25CJZWv7HBg5HOhhlRTBSZ7npl",
          null,
          "realm=\"https://ddo.me/\"",
          "realm=\"https%3A%2F%2Fddo.me%2F\""),
      new Finding(
          "signpost-commonshttp4/drops-empty-body-values",
          "rfc5849-3.4.1-hmac-sha1-with-version",
          "vectors/rfc5849.json",
          "signature_base_string",
          "POST",
          "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b",
          "application/x-www-form-urlencoded",
          "c2&a3=2+q",
          "9djdj82h48djs9d2",
          "kkk9d7dh3k39sjv7",
          "HMAC-SHA1",
          "137131201",
          "7d8f3e4a",
          "1.0",
          "Example",
          Map.of(),
          "j49sk3j29djd",
          "dh893hdasih9",
          "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7%26oauth_version%3D1.0",
          "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26b5%3D%253D%25253D%26c%2540%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7%26oauth_version%3D1.0"),
      new Finding(
          "signpost/panics-on-input",
          "lib-gomodule-raw-slash-in-query",
          "vectors/libraries-sign.json",
          "signature",
          "POST",
          "https://stream.twitter.com/1.1/statuses/filter.json?track=example.com/query",
          "application/x-www-form-urlencoded",
          "",
          "consumer_key",
          "token",
          "HMAC-SHA1",
          "1362435218",
          "884275759fbab914654b50ae643c563a",
          "1.0",
          null,
          Map.of(),
          "consumer_secret",
          "secret",
          "OAldqvRrKDXRGZ9BqSi2CqeVH0g=",
          "crashed"),
      new Finding(
          "signpost-commonshttp4/drops-empty-values",
          "generated:1481179142",
          "docs/findings/examples.json",
          "signature_base_string",
          "GET",
          "http://api.example.com",
          "application/x-www-form-urlencoded",
          "a",
          "dpf43f3p2l4k3l03",
          "t%k n",
          "PLAINTEXT",
          "1700000000",
          "kllo9940pd9333jh",
          "1.0",
          null,
          Map.of(),
          "0a",
          "\u1f600?'",
          "GET&http%3A%2F%2Fapi.example.com%2F&a%3D%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DPLAINTEXT%26oauth_timestamp%3D1700000000%26oauth_token%3Dt%2525k%2520n%26oauth_version%3D1.0",
          "GET&http%3A%2F%2Fapi.example.com%2F&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DPLAINTEXT%26oauth_timestamp%3D1700000000%26oauth_token%3Dt%2525k%2520n%26oauth_version%3D1.0"),
      new Finding(
          "signpost-commonshttp4/form-content-type-case-sensitive",
          "generated:1481179144",
          "docs/findings/examples.json",
          "signature_base_string",
          "GET",
          "http://api.example.com",
          "Application/X-WWW-Form-URLEncoded",
          "a=",
          "dpf43f3p2l4k3l03",
          null,
          "HMAC-SHA1",
          "137131201",
          "7d8f3e4a",
          "1.0",
          null,
          Map.of(),
          "",
          null,
          "GET&http%3A%2F%2Fapi.example.com%2F&a%3D%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_version%3D1.0",
          "GET&http%3A%2F%2Fapi.example.com%2F&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_version%3D1.0"),
      new Finding(
          "signpost-commonshttp4/ignores-query",
          "generated:1481179580",
          "docs/findings/examples.json",
          "signature_base_string",
          "POST",
          "https://[::1]:8443/@/?a1=vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv&z=%e2%82%ac",
          "application/x-www-form-urlencoded; charset=utf-8",
          "a1=&z=%21%2F%21%2F_&z=%21%2F%21%2F_2",
          "dpf43f3p2l4k3l03",
          null,
          "PLAINTEXT",
          "1191242096",
          "kllo9940pd9333jh",
          "1.0",
          null,
          Map.of(),
          "-/\u00e9/",
          null,
          "POST&https%3A%2F%2F%5B%3A%3A1%5D%3A8443%2F%40%2F&a1%3D%26a1%3Dvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DPLAINTEXT%26oauth_timestamp%3D1191242096%26oauth_version%3D1.0%26z%3D%2521%252F%2521%252F_%26z%3D%2521%252F%2521%252F_2%26z%3D%25E2%2582%25AC",
          "POST&https%3A%2F%2F%5B%3A%3A1%5D%3A8443%2F%40%2F&a1%3D%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DPLAINTEXT%26oauth_timestamp%3D1191242096%26oauth_version%3D1.0%26z%3D%2521%252F%2521%252F_%26z%3D%2521%252F%2521%252F_2"),
      new Finding(
          "signpost-commonshttp4/query-overrides-body",
          "generated:1481179462",
          "docs/findings/examples.json",
          "signature_base_string",
          "GET",
          "HTTPS://api.example.com:443/%2F?a1=vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv&a1=&filter%5B0%5D%5Bid%5D=&a-b=%E2%82%ACa",
          "application/x-www-form-urlencoded",
          "A=_%3Fb%3F&filter[0][id]=&filter[0][id]=&c=",
          "dpf43f3p2l4k3l03",
          null,
          "HMAC-SHA1",
          "1191242096",
          "chapoH",
          "1.0",
          "Example",
          Map.of("oauth_callback", "http://printer.example.com/ready?x=1&y=2"),
          "-= ?/",
          null,
          "GET&https%3A%2F%2Fapi.example.com%2F%252F&A%3D_%253Fb%253F%26a-b%3D%25E2%2582%25ACa%26a1%3D%26a1%3Dvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv%26c%3D%26filter%255B0%255D%255Bid%255D%3D%26filter%255B0%255D%255Bid%255D%3D%26filter%255B0%255D%255Bid%255D%3D%26oauth_callback%3Dhttp%253A%252F%252Fprinter.example.com%252Fready%253Fx%253D1%2526y%253D2%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3DchapoH%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_version%3D1.0",
          "GET&https%3A%2F%2Fapi.example.com%2F%252F&A%3D_%253Fb%253F%26a-b%3D%25E2%2582%25ACa%26a1%3D%26a1%3Dvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv%26c%3D%26filter%255B0%255D%255Bid%255D%3D%26oauth_callback%3Dhttp%253A%252F%252Fprinter.example.com%252Fready%253Fx%253D1%2526y%253D2%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3DchapoH%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_version%3D1.0"),
      new Finding(
          "signpost-commonshttp4/drops-valueless-query-parameters",
          "generated:1481179208",
          "docs/findings/examples.json",
          "signature_base_string",
          "POST",
          "HTTPS://[::1]:80?A&a-b=",
          "application/xml",
          "<a t=\"1\">0\u1f600%</a>",
          "dpf43f3p2l4k3l03",
          null,
          "HMAC-SHA1",
          "137131201",
          "chapoH",
          "1.0",
          "Example",
          Map.of("oauth_callback", "http://printer.example.com/ready?x=1&y=2"),
          " ",
          null,
          "POST&https%3A%2F%2F%5B%3A%3A1%5D%3A80%2F&A%3D%26a-b%3D%26oauth_callback%3Dhttp%253A%252F%252Fprinter.example.com%252Fready%253Fx%253D1%2526y%253D2%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3DchapoH%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_version%3D1.0",
          "POST&https%3A%2F%2F%5B%3A%3A1%5D%3A80%2F&a-b%3D%26oauth_callback%3Dhttp%253A%252F%252Fprinter.example.com%252Fready%253Fx%253D1%2526y%253D2%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3DchapoH%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_version%3D1.0"),
      new Finding(
          "signpost-commonshttp4/empty-value-replaced-by-repeat",
          "generated:1481179157",
          "docs/findings/examples.json",
          "signature_base_string",
          "GET",
          "http://api.example.com?a1=&a1=",
          "text/plain",
          "{\"t\":\"=.\"}",
          "dpf43f3p2l4k3l03",
          null,
          "HMAC-SHA1",
          "1191242096",
          "7d8f3e4a",
          "1.0",
          null,
          Map.of(),
          "1\u00fc~",
          null,
          "GET&http%3A%2F%2Fapi.example.com%2F&a1%3D%26a1%3D%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_version%3D1.0",
          "GET&http%3A%2F%2Fapi.example.com%2F&a1%3D%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_version%3D1.0"),
      new Finding(
          "signpost/drops-valueless-query-parameters",
          "generated:1481179159",
          "docs/findings/examples.json",
          "signature_base_string",
          "GET",
          "http://api.example.com?a",
          null,
          null,
          "dpf43f3p2l4k3l03",
          null,
          "HMAC-SHA1",
          "1191242096",
          "kllo9940pd9333jh",
          "1.0",
          null,
          Map.of(),
          "-%",
          null,
          "GET&http%3A%2F%2Fapi.example.com%2F&a%3D%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_version%3D1.0",
          "GET&http%3A%2F%2Fapi.example.com%2F&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_version%3D1.0"),
      new Finding(
          "signpost/percent-encodes-realm-in-header",
          "generated:1481179137",
          "docs/findings/examples.json",
          "authorization_header realm",
          "GET",
          "http://api.example.com",
          null,
          null,
          "dpf43f3p2l4k3l03",
          null,
          "HMAC-SHA1",
          "137131201",
          "7d8f3e4a",
          "1.0",
          "http://sp.example.com/",
          Map.of(),
          "",
          null,
          "realm=\"http://sp.example.com/\"",
          "realm=\"http%3A%2F%2Fsp.example.com%2F\""),
      new Finding(
          "signpost/empty-value-replaced-by-repeat",
          "generated:1481179157",
          "docs/findings/examples.json",
          "signature_base_string",
          "GET",
          "http://api.example.com?a1=&a1=",
          null,
          null,
          "dpf43f3p2l4k3l03",
          null,
          "HMAC-SHA1",
          "1191242096",
          "7d8f3e4a",
          "1.0",
          null,
          Map.of(),
          "1\u00fc~",
          null,
          "GET&http%3A%2F%2Fapi.example.com%2F&a1%3D%26a1%3D%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_version%3D1.0",
          "GET&http%3A%2F%2Fapi.example.com%2F&a1%3D%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_version%3D1.0"));

  private static final Pattern REALM = Pattern.compile("realm=\"[^\"]*\"");

  private Signpost() {}

  /** An HttpClient 4 request of any method that carries an entity (HttpRequestBase's extension point). */
  private static final class AnyMethodRequest extends HttpEntityEnclosingRequestBase {
    private final String method;

    AnyMethodRequest(String method, URI uri) {
      this.method = method;
      setURI(uri);
    }

    @Override
    public String getMethod() {
      return method;
    }
  }

  /**
   * Signpost's default signing strategy, keeping the header it writes: HttpURLConnection does not
   * give an Authorization header back (getRequestProperty hides it).
   */
  private static final class KeepingStrategy implements SigningStrategy {
    private static final long serialVersionUID = 1L;
    private final AuthorizationHeaderSigningStrategy library = new AuthorizationHeaderSigningStrategy();
    String header;

    @Override
    public String writeSignature(String signature, HttpRequest request, HttpParameters parameters) {
      header = library.writeSignature(signature, request, parameters);
      return header;
    }
  }

  private static Object request(Finding f, boolean urlConnection) throws Exception {
    if (urlConnection) {
      HttpURLConnection connection = (HttpURLConnection) new URL(f.url()).openConnection();
      connection.setRequestMethod(f.method());
      if (f.contentType() != null) {
        connection.setRequestProperty("Content-Type", f.contentType());
      }
      return connection;
    }
    AnyMethodRequest request = new AnyMethodRequest(f.method(), new URI(f.url()));
    if (f.body() != null) {
      ByteArrayEntity entity = new ByteArrayEntity(f.body().getBytes(StandardCharsets.UTF_8));
      entity.setContentType(f.contentType());
      request.setEntity(entity);
    }
    return request;
  }

  static String libraryValue(Finding f) throws Exception {
    boolean urlConnection = f.finding().startsWith("signpost/");
    AbstractOAuthConsumer consumer = urlConnection
        ? new DefaultOAuthConsumer(f.consumerKey(), f.consumerSecret())
        : new CommonsHttpOAuthConsumer(f.consumerKey(), f.consumerSecret());
    consumer.setMessageSigner(f.signatureMethod().equals("PLAINTEXT") ? new PlainTextMessageSigner() : new HmacSha1MessageSigner());
    if (f.token() != null) {
      consumer.setTokenWithSecret(f.token(), f.tokenSecret());
    }
    HttpParameters additional = new HttpParameters();
    additional.put(OAuth.OAUTH_NONCE, f.nonce(), true);
    additional.put(OAuth.OAUTH_TIMESTAMP, f.timestamp(), true);
    additional.put(OAuth.OAUTH_VERSION, f.version(), true);
    for (Map.Entry<String, String> parameter : f.extra().entrySet()) {
      additional.put(parameter.getKey(), parameter.getValue(), true);
    }
    if (f.realm() != null) {
      additional.put("realm", f.realm(), true);
    }
    consumer.setAdditionalParameters(additional);
    KeepingStrategy strategy = new KeepingStrategy();
    consumer.setSigningStrategy(strategy);
    Object request = request(f, urlConnection);
    HttpRequest signed;
    try {
      signed = consumer.sign(request);
    } catch (RuntimeException e) {
      // No exception of Signpost's API (OAuthException) but an unchecked one from inside it.
      return "crashed (" + e + ")";
    }
    if (f.stage().equals("signature")) {
      return consumer.getRequestParameters().getFirst(OAuth.OAUTH_SIGNATURE, true);
    }
    if (f.stage().equals("authorization_header realm")) {
      // The order of the header's parameters is not significant (RFC 5849 §3.5.1): the realm as written is the finding.
      Matcher realm = REALM.matcher(strategy.header);
      return realm.find() ? realm.group() : "(no realm in " + strategy.header + ")";
    }
    return new SignatureBaseString(signed, consumer.getRequestParameters()).generate();
  }

  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    String wanted = args.length == 1 ? args[0] : "";
    Finding f = FINDINGS.stream().filter(x -> x.finding().equals(wanted)).findFirst().orElse(null);
    if (f == null) {
      System.err.println("usage: Signpost ROW/FINDING (one of: "
          + FINDINGS.stream().map(Finding::finding).collect(Collectors.joining(", ")) + ")");
      System.exit(2);
    }
    String value = libraryValue(f);
    out.println("finding:  " + f.finding() + " (vector " + f.vector() + " in " + f.file() + ", " + f.stage() + ")");
    out.println("Signpost: " + value);
    out.println("RFC 5849: " + f.rfc());
    if (f.rfc().equals(value)) {
      out.println("fixed: Signpost now agrees with RFC 5849");
      System.exit(3);
    }
    boolean documented = f.documented().equals("crashed") ? value.startsWith("crashed") : f.documented().equals(value);
    if (!documented) {
      out.println("changed: the dossier documents " + f.documented());
      System.exit(4);
    }
    System.exit(0);
  }
}
