// Standalone reproduction of qoauth/refuses-empty-consumer-secret: QOAuth 2.0.1's
// createParametersString (the call its example doc/examples/getResources2.cpp builds the
// Authorization header with) refuses to sign when the consumer secret is empty, error
// ConsumerSecretEmpty, for RSA-SHA1 too, which does not use the secret at all. RFC 5849 section
// 3.4.3: RSA-SHA1 signs with the client's private key only; section 3.4.2: HMAC-SHA1's key is the
// encoded secrets joined by '&', an empty secret included. The request is the oauth.net RSA-SHA1
// test request (vector oauthnet-rsa-sha1-photos, vectors/oauth-net.json) with its published
// PKCS#8 test key, and the same request with HMAC-SHA1.
//
// Usage: qoauth-empty-secret refuses-empty-consumer-secret (built by docs/findings/repro/cpp/build.sh)
// Exit: 0 while both are refused with ConsumerSecretEmpty, 3 when both are signed (retire the
// dossier), 4 otherwise, 2 usage.
#include <QCoreApplication>
#include <QtOAuth>

#include <cstdio>
#include <cstring>

namespace {

const char PEM[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIICdgIBADANBgkqhkiG9w0BAQEFAASCAmAwggJcAgEAAoGBALRiMLAh9iimur8V\n"
    "A7qVvdqxevEuUkW4K+2KdMXmnQbG9Aa7k7eBjK1S+0LYmVjPKlJGNXHDGuy5Fw/d\n"
    "7rjVJ0BLB+ubPK8iA/Tw3hLQgXMRRGRXXCn8ikfuQfjUS1uZSatdLB81mydBETlJ\n"
    "hI6GH4twrbDJCR2Bwy/XWXgqgGRzAgMBAAECgYBYWVtleUzavkbrPjy0T5FMou8H\n"
    "X9u2AC2ry8vD/l7cqedtwMPp9k7TubgNFo+NGvKsl2ynyprOZR1xjQ7WgrgVB+mm\n"
    "uScOM/5HVceFuGRDhYTCObE+y1kxRloNYXnx3ei1zbeYLPCHdhxRYW7T0qcynNmw\n"
    "rn05/KO2RLjgQNalsQJBANeA3Q4Nugqy4QBUCEC09SqylT2K9FrrItqL2QKc9v0Z\n"
    "zO2uwllCbg0dwpVuYPYXYvikNHHg+aCWF+VXsb9rpPsCQQDWR9TT4ORdzoj+Nccn\n"
    "qkMsDmzt0EfNaAOwHOmVJ2RVBspPcxt5iN4HI7HNeG6U5YsFBb+/GZbgfBT3kpNG\n"
    "WPTpAkBI+gFhjfJvRw38n3g/+UeAkwMI2TJQS4n8+hid0uus3/zOjDySH3XHCUno\n"
    "cn1xOJAyZODBo47E+67R4jV1/gzbAkEAklJaspRPXP877NssM5nAZMU0/O/NGCZ+\n"
    "3jPgDUno6WbJn5cqm8MqWhW1xGkImgRk+fkDBquiq4gPiT898jusgQJAd5Zrr6Q8\n"
    "AO/0isr/3aa6O6NLQxISLKcPDk2NOccAfS/xOtfOz4sJYM3+Bs4Io9+dZGSDCA54\n"
    "Lw03eHTNQghS0A==\n"
    "-----END PRIVATE KEY-----\n";

// What createParametersString gives with an empty consumer secret: the header, or the error.
struct Outcome {
  QByteArray header;
  int error;
};

Outcome sign(QOAuth::SignatureMethod method) {
  QOAuth::Interface qoauth;
  qoauth.setConsumerKey("dpf43f3p2l4k3l03");
  qoauth.setConsumerSecret("");
  if (method == QOAuth::RSA_SHA1 && !qoauth.setRSAPrivateKey(QString::fromLatin1(PEM)))
    return {QByteArray(), qoauth.error()};
  QOAuth::ParamMap params;
  params.insert("file", "vacaction.jpg");
  params.insert("size", "original");
  QByteArray header = qoauth.createParametersString("http://photos.example.net/photos", QOAuth::GET, QByteArray(),
                                                    QByteArray(), method, params, QOAuth::ParseForHeaderArguments);
  return {header, qoauth.error()};
}

const char *describe(const Outcome &outcome) {
  static QByteArray text;
  if (outcome.error == QOAuth::ConsumerSecretEmpty)
    text = "refused: ConsumerSecretEmpty";
  else if (outcome.header.contains("oauth_signature="))
    text = "signed: " + outcome.header;
  else
    text = "error " + QByteArray::number(outcome.error);
  return text.constData();
}

}  // namespace

int main(int argc, char **argv) {
  QCoreApplication app(argc, argv);
  if (argc != 2 || std::strcmp(argv[1], "refuses-empty-consumer-secret") != 0) {
    std::fprintf(stderr, "usage: qoauth-empty-secret refuses-empty-consumer-secret\n");
    return 2;
  }
  const Outcome rsa = sign(QOAuth::RSA_SHA1);
  const Outcome hmac = sign(QOAuth::HMAC_SHA1);
  std::printf("finding:   qoauth/refuses-empty-consumer-secret (oauthnet-rsa-sha1-photos, vectors/oauth-net.json)\n");
  std::printf("RSA-SHA1:  %s\n", describe(rsa));
  std::printf("HMAC-SHA1: %s\n", describe(hmac));
  std::printf("RFC 5849:  both signed (sections 3.4.3, 3.4.2)\n");
  const bool refused = rsa.error == QOAuth::ConsumerSecretEmpty && hmac.error == QOAuth::ConsumerSecretEmpty;
  const bool signedBoth = rsa.header.contains("oauth_signature=") && hmac.header.contains("oauth_signature=");
  return refused ? 0 : signedBoth ? 3 : 4;
}
