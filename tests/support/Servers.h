#pragma once

// Real servers for tests, on free loopback ports, stopped when the object goes away.

#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTcpServer>

#include <memory>

namespace trustscope::test {

[[nodiscard]] quint16 freePort();

// `openssl s_server -accept 127.0.0.1:PORT ARGS`, ready once it prints ACCEPT.
class OpenSslServer {
public:
    OpenSslServer(const QString &workingDirectory, const QStringList &arguments);
    ~OpenSslServer();
    [[nodiscard]] bool isRunning() const { return m_ready; }
    [[nodiscard]] quint16 port() const { return m_port; }
    [[nodiscard]] QString target() const { return QStringLiteral("127.0.0.1:%1").arg(m_port); }

private:
    QProcess m_process;
    quint16 m_port = 0;
    bool m_ready = false;
};

// A python3 helper (tests/support/peers.py) that plays a hostile or STARTTLS peer.
class ScriptedPeer {
public:
    ScriptedPeer(const QString &mode, const QStringList &arguments = {});
    ~ScriptedPeer();
    [[nodiscard]] bool isRunning() const { return m_ready; }
    [[nodiscard]] quint16 port() const { return m_port; }
    [[nodiscard]] QString target() const { return QStringLiteral("127.0.0.1:%1").arg(m_port); }

private:
    QProcess m_process;
    quint16 m_port = 0;
    bool m_ready = false;
};

// A helper process that listens on a port chosen beforehand (because certificates name it):
// `python3 -m http.server`, `openssl ocsp -port` … Ready once it prints `readyMarker`, or, without
// one, once the port accepts connections. (`openssl ocsp` must get a marker: it serves one
// connection at a time and hangs on a probe that sends nothing.)
class ListeningProcess {
public:
    ListeningProcess(const QString &program, const QStringList &arguments, quint16 port,
                     const QString &workingDirectory = {}, const QByteArray &readyMarker = {});
    ~ListeningProcess();
    [[nodiscard]] bool isRunning() const { return m_ready; }
    void stop();

private:
    QProcess m_process;
    bool m_ready = false;
};

// Serves the files of `directory` over plain HTTP on 127.0.0.1:port.
[[nodiscard]] std::unique_ptr<ListeningProcess> startHttpServer(const QString &directory, quint16 port);

} // namespace trustscope::test
