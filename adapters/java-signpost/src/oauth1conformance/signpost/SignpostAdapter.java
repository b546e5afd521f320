package oauth1conformance.signpost;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ProtocolException;
import java.net.URI;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import oauth.signpost.AbstractOAuthConsumer;
import oauth.signpost.OAuth;
import oauth.signpost.basic.DefaultOAuthConsumer;
import oauth.signpost.commonshttp.CommonsHttpOAuthConsumer;
import oauth.signpost.http.HttpParameters;
import oauth.signpost.http.HttpRequest;
import oauth.signpost.signature.AuthorizationHeaderSigningStrategy;
import oauth.signpost.signature.HmacSha1MessageSigner;
import oauth.signpost.signature.OAuthMessageSigner;
import oauth.signpost.signature.PlainTextMessageSigner;
import oauth.signpost.signature.SignatureBaseString;
import oauth.signpost.signature.SigningStrategy;
import oauth1conformance.adapter.AdapterProtocol;
import oauth1conformance.adapter.AdapterProtocol.Crashed;
import oauth1conformance.adapter.AdapterProtocol.Rejected;
import oauth1conformance.adapter.AdapterProtocol.Unsupported;
import org.apache.http.client.methods.HttpEntityEnclosingRequestBase;
import org.apache.http.entity.ByteArrayEntity;

/**
 * Signpost (Debian liboauth-signpost-java) behind the oauth1-conformance adapter protocol, version
 * 1 (adapters/PROTOCOL.md). Two rows, one JVM each: "signpost" signs a java.net.HttpURLConnection
 * with DefaultOAuthConsumer, as Signpost's README does; "signpost-commonshttp4" signs an Apache
 * HttpClient 4 request with CommonsHttpOAuthConsumer (signpost-commonshttp4), the module its docs
 * send form bodies to. See README.md for which call produces each stage.
 */
public final class SignpostAdapter {
  private static final String FORM = "application/x-www-form-urlencoded";

  /** The methods HttpURLConnection.setRequestMethod accepts (its javadoc lists them). */
  private static final String URL_CONNECTION_METHODS = "GET POST HEAD OPTIONS PUT DELETE TRACE";

  /**
   * The methods HttpURLConnection sends without a body: getOutputStream turns a GET into a POST
   * ("Backward compatibility") and refuses output for TRACE over http
   * (sun.net.www.protocol.http.HttpURLConnection.getOutputStream0). The generator draws no TRACE,
   * so only GET is declared as a limit; the adapter refuses both.
   */
  private static boolean bodiless(String method, String url) {
    return method.equals("GET") || (method.equals("TRACE") && url.regionMatches(true, 0, "http:", 0, 5));
  }

  private final boolean urlConnection;

  private SignpostAdapter(boolean urlConnection) {
    this.urlConnection = urlConnection;
  }

  /** The signing strategy Signpost uses by default, recording what it is given and writes. */
  private static final class RecordingStrategy implements SigningStrategy {
    private static final long serialVersionUID = 1L;
    private final AuthorizationHeaderSigningStrategy library = new AuthorizationHeaderSigningStrategy();
    String signature;
    String header;

    @Override
    public String writeSignature(String signature, HttpRequest request, HttpParameters parameters) {
      this.signature = signature;
      this.header = library.writeSignature(signature, request, parameters);
      return header;
    }
  }

  /** An HttpClient 4 request of any method that may carry an entity (HttpRequestBase's extension point). */
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

  /** Whether a Content-Type names a form, as HTTP compares media types (case-insensitive, parameters allowed). */
  private static boolean isForm(String contentType) {
    if (contentType == null) {
      return false;
    }
    String type = contentType.split(";", 2)[0].trim();
    return type.equalsIgnoreCase(FORM);
  }

  private static OAuthMessageSigner messageSigner(String method) throws Unsupported {
    switch (method) {
      case "HMAC-SHA1":
        return new HmacSha1MessageSigner();
      case "PLAINTEXT":
        return new PlainTextMessageSigner();
      default:
        throw new Unsupported("Signpost 1.2.1.2 has no " + method + " message signer");
    }
  }

  /**
   * The protocol parameters the consumer is given: Signpost's setAdditionalParameters, which it
   * puts first and "expects to already be percent encoded" (OAuthConsumer javadoc), so they go in
   * through HttpParameters.put(name, value, true), the library's own encoder. Its
   * completeOAuthParameters adds only what is missing: a timestamp, a nonce, oauth_version=1.0.
   */
  private static HttpParameters additionalParameters(JsonObject oauth) throws Unsupported {
    String nonce = AdapterProtocol.string(oauth, "nonce");
    String timestamp = AdapterProtocol.string(oauth, "timestamp");
    if (nonce == null || timestamp == null) {
      throw new Unsupported("Signpost adds a generated oauth_nonce and oauth_timestamp when none is given; they cannot be omitted");
    }
    HttpParameters parameters = new HttpParameters();
    parameters.put(OAuth.OAUTH_NONCE, nonce, true);
    parameters.put(OAuth.OAUTH_TIMESTAMP, timestamp, true);
    String version = AdapterProtocol.string(oauth, "version");
    if (version != null) {
      parameters.put(OAuth.OAUTH_VERSION, version, true);
    }
    for (Map.Entry<String, JsonElement> extra : AdapterProtocol.object(oauth, "extra").entrySet()) {
      parameters.put(extra.getKey(), extra.getValue().getAsString(), true);
    }
    // AuthorizationHeaderSigningStrategy writes a "realm" parameter first in the header, and
    // SignatureBaseString leaves it out of the signed parameters.
    String realm = AdapterProtocol.string(oauth, "realm");
    if (realm != null) {
      parameters.put("realm", realm, true);
    }
    return parameters;
  }

  /** The request as the HTTP layer of this row holds it, before signing. */
  private Object httpRequest(JsonObject request) throws Rejected, Unsupported, Crashed {
    String method = AdapterProtocol.string(request, "method");
    String url = AdapterProtocol.string(request, "url");
    String contentType = AdapterProtocol.string(request, "content_type");
    String body = AdapterProtocol.string(request, "body");
    if (urlConnection) {
      // Signpost's GettingStarted: "When using HttpURLConnection, you cannot sign POST requests
      // that carry query parameters in the message payload": the body is written after signing.
      if (isForm(contentType) && body != null && !body.isEmpty()) {
        throw new Unsupported("Signpost cannot sign the form body of an HttpURLConnection request (docs/GettingStarted.md)");
      }
      if (body != null && !body.isEmpty() && bodiless(method, url)) {
        throw new Unsupported("HttpURLConnection sends no body with " + method + " (getOutputStream turns GET into POST, refuses TRACE)");
      }
      URLConnection connection = AdapterProtocol.library("new URL(url).openConnection()", () -> new URL(url).openConnection());
      if (!(connection instanceof HttpURLConnection)) {
        throw new Unsupported("the URL's scheme opens no HttpURLConnection: " + connection.getClass().getName());
      }
      HttpURLConnection http = (HttpURLConnection) connection;
      try {
        http.setRequestMethod(method);
      } catch (ProtocolException e) {
        throw new Unsupported("HttpURLConnection.setRequestMethod accepts only " + URL_CONNECTION_METHODS + ": " + e.getMessage());
      }
      if (contentType != null) {
        http.setRequestProperty("Content-Type", contentType);
      }
      return http;
    }
    URI uri = AdapterProtocol.library("new URI(url)", () -> new URI(url));
    AnyMethodRequest http = new AnyMethodRequest(method, uri);
    if (body != null) {
      ByteArrayEntity entity = new ByteArrayEntity(body.getBytes(StandardCharsets.UTF_8));
      entity.setContentType(contentType);
      http.setEntity(entity);
    }
    return http;
  }

  private JsonObject sign(JsonObject message) throws Rejected, Unsupported, Crashed {
    JsonObject request = AdapterProtocol.object(message, "request");
    JsonObject oauth = AdapterProtocol.object(message, "oauth");
    JsonObject secrets = AdapterProtocol.object(message, "secrets");
    if (AdapterProtocol.flag(oauth, "compute_body_hash")) {
      throw new Unsupported("Signpost has no oauth_body_hash");
    }
    OAuthMessageSigner signer = messageSigner(AdapterProtocol.string(oauth, "signature_method"));
    HttpParameters additional = additionalParameters(oauth);
    String consumerSecret = AdapterProtocol.string(secrets, "consumer_secret");
    String key = AdapterProtocol.string(oauth, "consumer_key");
    AbstractOAuthConsumer consumer = urlConnection
        ? new DefaultOAuthConsumer(key, consumerSecret == null ? "" : consumerSecret)
        : new CommonsHttpOAuthConsumer(key, consumerSecret == null ? "" : consumerSecret);
    consumer.setMessageSigner(signer);
    String token = AdapterProtocol.string(oauth, "token");
    if (token != null) {
      String tokenSecret = AdapterProtocol.string(secrets, "token_secret");
      consumer.setTokenWithSecret(token, tokenSecret == null ? "" : tokenSecret);
      // Signpost leaves an empty oauth_token out unless told to send it (setSendEmptyTokens).
      consumer.setSendEmptyTokens(token.isEmpty());
    }
    consumer.setAdditionalParameters(additional);
    RecordingStrategy strategy = new RecordingStrategy();
    consumer.setSigningStrategy(strategy);
    Object http = httpRequest(request);

    HttpRequest signed = AdapterProtocol.library("consumer.sign(request)", () -> consumer.sign(http));
    HttpParameters used = consumer.getRequestParameters();
    SignatureBaseString base = new SignatureBaseString(signed, used);
    JsonObject trace = new JsonObject();
    trace.addProperty("normalized_parameters", AdapterProtocol.library("SignatureBaseString.normalizeRequestParameters", base::normalizeRequestParameters));
    trace.addProperty("base_string_uri", AdapterProtocol.library("SignatureBaseString.normalizeRequestUrl", base::normalizeRequestUrl));
    trace.addProperty("signature_base_string", AdapterProtocol.library("SignatureBaseString.generate", base::generate));
    trace.addProperty("signature", strategy.signature);
    trace.addProperty("authorization_header", strategy.header);
    JsonObject result = new JsonObject();
    result.add("trace", trace);
    return result;
  }

  private JsonObject capabilities() {
    JsonObject capabilities = new JsonObject();
    JsonArray operations = new JsonArray();
    operations.add("sign");
    capabilities.add("operations", operations);
    JsonArray methods = new JsonArray();
    methods.add("HMAC-SHA1");
    methods.add("PLAINTEXT");
    capabilities.add("signature_methods", methods);
    JsonArray stages = new JsonArray();
    for (String stage : new String[] {"normalized_parameters", "base_string_uri", "signature_base_string", "signature", "authorization_header"}) {
      stages.add(stage);
    }
    capabilities.add("stages", stages);
    capabilities.addProperty("can_omit_version", false);
    capabilities.addProperty("body_hash", false);
    capabilities.addProperty("reports_rejection_reasons", false);
    if (urlConnection) {
      capabilities.add("limits", urlConnectionLimits());
    }
    capabilities.addProperty("notes", String.join(" ",
        urlConnection
            ? "sign: DefaultOAuthConsumer(key, secret).sign(HttpURLConnection) as Signpost's README shows (new URL(url).openConnection(),"
                + " setRequestMethod, the Content-Type as a request property; a form body cannot be signed on an HttpURLConnection,"
                + " GettingStarted says: unsupported; setRequestMethod takes only " + URL_CONNECTION_METHODS + ", and a GET"
                + " cannot carry a body)."
            : "sign: CommonsHttpOAuthConsumer(key, secret).sign(HttpClient 4 request): an HttpEntityEnclosingRequestBase with the"
                + " case's method and URI and, with a body, a ByteArrayEntity of its UTF-8 octets carrying the Content-Type.",
        "The nonce, timestamp, version, extra protocol parameters and realm go in with setAdditionalParameters (percent-encoded"
            + " first with HttpParameters.put(name, value, true), as its javadoc asks); Signpost adds oauth_version=1.0 and a"
            + " nonce/timestamp when absent (a null one: unsupported). setSendEmptyTokens(true) for an empty token."
            + " HmacSha1MessageSigner or PlainTextMessageSigner. signature and authorization_header are what the consumer passes to"
            + " and gets back from its AuthorizationHeaderSigningStrategy (wrapped to record them); normalized_parameters,"
            + " base_string_uri and signature_base_string are Signpost's SignatureBaseString over the request and"
            + " consumer.getRequestParameters() (the parameters it signed). Exceptions from sign: rejected, with their class;"
            + " a NullPointerException or another unchecked exception no API throws on purpose: crashed."));
    return capabilities;
  }

  /**
   * What HttpURLConnection cannot express (README.md, "What the API cannot express"): the methods
   * setRequestMethod accepts, no body with GET, and no form body at all (signed before it is written).
   */
  private static JsonObject urlConnectionLimits() {
    JsonObject limits = new JsonObject();
    JsonArray methods = new JsonArray();
    for (String method : URL_CONNECTION_METHODS.split(" ")) {
      methods.add(method);
    }
    limits.add("methods", methods);
    JsonArray bodiless = new JsonArray();
    bodiless.add("GET");
    limits.add("bodiless_methods", bodiless);
    limits.addProperty("no_form_bodies", true);
    return limits;
  }

  public static void main(String[] args) throws IOException {
    String variant = args.length == 2 && args[0].equals("--variant") ? args[1] : "";
    if (!variant.equals("urlconnection") && !variant.equals("commonshttp4")) {
      System.err.println("usage: SignpostAdapter --variant urlconnection|commonshttp4");
      System.exit(2);
    }
    SignpostAdapter adapter = new SignpostAdapter(variant.equals("urlconnection"));
    String version = System.getProperty("oauth1conformance.library.version", "1.2.1.2");
    AdapterProtocol protocol = new AdapterProtocol(
        adapter.urlConnection ? "signpost" : "signpost-commonshttp4", version, adapter.capabilities(), Map.of("sign", adapter::sign));
    System.exit(protocol.run());
  }
}
