// QOAuth (Debian libqoauth-dev, Qt 5) behind the oauth1-conformance adapter protocol, version 1
// (adapters/PROTOCOL.md). One row, "qoauth": sign, with QOAuth::Interface::createParametersString
// in its ParseForHeaderArguments mode, as the library's getResources2.cpp example does. The
// library picks its own nonce and timestamp (emits_own_nonce_timestamp). See README.md.
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QtCrypto>
#include <QtOAuth>

#include <cstdio>
#include <iostream>
#include <string>

namespace {

// The library refused the input: answered `rejected`.
struct Rejected {
  QString message;
};

// The input cannot be expressed through the library's API: `unsupported` (the case is skipped).
struct Unsupported {
  QString message;
};

// QOAuth writes the parameters of its ParamMap verbatim into the Authorization header, an inline
// query (ParseForInlineQuery, appended to the URL by its examples) and, encoded once more as a
// whole, the signature base string: the map holds parameters in their encoded form, so the
// adapter encodes each name and value with Qt's RFC 3986 encoder, the one QOAuth itself uses.
QByteArray encoded(const QString &raw) { return raw.toUtf8().toPercentEncoding(); }

// The pairs of application/x-www-form-urlencoded text (W3C: split on '&', skip empty pieces,
// cut at the first '=', '+' is a space, then percent-decode): QOAuth reads no URL query and no
// body, so its caller hands it the request's parameters.
QList<QPair<QByteArray, QByteArray>> formPairs(const QByteArray &text) {
  QList<QPair<QByteArray, QByteArray>> pairs;
  for (QByteArray piece : text.split('&')) {
    if (piece.isEmpty()) continue;
    piece.replace('+', ' ');
    int eq = piece.indexOf('=');
    QByteArray name = eq < 0 ? piece : piece.left(eq);
    QByteArray value = eq < 0 ? QByteArray() : piece.mid(eq + 1);
    pairs.append(qMakePair(QByteArray::fromPercentEncoding(name), QByteArray::fromPercentEncoding(value)));
  }
  return pairs;
}

// Whether a Content-Type names a form (media types compare case-insensitively; parameters allowed).
bool isForm(const QString &contentType) {
  return contentType.section(';', 0, 0).trimmed().compare("application/x-www-form-urlencoded", Qt::CaseInsensitive) == 0;
}

// QOAuth's HttpMethod enum has these five, which it writes uppercase (httpMethodToString): a
// method written otherwise (PATCH, a lowercase get) cannot be expressed. The handshake declares
// the same list as its `methods` limit.
const char *const HTTP_METHODS[] = {"GET", "POST", "HEAD", "PUT", "DELETE"};

QOAuth::HttpMethod httpMethod(const QString &method) {
  if (method == "GET") return QOAuth::GET;
  if (method == "POST") return QOAuth::POST;
  if (method == "HEAD") return QOAuth::HEAD;
  if (method == "PUT") return QOAuth::PUT;
  if (method == "DELETE") return QOAuth::DELETE;
  throw Unsupported{"QOAuth::HttpMethod has GET, POST, HEAD, PUT and DELETE only, not " + method};
}

QOAuth::SignatureMethod signatureMethod(const QString &name) {
  if (name == "HMAC-SHA1") return QOAuth::HMAC_SHA1;
  if (name == "RSA-SHA1") return QOAuth::RSA_SHA1;
  if (name == "PLAINTEXT") return QOAuth::PLAINTEXT;
  throw Unsupported{"QOAuth::SignatureMethod has HMAC_SHA1, RSA_SHA1 and PLAINTEXT only, not " + name};
}

// The value of the last `name="value"` of a header QOAuth wrote (values are encoded, so without
// quotes or commas), percent-decoded.
QByteArray headerValue(const QByteArray &header, const QByteArray &name) {
  QByteArray found;
  bool seen = false;
  for (QByteArray piece : header.mid(header.startsWith("OAuth ") ? 6 : 0).split(',')) {
    piece = piece.trimmed();
    if (piece.startsWith(name + "=\"") && piece.endsWith('"') && piece.size() >= name.size() + 3) {
      found = QByteArray::fromPercentEncoding(piece.mid(name.size() + 2, piece.size() - name.size() - 3));
      seen = true;
    }
  }
  if (!seen) throw Rejected{"the Authorization header QOAuth wrote has no " + QString::fromLatin1(name)};
  return found;
}

struct SignInput {
  QString url, method, contentType, body;
  bool hasBody = false;
  QJsonObject oauth, secrets;
};

// The request URL without its query and fragment (QOAuth signs the URL string it is given and
// its examples pass it without a query), and the query's parameters.
QPair<QString, QByteArray> splitUrl(const QString &url) {
  int end = url.indexOf('#');
  QString withoutFragment = end < 0 ? url : url.left(end);
  int q = withoutFragment.indexOf('?');
  if (q < 0) return qMakePair(withoutFragment, QByteArray());
  return qMakePair(withoutFragment.left(q), withoutFragment.mid(q + 1).toUtf8());
}

QJsonObject sign(const SignInput &in) {
  const QJsonObject &oauth = in.oauth;
  if (oauth.value("compute_body_hash").toBool()) throw Unsupported{"QOAuth has no oauth_body_hash"};
  if (oauth.value("version").toString() != "1.0" || oauth.value("version").isNull())
    throw Unsupported{"QOAuth always sends oauth_version=\"1.0\" (InterfacePrivate::OAuthVersion)"};
  QOAuth::SignatureMethod method = signatureMethod(oauth.value("signature_method").toString());
  QOAuth::HttpMethod verb = httpMethod(in.method);

  QOAuth::Interface qoauth;
  qoauth.setConsumerKey(encoded(oauth.value("consumer_key").toString()));
  qoauth.setConsumerSecret(in.secrets.value("consumer_secret").toString().toUtf8());
  if (method == QOAuth::RSA_SHA1 && !qoauth.setRSAPrivateKey(in.secrets.value("rsa_private_key_pem").toString()))
    throw Rejected{QString("setRSAPrivateKey failed (QOAuth error %1)").arg(qoauth.error())};

  QOAuth::ParamMap params;
  QPair<QString, QByteArray> url = splitUrl(in.url);
  QList<QPair<QByteArray, QByteArray>> pairs = formPairs(url.second);
  if (in.hasBody && isForm(in.contentType)) pairs += formPairs(in.body.toUtf8());
  for (const auto &pair : pairs) params.insert(pair.first.toPercentEncoding(), pair.second.toPercentEncoding());
  const QJsonObject extra = oauth.value("extra").toObject();
  for (auto it = extra.begin(); it != extra.end(); ++it) params.insert(encoded(it.key()), encoded(it.value().toString()));

  QByteArray header = qoauth.createParametersString(url.first, verb, encoded(oauth.value("token").toString()),
                                                    in.secrets.value("token_secret").toString().toUtf8(), method, params,
                                                    QOAuth::ParseForHeaderArguments);
  if (qoauth.error() != QOAuth::NoError)
    throw Rejected{QString("createParametersString failed (QOAuth error %1)").arg(qoauth.error())};
  QJsonObject trace;
  trace["authorization_header"] = QString::fromUtf8(header);
  trace["signature"] = QString::fromUtf8(headerValue(header, "oauth_signature"));
  trace["emitted_nonce"] = QString::fromUtf8(headerValue(header, "oauth_nonce"));
  trace["emitted_timestamp"] = QString::fromUtf8(headerValue(header, "oauth_timestamp"));
  QJsonObject result;
  result["trace"] = trace;
  return result;
}

QJsonObject errorObject(const QString &message) {
  QJsonObject error;
  error["message"] = message;
  return error;
}

QJsonObject answer(const QJsonObject &message) {
  QJsonObject reply;
  if (message.value("cmd").toString() != "sign") {
    reply["error"] = errorObject("unsupported command");
    return reply;
  }
  const QJsonObject request = message.value("request").toObject();
  SignInput in{request.value("url").toString(), request.value("method").toString(),
               request.value("content_type").toString(), request.value("body").toString(),
               request.value("body").isString(), message.value("oauth").toObject(), message.value("secrets").toObject()};
  try {
    reply["result"] = sign(in);
  } catch (const Rejected &e) {
    QJsonObject rejected;
    rejected["reason"] = QJsonValue::Null;
    rejected["message"] = e.message;
    reply["rejected"] = rejected;
  } catch (const Unsupported &e) {
    reply["unsupported"] = QJsonObject{{"message", e.message}};
  }
  return reply;
}

const char NOTES[] =
    "sign: QOAuth::Interface with setConsumerKey (percent-encoded), setConsumerSecret, setRSAPrivateKey(PEM) for RSA-SHA1, "
    "then createParametersString(url without query, HttpMethod, token (percent-encoded), tokenSecret, SignatureMethod, "
    "params, ParseForHeaderArguments), as the library's getResources2.cpp example. QOAuth reads no query and no body: "
    "the query's and a form body's parameters (W3C form decoding) and the extra protocol parameters go into the ParamMap "
    "percent-encoded with Qt's toPercentEncoding (the map's entries are written verbatim into queries, headers and, encoded "
    "again, the base string). QOAuth picks oauth_nonce (16 random bytes, hex) and oauth_timestamp itself and always sends "
    "oauth_version=1.0 (another version: unsupported); HttpMethod has GET POST HEAD PUT DELETE only (declared as the "
    "methods limit). "
    "authorization_header is its output; signature, emitted_nonce and emitted_timestamp are read from it, percent-decoded.";

QJsonObject handshake(const QJsonObject &message) {
  QJsonObject reply;
  if (message.value("protocol").toInt() != 1) {
    reply["ok"] = false;
    reply["error"] = "this adapter speaks protocol 1 only";
    return reply;
  }
  QJsonArray methods;
  for (const char *method : HTTP_METHODS) methods.append(method);
  QJsonObject capabilities{
      {"operations", QJsonArray{"sign"}},
      {"signature_methods", QJsonArray{"HMAC-SHA1", "RSA-SHA1", "PLAINTEXT"}},
      {"stages", QJsonArray{"signature", "authorization_header"}},
      {"can_omit_version", false},
      {"body_hash", false},
      {"reports_rejection_reasons", false},
      {"emits_own_nonce_timestamp", true},
      {"limits", QJsonObject{{"methods", methods}}},
      {"notes", NOTES}};
  reply["ok"] = true;
  reply["protocol"] = 1;
  reply["implementation"] = QJsonObject{{"name", "qoauth"}, {"version", QOAUTH_DEBIAN_VERSION}, {"language", "c++"},
                                        {"capabilities", capabilities}};
  return reply;
}

void write(const QJsonObject &message) {
  QByteArray line = QJsonDocument(message).toJson(QJsonDocument::Compact);
  line.append('\n');
  std::fwrite(line.constData(), 1, static_cast<size_t>(line.size()), stdout);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char **argv) {
  QCoreApplication app(argc, argv);  // QOAuth::Interface makes a QNetworkAccessManager and a QEventLoop
  QCA::Initializer qca;
  std::string line;
  while (std::getline(std::cin, line)) {
    QJsonParseError error;
    QJsonDocument document = QJsonDocument::fromJson(QByteArray::fromStdString(line), &error);
    if (!document.isObject()) {
      std::fprintf(stderr, "qoauth adapter: ignoring a line that is not a JSON object: %s\n", qPrintable(error.errorString()));
      continue;
    }
    const QJsonObject message = document.object();
    const QString cmd = message.value("cmd").toString();
    if (cmd == "stop") {
      write(QJsonObject{{"ok", true}});
      return 0;
    }
    if (cmd == "start") {
      write(handshake(message));
      continue;
    }
    if (!message.value("id").isDouble()) {
      std::fprintf(stderr, "qoauth adapter: ignoring a request without an integer id\n");
      continue;
    }
    QJsonObject reply = answer(message);
    reply["id"] = message.value("id");
    write(reply);
  }
  return 0;
}
