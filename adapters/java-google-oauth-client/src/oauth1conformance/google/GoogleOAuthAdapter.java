package oauth1conformance.google;

import com.google.api.client.auth.oauth.OAuthHmacSha256Signer;
import com.google.api.client.auth.oauth.OAuthHmacSigner;
import com.google.api.client.auth.oauth.OAuthParameters;
import com.google.api.client.auth.oauth.OAuthRsaSigner;
import com.google.api.client.auth.oauth.OAuthSigner;
import com.google.api.client.http.GenericUrl;
import com.google.api.client.util.PemReader;
import com.google.api.client.util.SecurityUtils;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Map;
import java.util.TreeMap;
import oauth1conformance.adapter.AdapterProtocol;
import oauth1conformance.adapter.AdapterProtocol.Crashed;
import oauth1conformance.adapter.AdapterProtocol.Rejected;
import oauth1conformance.adapter.AdapterProtocol.Unsupported;

/**
 * google-oauth-client (Debian libgoogle-oauth-client-java), package com.google.api.client.auth.oauth,
 * behind the oauth1-conformance adapter protocol, version 1 (adapters/PROTOCOL.md). One row,
 * "google-oauth-client": sign, with OAuthParameters.computeSignature and getAuthorizationHeader.
 * The library has no server side (no verifier, no header parser). See README.md.
 */
public final class GoogleOAuthAdapter {
  /** The signer the library is given, recording the base string OAuthParameters passes it. */
  private static final class RecordingSigner implements OAuthSigner {
    private final OAuthSigner library;
    String baseString;

    RecordingSigner(OAuthSigner library) {
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

  private GoogleOAuthAdapter() {}

  /**
   * The PEM private key as the java.security.PrivateKey OAuthRsaSigner takes, read with the
   * google-http-client PemReader and SecurityUtils' RSA key factory (which reads PKCS#8): a
   * PKCS#1 "RSA PRIVATE KEY" is wrapped into the PKCS#8 structure that carries it (RFC 5208
   * PrivateKeyInfo with the rsaEncryption algorithm), the same key in the form Java reads.
   */
  static PrivateKey privateKey(String pem) throws Rejected, Crashed {
    PemReader.Section section = AdapterProtocol.library("PemReader.readFirstSectionAndClose",
        () -> PemReader.readFirstSectionAndClose(new StringReader(pem)));
    if (section == null) {
      throw new Rejected("PemReader found no PEM section in rsa_private_key_pem");
    }
    byte[] der = section.getBase64DecodedBytes();
    byte[] pkcs8 = section.getTitle().equals("RSA PRIVATE KEY") ? pkcs8FromPkcs1(der) : der;
    return AdapterProtocol.library("SecurityUtils.getRsaKeyFactory().generatePrivate",
        () -> SecurityUtils.getRsaKeyFactory().generatePrivate(new PKCS8EncodedKeySpec(pkcs8)));
  }

  private static final byte[] RSA_ALGORITHM_IDENTIFIER = {
    0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00
  };

  private static byte[] pkcs8FromPkcs1(byte[] pkcs1) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {0x02, 0x01, 0x00}); // version 0
    body.writeBytes(RSA_ALGORITHM_IDENTIFIER);
    body.writeBytes(derHeader(0x04, pkcs1.length));
    body.writeBytes(pkcs1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(derHeader(0x30, body.size()));
    out.writeBytes(body.toByteArray());
    return out.toByteArray();
  }

  private static byte[] derHeader(int tag, int length) {
    if (length < 0x80) {
      return new byte[] {(byte) tag, (byte) length};
    }
    int octets = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
    byte[] header = new byte[2 + octets];
    header[0] = (byte) tag;
    header[1] = (byte) (0x80 | octets);
    for (int i = 0; i < octets; i++) {
      header[2 + i] = (byte) (length >>> (8 * (octets - 1 - i)));
    }
    return header;
  }

  private static OAuthSigner signer(String method, JsonObject secrets) throws Rejected, Unsupported, Crashed {
    String consumerSecret = AdapterProtocol.string(secrets, "consumer_secret");
    String tokenSecret = AdapterProtocol.string(secrets, "token_secret");
    switch (method) {
      case "HMAC-SHA1": {
        OAuthHmacSigner signer = new OAuthHmacSigner();
        signer.clientSharedSecret = consumerSecret;
        signer.tokenSharedSecret = tokenSecret;
        return signer;
      }
      case "HMAC-SHA256": {
        OAuthHmacSha256Signer signer = new OAuthHmacSha256Signer(consumerSecret);
        signer.setTokenSecret(tokenSecret);
        return signer;
      }
      case "RSA-SHA1": {
        String pem = AdapterProtocol.string(secrets, "rsa_private_key_pem");
        if (pem == null) {
          throw new Unsupported("an RSA-SHA1 request without rsa_private_key_pem");
        }
        OAuthRsaSigner signer = new OAuthRsaSigner();
        signer.privateKey = privateKey(pem);
        return signer;
      }
      default:
        throw new Unsupported("google-oauth-client has no " + method + " signer (OAuthHmacSigner, OAuthHmacSha256Signer, OAuthRsaSigner)");
    }
  }

  private static JsonObject sign(JsonObject message) throws Rejected, Unsupported, Crashed {
    JsonObject request = AdapterProtocol.object(message, "request");
    JsonObject oauth = AdapterProtocol.object(message, "oauth");
    JsonObject secrets = AdapterProtocol.object(message, "secrets");
    if (AdapterProtocol.flag(oauth, "compute_body_hash")) {
      throw new Unsupported("OAuthParameters has no oauth_body_hash");
    }
    Map<String, String> extra = new TreeMap<>();
    for (Map.Entry<String, JsonElement> entry : AdapterProtocol.object(oauth, "extra").entrySet()) {
      extra.put(entry.getKey(), entry.getValue().getAsString());
    }
    OAuthParameters parameters = new OAuthParameters();
    // OAuthParameters has a field for each protocol parameter it sends, and no other way to add one.
    parameters.callback = extra.remove("oauth_callback");
    parameters.verifier = extra.remove("oauth_verifier");
    if (!extra.isEmpty()) {
      throw new Unsupported("OAuthParameters has fields for oauth_callback and oauth_verifier only, not " + extra.keySet());
    }
    RecordingSigner signer = new RecordingSigner(signer(AdapterProtocol.string(oauth, "signature_method"), secrets));
    parameters.signer = signer;
    parameters.consumerKey = AdapterProtocol.string(oauth, "consumer_key");
    parameters.token = AdapterProtocol.string(oauth, "token");
    parameters.nonce = AdapterProtocol.string(oauth, "nonce");
    parameters.timestamp = AdapterProtocol.string(oauth, "timestamp");
    parameters.version = AdapterProtocol.string(oauth, "version");
    parameters.realm = AdapterProtocol.string(oauth, "realm");
    String url = AdapterProtocol.string(request, "url");
    String method = AdapterProtocol.string(request, "method");
    GenericUrl genericUrl = AdapterProtocol.library("new GenericUrl(url)", () -> new GenericUrl(url));
    AdapterProtocol.library("OAuthParameters.computeSignature", () -> {
      parameters.computeSignature(method, genericUrl);
      return null;
    });
    JsonObject trace = new JsonObject();
    trace.addProperty("signature_base_string", signer.baseString);
    trace.addProperty("signature", parameters.signature);
    trace.addProperty("authorization_header", AdapterProtocol.library("OAuthParameters.getAuthorizationHeader", parameters::getAuthorizationHeader));
    JsonObject result = new JsonObject();
    result.add("trace", trace);
    return result;
  }

  private static JsonObject capabilities() {
    JsonObject capabilities = new JsonObject();
    JsonArray operations = new JsonArray();
    operations.add("sign");
    capabilities.add("operations", operations);
    JsonArray methods = new JsonArray();
    methods.add("HMAC-SHA1");
    methods.add("HMAC-SHA256");
    methods.add("RSA-SHA1");
    capabilities.add("signature_methods", methods);
    JsonArray stages = new JsonArray();
    stages.add("signature_base_string");
    stages.add("signature");
    stages.add("authorization_header");
    capabilities.add("stages", stages);
    capabilities.addProperty("can_omit_version", true);
    capabilities.addProperty("body_hash", false);
    capabilities.addProperty("reports_rejection_reasons", false);
    capabilities.addProperty("notes", "sign: an OAuthParameters with its fields set from the case (signer, consumerKey, token,"
        + " nonce, timestamp, version, realm, callback, verifier; a null field is not sent, and there is no field for any"
        + " other protocol parameter: unsupported), then computeSignature(method, new GenericUrl(url)) and"
        + " getAuthorizationHeader(). The API takes no body: form-body parameters are never signed. Signers:"
        + " OAuthHmacSigner (clientSharedSecret, tokenSharedSecret), OAuthHmacSha256Signer(secret).setTokenSecret,"
        + " OAuthRsaSigner (privateKey from PemReader and SecurityUtils.getRsaKeyFactory(); a PKCS#1 PEM is wrapped into"
        + " PKCS#8 first). signature_base_string is the argument computeSignature passes to the signer (wrapped to record"
        + " it); signature is the signature field it sets. No verifier exists in the library.");
    return capabilities;
  }

  public static void main(String[] args) throws IOException {
    String version = System.getProperty("oauth1conformance.library.version", "1.34.1");
    AdapterProtocol protocol =
        new AdapterProtocol("google-oauth-client", version, capabilities(), Map.of("sign", GoogleOAuthAdapter::sign));
    System.exit(protocol.run());
  }
}
