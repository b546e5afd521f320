package oauth1conformance.google;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import oauth1conformance.adapter.AdapterSession;
import org.junit.Test;

/**
 * bash adapters/java-google-oauth-client/build.sh test   (from the repository root)
 *
 * <p>Published values: RFC 5849 section 1.2 (the protected resource request, no oauth_version:
 * MdpQcU8iPSUjWoN/UDMsK2sui9I=), the oauth.net TestCases RSA-SHA1 request (PKCS#8 key, base string
 * and signature as published) and gomodule/oauth1's RSA-SHA1 test (the same key as PKCS#1), both
 * read from the corpus with their published expected values.
 */
public class GoogleOAuthAdapterTest {
  private static final String RFC_1_2 = "{\"cmd\":\"sign\","
      + "\"request\":{\"method\":\"GET\",\"url\":\"http://photos.example.net/photos?file=vacation.jpg&size=original\","
      + "\"content_type\":null,\"body\":null},"
      + "\"oauth\":{\"consumer_key\":\"dpf43f3p2l4k3l03\",\"token\":\"nnch734d00sl2jdk\",\"signature_method\":\"HMAC-SHA1\","
      + "\"timestamp\":\"137131202\",\"nonce\":\"chapoH\",\"version\":null,\"realm\":\"Photos\",\"extra\":{}},"
      + "\"secrets\":{\"consumer_secret\":\"kd94hf93k423kf44\",\"token_secret\":\"pfkkdhi9sl3r4s00\"}}";

  private static JsonObject trace(JsonObject answer) {
    assertTrue("a result: " + answer, answer.has("result"));
    return answer.getAsJsonObject("result").getAsJsonObject("trace");
  }

  @Test
  public void signsRfc5849Section12() throws Exception {
    try (AdapterSession session = new AdapterSession()) {
      assertEquals("google-oauth-client", session.handshake().getAsJsonObject("implementation").get("name").getAsString());
      JsonObject trace = trace(session.request(JsonParser.parseString(RFC_1_2).getAsJsonObject()));
      assertEquals("MdpQcU8iPSUjWoN/UDMsK2sui9I=", trace.get("signature").getAsString());
      assertTrue(trace.get("authorization_header").getAsString().startsWith("OAuth realm=\"Photos\", "));
      assertEquals(0, session.stop());
    }
  }

  @Test
  public void signsRsaSha1WithPkcs8AndPkcs1Keys() throws Exception {
    try (AdapterSession session = new AdapterSession()) {
      for (String[] vector : new String[][] {
        {"vectors/oauth-net.json", "oauthnet-rsa-sha1-photos"}, {"vectors/libraries-sign.json", "lib-gomodule-rsa-sha1-term-ie"}
      }) {
        JsonObject published = AdapterSession.vectorCase(vector[0], vector[1]);
        JsonObject expected = published.getAsJsonObject("expected");
        JsonObject trace = trace(session.request(AdapterSession.signRequest(published)));
        assertEquals(vector[1], expected.get("signature_base_string").getAsString(), trace.get("signature_base_string").getAsString());
        assertEquals(vector[1], expected.get("signature").getAsString(), trace.get("signature").getAsString());
      }
      assertEquals(0, session.stop());
    }
  }

  @Test
  public void anExtraProtocolParameterWithoutAFieldIsUnsupported() throws Exception {
    try (AdapterSession session = new AdapterSession()) {
      JsonObject request = JsonParser.parseString(RFC_1_2).getAsJsonObject();
      request.getAsJsonObject("oauth").getAsJsonObject("extra").addProperty("oauth_session_handle", "h");
      JsonObject answer = session.request(request);
      assertTrue(answer.toString(), answer.getAsJsonObject("unsupported").get("message").getAsString().contains("oauth_session_handle"));
      assertEquals("MdpQcU8iPSUjWoN/UDMsK2sui9I=",
          trace(session.request(JsonParser.parseString(RFC_1_2).getAsJsonObject())).get("signature").getAsString());
      assertEquals(0, session.stop());
    }
  }
}
