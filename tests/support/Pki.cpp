#include "Pki.h"

#include <QDebug>
#include <QFile>
#include <QProcess>

namespace trustscope::test {

Pki::Pki() = default;

QByteArray Pki::read(const QString &name) const
{
    QFile file(path(name));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool Pki::write(const QString &name, const QByteArray &data) const
{
    QFile file(path(name));
    return file.open(QIODevice::WriteOnly) && file.write(data) == data.size();
}

bool Pki::openssl(const QStringList &arguments, QByteArray *output, const QByteArray &input) const
{
    QProcess process;
    process.setWorkingDirectory(m_dir.path());
    process.start(QStringLiteral(TRUSTSCOPE_OPENSSL), arguments);
    if (!process.waitForStarted())
        return false;
    process.write(input);
    process.closeWriteChannel();
    process.waitForFinished(60000);
    if (output)
        *output = process.readAllStandardOutput();
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        qWarning().noquote() << "openssl" << arguments.join(QLatin1Char(' '))
                             << "failed:" << process.readAllStandardError();
        return false;
    }
    return true;
}

bool Pki::issue(const QString &name, const QString &subject, const QStringList &extensions, const QString &issuer,
                const QString &keyAlgorithm, const QStringList &extraArguments) const
{
    const QString config =
        QStringLiteral("[req]\ndistinguished_name=dn\nprompt=no\nx509_extensions=ext\n[dn]\nCN=unused\n[ext]\n") +
        extensions.join(QLatin1Char('\n')) + QLatin1Char('\n');
    if (!write(name + QStringLiteral(".cnf"), config.toUtf8()))
        return false;
    QStringList arguments{QStringLiteral("req"),
                          QStringLiteral("-x509"),
                          QStringLiteral("-config"),
                          name + QStringLiteral(".cnf"),
                          QStringLiteral("-utf8"),
                          QStringLiteral("-subj"),
                          subject,
                          QStringLiteral("-days"),
                          QStringLiteral("365"),
                          QStringLiteral("-out"),
                          name + QStringLiteral(".pem")};
    if (keyAlgorithm.startsWith(QLatin1String("rsa"))) {
        arguments << QStringLiteral("-newkey") << QStringLiteral("rsa:") + keyAlgorithm.mid(3)
                  << QStringLiteral("-noenc") << QStringLiteral("-keyout") << name + QStringLiteral(".key");
    } else {
        arguments << QStringLiteral("-newkey") << QStringLiteral("ec") << QStringLiteral("-pkeyopt")
                  << QStringLiteral("ec_paramgen_curve:P-256") << QStringLiteral("-noenc") << QStringLiteral("-keyout")
                  << name + QStringLiteral(".key");
    }
    if (!issuer.isEmpty())
        arguments << QStringLiteral("-CA") << issuer + QStringLiteral(".pem") << QStringLiteral("-CAkey")
                  << issuer + QStringLiteral(".key");
    return openssl(arguments + extraArguments);
}

QString Pki::serialOf(const QString &name) const
{
    QByteArray output;
    if (!openssl({QStringLiteral("x509"), QStringLiteral("-in"), name + QStringLiteral(".pem"),
                  QStringLiteral("-noout"), QStringLiteral("-serial")},
                 &output))
        return {};
    return QString::fromLatin1(output.trimmed()).section(QLatin1Char('='), 1);
}

// A CRL of `ca` from an `openssl ca` index (one line per revoked certificate), DER in `out`.
bool Pki::makeCrl(const QString &ca, const QString &index, const QString &out, const QString &extensions,
                  const QStringList &extra) const
{
    const QString base = out + QStringLiteral("-db");
    QString config = QStringLiteral("[ca]\ndefault_ca=d\n[d]\ndatabase=%1-index.txt\ncrlnumber=%1-crlnumber\n"
                                    "default_md=sha256\ndefault_crl_days=7\n")
                         .arg(base);
    if (!extensions.isEmpty())
        config += QStringLiteral("crl_extensions=crlext\n[crlext]\n") + extensions + QLatin1Char('\n');
    return write(base + QStringLiteral(".cnf"), config.toLatin1()) &&
           write(base + QStringLiteral("-index.txt"), index.toLatin1()) &&
           write(base + QStringLiteral("-crlnumber"), "01\n") &&
           openssl(QStringList{QStringLiteral("ca"), QStringLiteral("-gencrl"), QStringLiteral("-config"),
                               base + QStringLiteral(".cnf"), QStringLiteral("-keyfile"), ca + QStringLiteral(".key"),
                               QStringLiteral("-cert"), ca + QStringLiteral(".pem"), QStringLiteral("-out"),
                               out + QStringLiteral(".pem")} +
                   extra) &&
           openssl({QStringLiteral("crl"), QStringLiteral("-in"), out + QStringLiteral(".pem"),
                    QStringLiteral("-outform"), QStringLiteral("DER"), QStringLiteral("-out"), out});
}

bool Pki::makeChain(const QString &host) const
{
    return issue(QStringLiteral("root"), QStringLiteral("/O=Trustscope Tests/CN=Test Root CA"),
                 {QStringLiteral("basicConstraints=critical,CA:true"),
                  QStringLiteral("keyUsage=critical,keyCertSign,cRLSign"),
                  QStringLiteral("subjectKeyIdentifier=hash")}) &&
           issue(QStringLiteral("intermediate"), QStringLiteral("/O=Trustscope Tests/CN=Test Intermediate CA"),
                 {QStringLiteral("basicConstraints=critical,CA:true,pathlen:0"),
                  QStringLiteral("keyUsage=critical,keyCertSign,cRLSign"), QStringLiteral("subjectKeyIdentifier=hash"),
                  QStringLiteral("authorityKeyIdentifier=keyid")},
                 QStringLiteral("root")) &&
           issue(QStringLiteral("leaf"), QStringLiteral("/CN=") + host,
                 {QStringLiteral("basicConstraints=critical,CA:false"),
                  QStringLiteral("keyUsage=critical,digitalSignature"), QStringLiteral("extendedKeyUsage=serverAuth"),
                  QStringLiteral("subjectAltName=DNS:") + host, QStringLiteral("subjectKeyIdentifier=hash"),
                  QStringLiteral("authorityKeyIdentifier=keyid")},
                 QStringLiteral("intermediate"));
}

} // namespace trustscope::test
