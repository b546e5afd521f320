package oauth1conformance.signpost;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import oauth1conformance.adapter.AdapterSession;
import org.junit.Test;

/**
 * bash adapters/java-signpost/build.sh test   (from the repository root)
 *
 * <p>Published values: OAuth Core 1.0a Appendix A.5.1-A.5.2 (the protected resource request with
 * oauth_version=1.0: base string and signature tR3+Ty81lMeYAr/Fid0kMTYa/WM=) and Twitter's
 * "Creating a signature" example (a query parameter and a form body: hCtSmYh+iHYCEqBWrE7C7hYmtUk=).
 */
public class SignpostAdapterTest {
  private static final String APPENDIX_A5 = "{\"cmd\":\"sign\","
      + "\"request\":{\"method\":\"GET\",\"url\":\"http://photos.example.net/photos?file=vacation.jpg&size=original\","
      + "\"content_type\":null,\"body\":null},"
      + "\"oauth\":{\"consumer_key\":\"dpf43f3p2l4k3l03\",\"token\":\"nnch734d00sl2jdk\",\"signature_method\":\"HMAC-SHA1\","
      + "\"timestamp\":\"1191242096\",\"nonce\":\"kllo9940pd9333jh\",\"version\":\"1.0\",\"realm\":null,\"extra\":{}},"
      + "\"secrets\":{\"consumer_secret\":\"kd94hf93k423kf44\",\"token_secret\":\"pfkkdhi9sl3r4s00\"}}";

  private static final String TWITTER = "{\"cmd\":\"sign\","
      + "\"request\":{\"method\":\"POST\",\"url\":\"https://api.twitter.com/1.1/statuses/update.json?include_entities=true\","
      + "\"content_type\":\"application/x-www-form-urlencoded\","
      + "\"body\":\"status=Hello%20Ladies%20%2b%20Gentlemen%2c%20a%20signed%20OAuth%20request%21\"},"
      + "\"oauth\":{\"consumer_key\":\"xvz1evFS4wEEPTGEFPHBog\",\"token\":\"370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb\","
      + "\"signature_method\":\"HMAC-SHA1\",\"timestamp\":\"1318622958\",\"nonce\":\"kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg\","
      + "\"version\":\"1.0\",\"realm\":null,\"extra\":{}},"
      + "\"secrets\":{\"consumer_secret\":\"kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw\","
      + "\"token_secret\":\"LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE\"}}";

  private static JsonObject json(String text) {
    return JsonParser.parseString(text).getAsJsonObject();
  }

  private static JsonObject trace(JsonObject answer) {
    assertTrue("a result: " + answer, answer.has("result"));
    return answer.getAsJsonObject("result").getAsJsonObject("trace");
  }

  private static void signsAppendixA5(String variant) throws Exception {
    try (AdapterSession session = new AdapterSession("--variant", variant)) {
      JsonObject implementation = session.handshake().getAsJsonObject("implementation");
      assertEquals(variant.equals("urlconnection") ? "signpost" : "signpost-commonshttp4", implementation.get("name").getAsString());
      assertFalse(implementation.getAsJsonObject("capabilities").get("can_omit_version").getAsBoolean());
      JsonObject trace = trace(session.request(json(APPENDIX_A5)));
      assertEquals("tR3+Ty81lMeYAr/Fid0kMTYa/WM=", trace.get("signature").getAsString());
      assertEquals("GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03"
          + "%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096"
          + "%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal", trace.get("signature_base_string").getAsString());
      assertTrue(trace.get("authorization_header").getAsString().contains("oauth_signature=\"tR3%2BTy81lMeYAr%2FFid0kMTYa%2FWM%3D\""));

      JsonObject noNonce = json(APPENDIX_A5);
      noNonce.getAsJsonObject("oauth").add("nonce", null);
      JsonObject refused = session.request(noNonce);
      assertTrue(refused.toString(), refused.getAsJsonObject("unsupported").get("message").getAsString().contains("oauth_nonce"));
      assertEquals("tR3+Ty81lMeYAr/Fid0kMTYa/WM=", trace(session.request(json(APPENDIX_A5))).get("signature").getAsString());
      assertEquals(0, session.stop());
    }
  }

  @Test
  public void urlConnectionSignsTheAppendixA5Request() throws Exception {
    signsAppendixA5("urlconnection");
  }

  @Test
  public void commonsHttp4SignsTheAppendixA5Request() throws Exception {
    signsAppendixA5("commonshttp4");
  }

  @Test
  public void commonsHttp4SignsTwittersFormBodyExample() throws Exception {
    try (AdapterSession session = new AdapterSession("--variant", "commonshttp4")) {
      assertEquals("hCtSmYh+iHYCEqBWrE7C7hYmtUk=", trace(session.request(json(TWITTER))).get("signature").getAsString());
      assertEquals(0, session.stop());
    }
  }

  @Test
  public void urlConnectionCannotSignAFormBodyOrAGetWithABody() throws Exception {
    try (AdapterSession session = new AdapterSession("--variant", "urlconnection")) {
      JsonObject limits = session.handshake().getAsJsonObject("implementation").getAsJsonObject("capabilities").getAsJsonObject("limits");
      assertTrue(limits.toString(), limits.get("no_form_bodies").getAsBoolean());
      assertEquals("[\"GET\"]", limits.get("bodiless_methods").toString());
      assertFalse(limits.toString(), limits.getAsJsonArray("methods").toString().contains("PATCH"));
      JsonObject answer = session.request(json(TWITTER));
      assertTrue(answer.toString(), answer.getAsJsonObject("unsupported").get("message").getAsString().contains("form body"));
      JsonObject getWithBody = json(APPENDIX_A5);
      getWithBody.getAsJsonObject("request").addProperty("content_type", "application/json");
      getWithBody.getAsJsonObject("request").addProperty("body", "{}");
      answer = session.request(getWithBody);
      assertTrue(answer.toString(), answer.getAsJsonObject("unsupported").get("message").getAsString().contains("GET"));
      assertEquals(0, session.stop());
    }
  }

  /**
   * DefaultOAuthConsumer.sign hands HttpURLConnectionRequestAdapter's null payload to
   * OAuth.decodeForm whenever the Content-Type starts with the form type (collectBodyParameters):
   * a NullPointerException, no error of Signpost's (OAuthException), so the answer is crashed.
   */
  @Test
  public void urlConnectionCrashesOnAFormContentTypeWithoutABody() throws Exception {
    try (AdapterSession session = new AdapterSession("--variant", "urlconnection")) {
      JsonObject formWithoutBody = json(APPENDIX_A5);
      formWithoutBody.getAsJsonObject("request").addProperty("method", "POST");
      formWithoutBody.getAsJsonObject("request").addProperty("content_type", "application/x-www-form-urlencoded");
      JsonObject answer = session.request(formWithoutBody);
      assertTrue(answer.toString(), answer.getAsJsonObject("crashed").get("message").getAsString().contains("java.lang.NullPointerException"));
      assertEquals("tR3+Ty81lMeYAr/Fid0kMTYa/WM=", trace(session.request(json(APPENDIX_A5))).get("signature").getAsString());
      assertEquals(0, session.stop());
    }
  }

  @Test
  public void commonsHttp4DeclaresNoLimits() throws Exception {
    try (AdapterSession session = new AdapterSession("--variant", "commonshttp4")) {
      assertFalse(session.handshake().getAsJsonObject("implementation").getAsJsonObject("capabilities").has("limits"));
      assertEquals(0, session.stop());
    }
  }
}
