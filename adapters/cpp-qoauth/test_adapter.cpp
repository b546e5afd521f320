// Qt Test of the QOAuth adapter: bash adapters/cpp-qoauth/build.sh test   (from the repository root)
//
// Starts the adapter as the harness does (QOAUTH_ADAPTER names it) and checks it against a
// published value: the PLAINTEXT request token request of OAuth Core 1.0a Appendix A.5.1, whose
// signature kd94hf93k423kf44& no nonce or timestamp changes. The nonce and timestamp QOAuth picks
// itself are checked for their form (32 hex digits, now).
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

class AdapterTest : public QObject {
  Q_OBJECT

 private:
  QProcess adapter;

  QJsonObject exchange(const QByteArray &line) {
    adapter.write(line + "\n");
    if (!adapter.waitForReadyRead(10000)) return QJsonObject();
    while (!adapter.canReadLine() && adapter.waitForReadyRead(10000)) {
    }
    return QJsonDocument::fromJson(adapter.readLine()).object();
  }

  static QByteArray appendixA51(const char *method) {
    return QByteArray(
               "{\"cmd\":\"sign\",\"id\":1,\"request\":{\"method\":\"") + method +
           "\",\"url\":\"https://photos.example.net/request_token\",\"content_type\":null,\"body\":null},"
           "\"oauth\":{\"consumer_key\":\"dpf43f3p2l4k3l03\",\"token\":null,\"signature_method\":\"PLAINTEXT\",\"timestamp\":\"1191242090\","
           "\"nonce\":\"hsu94j3884jdopsl\",\"version\":\"1.0\",\"realm\":null,\"extra\":{}},"
           "\"secrets\":{\"consumer_secret\":\"kd94hf93k423kf44\",\"token_secret\":null}}";
  }

 private slots:
  void initTestCase() {
    adapter.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    adapter.start(qEnvironmentVariable("QOAUTH_ADAPTER"), QStringList());
    QVERIFY(adapter.waitForStarted());
    QJsonObject handshake = exchange("{\"cmd\":\"start\",\"protocol\":1}");
    QCOMPARE(handshake.value("implementation").toObject().value("name").toString(), QString("qoauth"));
    QJsonObject capabilities = handshake.value("implementation").toObject().value("capabilities").toObject();
    QVERIFY(capabilities.value("emits_own_nonce_timestamp").toBool());
    QCOMPARE(capabilities.value("limits").toObject().value("methods").toArray(),
             QJsonArray({"GET", "POST", "HEAD", "PUT", "DELETE"}));
  }

  void signsAppendixA51() {
    QJsonObject trace = exchange(appendixA51("POST")).value("result").toObject().value("trace").toObject();
    QCOMPARE(trace.value("signature").toString(), QString("kd94hf93k423kf44&"));
    QString nonce = trace.value("emitted_nonce").toString();
    QCOMPARE(nonce.size(), 32);
    QVERIFY(QRegularExpression("^[0-9a-f]{32}$").match(nonce).hasMatch());
    qint64 timestamp = trace.value("emitted_timestamp").toString().toLongLong();
    QVERIFY(qAbs(timestamp - QDateTime::currentSecsSinceEpoch()) < 60);
    QVERIFY(trace.value("authorization_header").toString().contains("oauth_signature=\"kd94hf93k423kf44%26\""));
  }

  void aMethodQOAuthHasNoEnumValueForIsUnsupported() {
    for (const char *method : {"PATCH", "get"}) {
      QJsonObject reply = exchange(appendixA51(method));
      QVERIFY2(reply.value("unsupported").toObject().value("message").toString().contains("HttpMethod"), method);
    }
    QCOMPARE(exchange(appendixA51("POST")).value("result").toObject().value("trace").toObject().value("signature").toString(),
             QString("kd94hf93k423kf44&"));
  }

  void cleanupTestCase() {
    QCOMPARE(exchange("{\"cmd\":\"stop\"}").value("ok").toBool(), true);
    QVERIFY(adapter.waitForFinished(10000));
    QCOMPARE(adapter.exitCode(), 0);
  }
};

QTEST_GUILESS_MAIN(AdapterTest)
#include "test_adapter.moc"
