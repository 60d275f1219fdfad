// trustscope: the desktop GUI.

#include "AppInfo.h"
#include "GeneratorDialog.h"
#include "MainWindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QPalette>
#include <QScreen>
#include <QStyleFactory>
#include <QTimer>
#include <csignal>

#include <cstdio>

namespace {

QPalette darkPalette()
{
    QPalette palette;
    palette.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    palette.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
    palette.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    palette.setColor(QPalette::AlternateBase, QColor(0x33, 0x33, 0x33));
    palette.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
    palette.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
    palette.setColor(QPalette::ButtonText, QColor(0xe6, 0xe6, 0xe6));
    palette.setColor(QPalette::Highlight, QColor(0x3d, 0x8e, 0xe0));
    palette.setColor(QPalette::HighlightedText, Qt::white);
    palette.setColor(QPalette::ToolTipBase, QColor(0x35, 0x35, 0x35));
    palette.setColor(QPalette::ToolTipText, QColor(0xe6, 0xe6, 0xe6));
    palette.setColor(QPalette::PlaceholderText, QColor(0x90, 0x90, 0x90));
    // Disabled controls must look disabled (a greyed Stop when nothing runs).
    for (const QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        palette.setColor(QPalette::Disabled, role, QColor(0x7a, 0x7a, 0x7a));
    return palette;
}

} // namespace

// Resident and peak memory of this process in bytes (Linux; 0 elsewhere).
std::pair<qint64, qint64> residentMemory()
{
    QFile status(QStringLiteral("/proc/self/status"));
    qint64 resident = 0, peak = 0;
    if (status.open(QIODevice::ReadOnly))
        for (const QByteArray &line : status.readAll().split('\n')) {
            if (line.startsWith("VmRSS:"))
                resident = line.mid(6).trimmed().split(' ').first().toLongLong() * 1024;
            else if (line.startsWith("VmHWM:"))
                peak = line.mid(6).trimmed().split(' ').first().toLongLong() * 1024;
        }
    return {resident, peak};
}

int runOpenBenchmark(trustscope::ui::MainWindow &window, const QString &file)
{
    window.showTab(QStringLiteral("ASN.1"));
    QApplication::processEvents(); // the window is shown: start from an idle, painted state
    const auto [baseline, peakBefore] = residentMemory();
    Q_UNUSED(peakBefore);
    QElapsedTimer sinceOpen;
    QObject::connect(&window, &trustscope::ui::MainWindow::asn1RowsShown, &window,
                     [&] { std::printf("first_rows_ms %lld\n", static_cast<long long>(sinceOpen.elapsed())); });
    QObject::connect(&window, &trustscope::ui::MainWindow::asn1Ready, &window, [&] {
        std::printf("complete_ms %lld\n", static_cast<long long>(sinceOpen.elapsed()));
        QTimer::singleShot(100, &window, [&] { // let the views paint
            const auto [resident, peak] = residentMemory();
            std::printf("file_bytes %lld\nmemory_growth_bytes %lld\npeak_growth_bytes %lld\n",
                        static_cast<long long>(QFileInfo(file).size()), static_cast<long long>(resident - baseline),
                        static_cast<long long>(peak - baseline));
            QApplication::quit();
        });
    });
    sinceOpen.start();
    window.openFiles({file});
    return QApplication::exec();
}

// The GUI's command line, defined once for --help (which must work without a display) and for use.
struct GuiOptions {
    const QCommandLineOption screenshot{
        QStringLiteral("screenshot"),
        QStringLiteral("Render the window to <png> once everything has loaded, then quit."), QStringLiteral("png")};
    const QCommandLineOption dark{QStringLiteral("dark"), QStringLiteral("Use a dark palette.")};
    const QCommandLineOption startupBenchmark{
        QStringLiteral("startup-benchmark"),
        QStringLiteral("Print the milliseconds from launch to the shown window, then quit.")};
    const QCommandLineOption tab{QStringLiteral("tab"),
                                 QStringLiteral("Show the <name> tab (Details, ASN.1, PEM, Trace, Backends)."),
                                 QStringLiteral("name")};
    const QCommandLineOption openBenchmark{
        QStringLiteral("open-benchmark"),
        QStringLiteral("Open <file> on the ASN.1 tab, print the milliseconds to its first rows and to the complete "
                       "tree and the memory it took, then quit."),
        QStringLiteral("file")};
    const QCommandLineOption generator{QStringLiteral("generator"),
                                       QStringLiteral("Open the test PKI generator on its <tab> (Certificate, "
                                                      "Scenarios); --screenshot then renders the dialog."),
                                       QStringLiteral("tab")};
    const QCommandLineOption allAddresses{QStringLiteral("all-addresses"),
                                          QStringLiteral("Fetch from every address of each host and compare.")};
    const QCommandLineOption repeat{QStringLiteral("repeat"),
                                    QStringLiteral("Connect <n> times to each address and compare."),
                                    QStringLiteral("n")};
    const QCommandLineOption connectTo{QStringLiteral("connect-to"),
                                       QStringLiteral("Connect to <address>[:port] (repeatable) and compare."),
                                       QStringLiteral("address")};

    const QCommandLineOption size{QStringLiteral("size"),
                                  QStringLiteral("Show the window at <width>x<height> (e.g. 800x600)."),
                                  QStringLiteral("size")};

    void addTo(QCommandLineParser &parser) const
    {
        parser.setApplicationDescription(QStringLiteral("Certificate and TLS trust inspector"));
        parser.addHelpOption();
        parser.addVersionOption();
        parser.addPositionalArgument(QStringLiteral("items"),
                                     QStringLiteral("Files to open, or host:port / URLs to inspect."),
                                     QStringLiteral("[FILE|HOST:PORT|URL...]"));
        parser.addOptions(
            {screenshot, dark, startupBenchmark, tab, openBenchmark, generator, allAddresses, repeat, connectTo, size});
    }
};

int main(int argc, char **argv)
{
    QElapsedTimer sinceLaunch;
    sinceLaunch.start();
    std::signal(SIGPIPE, SIG_IGN); // a peer that hangs up is an error to report, not a reason to die
    // --version and --help must work on machines without a display.
    for (int i = 1; i < argc; ++i) {
        const QByteArray argument(argv[i]);
        if (argument == "--version" || argument == "-V" || argument == "-v") {
            QCoreApplication core(argc, argv);
            std::fputs(trustscope::core::versionReport().toUtf8().constData(), stdout);
            return 0;
        }
        if (argument == "--help" || argument == "-h" || argument == "--help-all" || argument == "-?") {
            QCoreApplication core(argc, argv);
            QCoreApplication::setApplicationName(QStringLiteral("trustscope"));
            QCoreApplication::setApplicationVersion(trustscope::core::applicationVersion());
            QCommandLineParser parser;
            GuiOptions().addTo(parser);
            parser.showHelp(0); // exits
        }
    }
    QApplication application(argc, argv);
    QApplication::setApplicationName(QStringLiteral("trustscope"));
    QApplication::setApplicationDisplayName(QStringLiteral("Trustscope"));
    QApplication::setApplicationVersion(trustscope::core::applicationVersion());
    QApplication::setDesktopFileName(QStringLiteral("io.github.trustscope.Trustscope"));

    QCommandLineParser parser;
    const GuiOptions options;
    options.addTo(parser);
    const QCommandLineOption &screenshot = options.screenshot;
    const QCommandLineOption &dark = options.dark;
    const QCommandLineOption &startupBenchmark = options.startupBenchmark;
    const QCommandLineOption &tab = options.tab;
    const QCommandLineOption &openBenchmark = options.openBenchmark;
    const QCommandLineOption &generator = options.generator;
    const QCommandLineOption &allAddresses = options.allAddresses;
    const QCommandLineOption &repeat = options.repeat;
    const QCommandLineOption &connectTo = options.connectTo;
    parser.process(application);

    if (parser.isSet(dark)) {
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(darkPalette());
    }

    trustscope::ui::MainWindow window;
    if (parser.isSet(options.size)) {
        const QStringList parts = parser.value(options.size).split(QLatin1Char('x'));
        const int width = parts.value(0).toInt(), height = parts.value(1).toInt();
        if (parts.size() != 2 || width <= 0 || height <= 0) {
            std::fprintf(stderr, "--size takes WIDTHxHEIGHT, e.g. 800x600\n");
            return 2;
        }
        window.resize(width, height);
    }
    window.show();
    if (parser.isSet(startupBenchmark)) {
        QTimer::singleShot(0, &window, [&] {
            std::printf("startup_ms %lld\n", static_cast<long long>(sinceLaunch.elapsed()));
            QApplication::quit();
        });
        return QApplication::exec();
    }
    if (parser.isSet(openBenchmark))
        return runOpenBenchmark(window, parser.value(openBenchmark));
    if (parser.isSet(allAddresses) || parser.isSet(repeat) || parser.isSet(connectTo))
        window.setBackendOptions(parser.isSet(allAddresses), qMax(1, parser.value(repeat).toInt()),
                                 parser.values(connectTo));
    window.openArguments(parser.positionalArguments());
    if (parser.isSet(tab) && !window.showTab(parser.value(tab)))
        std::fprintf(stderr, "no tab named %s\n", qPrintable(parser.value(tab)));

    QWidget *shown = &window;
    if (parser.isSet(generator)) {
        trustscope::ui::GeneratorDialog *dialog = window.showGenerator();
        dialog->tabs()->setCurrentIndex(
            parser.value(generator).startsWith(QLatin1String("S"), Qt::CaseInsensitive) ? 1 : 0);
        shown = dialog;
    }

    if (parser.isSet(screenshot)) {
        const QString path = parser.value(screenshot);
        auto grabAndQuit = [&window, shown, path] {
            // Let the layout and highlighting settle for a moment before grabbing.
            QTimer::singleShot(300, &window, [shown, path] {
                const bool saved = shown->grab().save(path);
                std::fprintf(saved ? stdout : stderr, "%s %s\n", saved ? "wrote" : "could not write", qPrintable(path));
                QApplication::exit(saved ? 0 : 1);
            });
        };
        if (window.pendingLoads() == 0)
            grabAndQuit();
        else
            QObject::connect(&window, &trustscope::ui::MainWindow::loadsFinished, &window, grabAndQuit);
    }
    return QApplication::exec();
}
