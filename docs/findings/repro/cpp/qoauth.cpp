// Standalone reproductions of the findings of QOAuth (docs/findings/qoauth/): a QOAuth::Interface
// with the consumer key and secret, then createParametersString(url, method, token, token secret,
// HMAC_SHA1, the request's parameters, ParseForHeaderArguments), as the library's example
// doc/examples/getResources2.cpp builds its Authorization header, on each finding's smallest input.
// QOAuth reads no query and no body: as in its examples, the URL goes in without its query and the
// query's and the form body's parameters go into the ParamMap, percent-encoded (the map holds
// parameters in their encoded form; QOAuth writes them verbatim into the header).
//
// QOAuth picks its own nonce and timestamp and does not expose its base string, so for a signature
// finding the program reads the nonce, timestamp and signature from the header it wrote, puts that
// nonce and timestamp into the base string the vector publishes (RFC 5849's) and into the one the
// dossier documents, and signs both with Qt's own HMAC-SHA1 (QMessageAuthenticationCode, not the
// QCA that QOAuth signs with): the library's signature is RFC 5849's, the documented one, or a
// third value. For a header finding it compares the header's parameters that are not oauth_* ones.
//
// Usage: qoauth FINDING (built by docs/findings/repro/cpp/build.sh)
// Exit: 0 still as documented, 3 agrees with RFC 5849 (retire the dossier), 4 a third value, 2 usage
// or a broken check.
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QMessageAuthenticationCode>
#include <QtOAuth>

#include <cstdio>
#include <cstring>

namespace {

// A finding's smallest input (vector id and file, its request and secrets), the stage compared,
// RFC 5849's value and the documented one (for "signature": the base strings, with the vector's
// nonce and timestamp), and the signature the vector publishes (which checks the HMAC here). For a
// generated input (recorded in docs/findings/examples.json) the published values are the dossier's,
// from the harness's reference signer (its base string agrees with oauthlib's), with the nonce and
// timestamp QOAuth sent when the input was recorded.
struct Finding {
  const char *finding, *vector, *file, *stage, *method, *url, *contentType, *body, *consumerKey, *token, *timestamp,
      *nonce, *consumerSecret, *tokenSecret, *rfc, *documented, *rfcSignature;
  // One more protocol parameter (oauth_callback), or none.
  const char *extraName, *extraValue;
};

const Finding FINDINGS[] = {
    {"keeps-host-case",
     "wild-mixed-case-path",
     "vectors/in-the-wild.json",
     "signature",
     "GET",
     "HTTPS://API.Example.com/Users/Bob",
     nullptr,
     nullptr,
     "dpf43f3p2l4k3l03",
     "nnch734d00sl2jdk",
     "1700000000",
     "w1ldn0nce",
     "kd94hf93k423kf44",
     "pfkkdhi9sl3r4s00",
     "GET&https%3A%2F%2Fapi.example.com%2FUsers%2FBob&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dw1ldn0nce%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0",
     "GET&HTTPS%3A%2F%2FAPI.Example.com%2FUsers%2FBob&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dw1ldn0nce%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0",
     "cqbpSBpCKW0tOBh6fszRpRlCVeo=",
     nullptr,
     nullptr},
    {"sends-form-body-in-header",
     "lib-oauthruby-post-form",
     "vectors/libraries-sign.json",
     "header parameters",
     "POST",
     "http://example.com/test",
     "application/x-www-form-urlencoded",
     "key=value",
     "consumer_key_86cad9",
     "token_411a7f",
     "1199645624",
     "225579211881198842005988698334675835446",
     "5888bf0345e5d237",
     "3196ffd991c8ebdb",
     "(none)",
     "key=\"value\"",
     "26g7wHTtNO6ZWJaLltcueppHYiI=",
     nullptr,
     nullptr},
    {"keeps-default-port",
     "lib-cpprest-post-query-port-80",
     "vectors/libraries-sign.json",
     "signature",
     "POST",
     "http://example.com:80/request?a=b&c=d",
     nullptr,
     nullptr,
     "test_key",
     "test_token",
     "12345678",
     "ABCDEFGH",
     "test_secret",
     "test_token_secret",
     "POST&http%3A%2F%2Fexample.com%2Frequest&a%3Db%26c%3Dd%26oauth_consumer_key%3Dtest_key%26oauth_nonce%3DABCDEFGH%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D12345678%26oauth_token%3Dtest_token%26oauth_version%3D1.0",
     "POST&http%3A%2F%2Fexample.com%3A80%2Frequest&a%3Db%26c%3Dd%26oauth_consumer_key%3Dtest_key%26oauth_nonce%3DABCDEFGH%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D12345678%26oauth_token%3Dtest_token%26oauth_version%3D1.0",
     "iUq3VlP39UNXoJHXlKjgSTmjEs8=",
     nullptr,
     nullptr},
    {"empty-path-not-slash",
     "generated:1481180106",
     "docs/findings/examples.json",
     "signature",
     "GET",
     "http://api.example.com",
     nullptr,
     nullptr,
     "dpf43f3p2l4k3l03",
     nullptr,
     "1796546331",
     "0df4e018fa0af4a97b815da50e66b681",
     "a",
     nullptr,
     "GET&http%3A%2F%2Fapi.example.com%2F&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D0df4e018fa0af4a97b815da50e66b681%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1796546331%26oauth_version%3D1.0",
     "GET&http%3A%2F%2Fapi.example.com&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D0df4e018fa0af4a97b815da50e66b681%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1796546331%26oauth_version%3D1.0",
     "d16W0aiTu4R1WFF5rvvVOvLqQSw=",
     nullptr,
     nullptr},
    {"sends-query-in-header",
     "edge-more-consumer-key-reserved-characters",
     "vectors/edge-cases-more.json",
     "header parameters",
     "GET",
     "http://example.com/request?a=1",
     nullptr,
     nullptr,
     "key with space&amp=+/~",
     "nnch734d00sl2jdk",
     "1700000000",
     "h0ld0utn0nce",
     "kd94hf93k423kf44",
     "pfkkdhi9sl3r4s00",
     "(none)",
     "a=\"1\"",
     "9bdSo13R8uBfoxSJiHycbKuS9uI=",
     nullptr,
     nullptr},
};

// The pairs of application/x-www-form-urlencoded text ('&'-separated, '+' a space, then
// percent-decoded), put into the ParamMap in the encoded form QOAuth expects.
void addFormPairs(QOAuth::ParamMap &params, const QByteArray &text) {
  for (QByteArray piece : text.split('&')) {
    if (piece.isEmpty()) continue;
    piece.replace('+', ' ');
    int eq = piece.indexOf('=');
    QByteArray name = eq < 0 ? piece : piece.left(eq);
    QByteArray value = eq < 0 ? QByteArray() : piece.mid(eq + 1);
    params.insert(QByteArray::fromPercentEncoding(name).toPercentEncoding(),
                  QByteArray::fromPercentEncoding(value).toPercentEncoding());
  }
}

QOAuth::HttpMethod httpMethod(const char *method) {
  if (std::strcmp(method, "POST") == 0) return QOAuth::POST;
  if (std::strcmp(method, "PUT") == 0) return QOAuth::PUT;
  if (std::strcmp(method, "DELETE") == 0) return QOAuth::DELETE;
  if (std::strcmp(method, "HEAD") == 0) return QOAuth::HEAD;
  return QOAuth::GET;
}

QByteArray signedHeader(const Finding &f) {
  QOAuth::Interface qoauth;
  qoauth.setConsumerKey(QByteArray(f.consumerKey).toPercentEncoding());
  qoauth.setConsumerSecret(f.consumerSecret);
  QString url = QString::fromUtf8(f.url);
  QOAuth::ParamMap params;
  int query = url.indexOf('?');
  if (query >= 0) {
    addFormPairs(params, url.mid(query + 1).toUtf8());
    url = url.left(query);
  }
  if (f.body != nullptr && f.contentType != nullptr &&
      QByteArray(f.contentType).split(';').first().trimmed().toLower() == "application/x-www-form-urlencoded")
    addFormPairs(params, f.body);
  if (f.extraName != nullptr) params.insert(QByteArray(f.extraName).toPercentEncoding(), QByteArray(f.extraValue).toPercentEncoding());
  return qoauth.createParametersString(url, httpMethod(f.method), QByteArray(f.token).toPercentEncoding(), f.tokenSecret,
                                       QOAuth::HMAC_SHA1, params, QOAuth::ParseForHeaderArguments);
}

// The header's name="value" pieces, in order.
QList<QPair<QByteArray, QByteArray>> headerParams(const QByteArray &header) {
  QList<QPair<QByteArray, QByteArray>> params;
  for (QByteArray piece : header.mid(header.startsWith("OAuth ") ? 6 : 0).split(',')) {
    piece = piece.trimmed();
    int eq = piece.indexOf('=');
    if (eq > 0) params.append(qMakePair(piece.left(eq), piece.mid(eq + 1)));
  }
  return params;
}

QByteArray headerValue(const QByteArray &header, const QByteArray &name) {
  QByteArray found;
  for (const auto &param : headerParams(header))
    if (param.first == name) found = QByteArray::fromPercentEncoding(QByteArray(param.second).replace('"', ""));
  return found;
}

// RFC 5849 §3.4.2: HMAC-SHA1 keyed with the encoded secrets joined by '&', base64.
QByteArray hmac(const Finding &f, const QByteArray &text) {
  QByteArray key = QByteArray(f.consumerSecret).toPercentEncoding() + '&' + QByteArray(f.tokenSecret).toPercentEncoding();
  return QMessageAuthenticationCode::hash(text, key, QCryptographicHash::Sha1).toBase64();
}

QByteArray withLibraryNonce(const Finding &f, const char *base, const QByteArray &nonce, const QByteArray &timestamp) {
  return QByteArray(base)
      .replace("oauth_nonce%3D" + QByteArray(f.nonce), "oauth_nonce%3D" + nonce)
      .replace("oauth_timestamp%3D" + QByteArray(f.timestamp), "oauth_timestamp%3D" + timestamp);
}

int verdict(bool fixed, bool documented) {
  if (fixed) {
    std::printf("fixed: QOAuth now agrees with RFC 5849\n");
    return 3;
  }
  return documented ? 0 : 4;
}

int signatureFinding(const Finding &f, const QByteArray &header) {
  if (hmac(f, f.rfc) != f.rfcSignature) {
    std::fprintf(stderr, "HMAC-SHA1 of the published base string is not the published signature %s\n", f.rfcSignature);
    return 2;
  }
  QByteArray nonce = headerValue(header, "oauth_nonce"), timestamp = headerValue(header, "oauth_timestamp");
  QByteArray signature = headerValue(header, "oauth_signature");
  QByteArray rfcBase = withLibraryNonce(f, f.rfc, nonce, timestamp);
  QByteArray documentedBase = withLibraryNonce(f, f.documented, nonce, timestamp);
  std::printf("QOAuth: %s (its nonce %s, timestamp %s)\n", signature.constData(), nonce.constData(), timestamp.constData());
  std::printf("RFC 5849: %s, HMAC-SHA1 of %s\n", hmac(f, rfcBase).constData(), rfcBase.constData());
  bool documented = signature == hmac(f, documentedBase);
  std::printf("%s HMAC-SHA1 of %s\n", documented ? "documented:" : "changed: the dossier documents", documentedBase.constData());
  return verdict(signature == hmac(f, rfcBase), documented);
}

// The header's parameters that are not protocol parameters (§3.5.1: the header carries only those).
int headerFinding(const Finding &f, const QByteArray &header) {
  QByteArrayList others;
  for (const auto &param : headerParams(header))
    if (!param.first.startsWith("oauth_") && param.first != "realm") others.append(param.first + '=' + param.second);
  QByteArray value = others.isEmpty() ? "(none)" : others.join(", ");
  std::printf("QOAuth: %s\n  (in %s)\n", value.constData(), header.constData());
  std::printf("RFC 5849: %s\n", f.rfc);
  bool documented = value == f.documented;
  if (!documented) std::printf("changed: the dossier documents %s\n", f.documented);
  return verdict(value == f.rfc, documented);
}

}  // namespace

int main(int argc, char **argv) {
  QCoreApplication app(argc, argv);  // QOAuth::Interface makes a QNetworkAccessManager
  const Finding *finding = nullptr;
  for (const Finding &f : FINDINGS)
    if (argc == 2 && std::strcmp(argv[1], f.finding) == 0) finding = &f;
  if (finding == nullptr) {
    std::fprintf(stderr, "usage: qoauth FINDING (one of:");
    for (const Finding &f : FINDINGS) std::fprintf(stderr, " %s", f.finding);
    std::fprintf(stderr, ")\n");
    return 2;
  }
  const Finding &f = *finding;
  QByteArray header = signedHeader(f);
  std::printf("finding:  %s (vector %s in %s, %s)\n", f.finding, f.vector, f.file, f.stage);
  return std::strcmp(f.stage, "signature") == 0 ? signatureFinding(f, header) : headerFinding(f, header);
}
