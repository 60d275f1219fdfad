#include "Servers.h"

#include <QDebug>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QTcpSocket>
#include <QThread>

namespace trustscope::test {

quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort(); // closed again: the server binds it right after (a tiny race)
}

namespace {
bool waitForLine(QProcess &process, const QByteArray &marker, int milliseconds)
{
    QElapsedTimer timer;
    timer.start();
    QByteArray seen;
    while (timer.elapsed() < milliseconds && process.state() != QProcess::NotRunning) {
        process.waitForReadyRead(100);
        seen += process.readAllStandardOutput();
        if (seen.contains(marker))
            return true;
    }
    qWarning().noquote() << "server did not start:" << seen << process.readAllStandardError();
    return false;
}

void stop(QProcess &process)
{
    if (process.state() == QProcess::NotRunning)
        return;
    process.kill();
    process.waitForFinished(5000);
}
} // namespace

OpenSslServer::OpenSslServer(const QString &workingDirectory, const QStringList &arguments)
{
    for (int attempt = 0; attempt < 3 && !m_ready; ++attempt) {
        m_port = freePort();
        m_process.setWorkingDirectory(workingDirectory);
        m_process.start(QStringLiteral(TRUSTSCOPE_OPENSSL),
                        QStringList{QStringLiteral("s_server"), QStringLiteral("-accept"),
                                    QStringLiteral("127.0.0.1:%1").arg(m_port)} +
                            arguments);
        m_ready = waitForLine(m_process, "ACCEPT", 10000);
        if (!m_ready)
            stop(m_process);
    }
}

OpenSslServer::~OpenSslServer()
{
    stop(m_process);
}

ScriptedPeer::ScriptedPeer(const QString &mode, const QStringList &arguments)
{
    for (int attempt = 0; attempt < 3 && !m_ready; ++attempt) {
        m_port = freePort();
        m_process.start(QStringLiteral("python3"),
                        QStringList{QStringLiteral(TRUSTSCOPE_SOURCE_DIR "/tests/support/peers.py"), mode,
                                    QString::number(m_port)} +
                            arguments);
        m_ready = waitForLine(m_process, "READY", 10000);
        if (!m_ready)
            stop(m_process);
    }
}

ScriptedPeer::~ScriptedPeer()
{
    stop(m_process);
}

ListeningProcess::ListeningProcess(const QString &program, const QStringList &arguments, quint16 port,
                                   const QString &workingDirectory, const QByteArray &readyMarker)
{
    m_process.setWorkingDirectory(workingDirectory);
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.start(program, arguments);
    if (!readyMarker.isEmpty()) {
        m_ready = waitForLine(m_process, readyMarker, 10000);
        return;
    }
    QElapsedTimer timer;
    timer.start();
    while (!m_ready && timer.elapsed() < 10000 && m_process.state() != QProcess::NotRunning) {
        QTcpSocket probe;
        probe.connectToHost(QHostAddress::LocalHost, port);
        m_ready = probe.waitForConnected(200);
        if (!m_ready)
            m_process.waitForFinished(50);
    }
    if (!m_ready)
        qWarning().noquote() << program << "did not listen on port" << port << m_process.readAll();
}

ListeningProcess::~ListeningProcess()
{
    stop();
}

void ListeningProcess::stop()
{
    trustscope::test::stop(m_process);
    m_ready = false;
}

std::unique_ptr<ListeningProcess> startHttpServer(const QString &directory, quint16 port)
{
    return std::make_unique<ListeningProcess>(
        QStringLiteral("python3"),
        QStringList{QStringLiteral("-m"), QStringLiteral("http.server"), QString::number(port),
                    QStringLiteral("--bind"), QStringLiteral("127.0.0.1"), QStringLiteral("--directory"), directory},
        port);
}

} // namespace trustscope::test
