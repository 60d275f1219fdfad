// trustscope-cli: every core feature of Trustscope for scripts, CI and headless machines.
// Links only the core (Qt Core + OpenSSL), so it runs without a display.

#include "AppInfo.h"
#include "Command.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonDocument>
#include <csignal>

#include <cstdio>
#include <openssl/crypto.h>

namespace trustscope::cli {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

const QList<Command> &commands()
{
    static const QList<Command> table = {
        {QStringLiteral("show"),
         QStringLiteral("Decode certificates, CRLs, CSRs, keys, PKCS#7, PKCS#12 and OCSP responses"),
         QStringLiteral("FILE... [--json] [--password-file F]"), showOptions, runShow},
        {QStringLiteral("dump"), QStringLiteral("Show the ASN.1 structure of a DER or PEM file, like dumpasn1"),
         QStringLiteral("FILE [--json] [--no-encapsulated] [--max-depth N]"), dumpOptions, runDump},
        {QStringLiteral("fetch"),
         QStringLiteral("Connect to a TLS server and show the chain it sends and the handshake"),
         QStringLiteral(
             "HOST[:PORT]|URL [--sni NAME|--no-sni] [--starttls PROTO] [--alpn LIST] [--tls-min V] [--tls-max V] "
             "[--timeout SEC] [--proxy URL] [--client-cert FILE [--password-file F]] [--ipv4|--ipv6] [--pem] [--json] "
             "[--trace] [--keylog FILE] | --from FILE | HOST[:PORT] (--all-addresses | --connect-to ADDR[:PORT]... | "
             "--repeat N [--interval MS]) [--anchor FILE]... [--json]"),
         fetchOptions, runFetch},
        {QStringLiteral("verify"),
         QStringLiteral("Evaluate trust in a chain (files or --fetch) under a policy, explaining every failed check"),
         QStringLiteral("(FILE... | --fetch HOST[:PORT]) [--host NAME] [--policy ssl-server|ssl-client|basic] "
                        "[--anchor FILE]... [--anchors-only] "
                        "[--intermediate FILE]... [--no-aia] [--at ISO8601] [--pin sha256/BASE64]... "
                        "[--revocation none|ocsp|crl|both] [--require-revocation] [--staple FILE] [--json]"),
         verifyOptions, runVerify},
        {QStringLiteral("exceptions"),
         QStringLiteral("List, add, remove, export and import trust exceptions (property lists)"),
         QStringLiteral("list [--json] | add (FILE... | --fetch HOST[:PORT]) [verify options] [--note T] [--expires T] "
                        "| remove HOST[:PORT] | "
                        "export FILE [--format xml|binary|apple] | import FILE [--replace]"),
         exceptionsOptions, runExceptions},
        {QStringLiteral("explain"),
         QStringLiteral(
             "Explain the Apple, TLS and URL-loading error codes in a log line (errSSL, NSURLError, 3:-9807)"),
         QStringLiteral("TEXT... | - [--json]"), explainOptions, runExplain},
        {QStringLiteral("ats"),
         QStringLiteral("App Transport Security diagnostics, like nscurl --ats-diagnostics, on any platform"),
         QStringLiteral("HOST[:PORT]|URL [--anchor FILE]... [fetch options] [--json]"), atsOptions, runAts},
        {QStringLiteral("pins"), QStringLiteral("Print the NSPinnedDomains Info.plist entry for a server's chain"),
         QStringLiteral("(HOST[:PORT] | FILE...) [--host NAME] [--include-subdomains]"), pinsOptions, runPins},
        {QStringLiteral("gen"), QStringLiteral("Generate test CAs, leaves, CSRs and broken scenarios"),
         QStringLiteral("ca|intermediate|leaf|csr|sign|scenario NAME|all [--key TYPE] [--cn NAME] [--dns N]... "
                        "[--issuer-cert F --issuer-key F] [--days N] [--not-before T] [--not-after T] [--out DIR]"),
         genOptions, runGen},
        {QStringLiteral("serve"), QStringLiteral("Serve a test chain on 127.0.0.1 (optionally behind SMTP STARTTLS)"),
         QStringLiteral("(--scenario NAME [--out DIR] | --chain FILE --key FILE) [--port N] [--starttls smtp]"),
         serveOptions, runServe},
        {QStringLiteral("roots"),
         QStringLiteral("The root programs' data (Apple, Android, Windows, Chrome, Mozilla, Java): list, show "
                        "one root's status everywhere, import a newer snapshot"),
         QStringLiteral("list [PROGRAM] [--json] | show SHA256|FILE [--json] | import DIR"), rootsOptions, runRoots},
        {QStringLiteral("limbo"), QStringLiteral("Run the x509-limbo conformance suite and print the score"),
         QStringLiteral("FILE [--json]"), limboOptions, runLimbo},
    };
    return table;
}

namespace {

void printUsage(QTextStream &stream)
{
    stream << "Usage: trustscope-cli COMMAND [OPTIONS]\n\nCommands:\n";
    for (const Command &command : commands())
        stream << QStringLiteral("  %1 %2\n").arg(command.name, -10).arg(command.summary);
    stream << "\nOptions:\n  --version  print the versions of Trustscope, Qt, OpenSSL and KF6 SyntaxHighlighting\n"
              "  --help     this text; 'trustscope-cli COMMAND --help' for a command's options\n"
              "  --man      the manual page (roff), made from the same definitions\n"
              "\nExit codes: 0 success, 1 not trusted, 2 usage or unreadable input, 3 network or TLS failure,\n"
              "4 connections to one server got different results (fetch --repeat, --all-addresses).\n";
}

QString roff(QString text)
{
    text.replace(QLatin1Char('\\'), QStringLiteral("\\e")).replace(QLatin1Char('-'), QStringLiteral("\\-"));
    if (text.startsWith(QLatin1Char('.')) || text.startsWith(QLatin1Char('\'')))
        text.prepend(QStringLiteral("\\&"));
    return text;
}

// The manual page, from the same command and option definitions as --help.
void printManPage(QTextStream &stream)
{
    stream << ".TH TRUSTSCOPE\\-CLI 1 \"\" \"Trustscope " << trustscope::core::applicationVersion()
           << "\" \"User Commands\"\n"
           << ".SH NAME\ntrustscope\\-cli \\- inspect certificates and TLS servers, and explain trust failures\n"
           << ".SH SYNOPSIS\n.B trustscope\\-cli\n.I COMMAND\n.RI [ OPTIONS ]\n.br\n"
           << ".B trustscope\\-cli\n.BR \\-\\-version \" | \" \\-\\-help\n"
           << ".SH DESCRIPTION\n"
           << "The command line of Trustscope: decode PKI files, dump ASN.1, fetch the chain a TLS server "
              "sends, evaluate trust under a chosen policy with every failed check explained, manage trust "
              "exceptions, explain Apple TLS error codes, and generate and serve test PKIs. "
              "Every command prints text, or JSON with \\fB\\-\\-json\\fR.\n"
           << ".SH COMMANDS\n";
    for (const Command &command : commands()) {
        stream << ".SS \"" << command.name << "\"\n.B trustscope\\-cli " << command.name << "\n"
               << roff(command.synopsis) << "\n.PP\n"
               << roff(command.summary) << ".\n";
        for (const QCommandLineOption &option : command.options()) {
            QStringList names;
            for (const QString &name : option.names())
                names.append(QStringLiteral("\\fB") +
                             (name.size() == 1 ? QStringLiteral("\\-") : QStringLiteral("\\-\\-")) + roff(name) +
                             QStringLiteral("\\fR"));
            stream << ".TP\n" << names.join(QStringLiteral(", "));
            if (!option.valueName().isEmpty())
                stream << " \\fI" << roff(option.valueName()) << "\\fR";
            stream << '\n' << roff(option.description()) << '\n';
        }
    }
    stream << ".SH EXIT STATUS\n.TP\n0\nSuccess (trusted; connections agree).\n.TP\n1\nNot trusted.\n.TP\n2\n"
              "Usage error or unreadable input.\n.TP\n3\nNetwork or TLS failure.\n.TP\n4\n"
              "fetch over several connections: they did not all get the same chain and handshake.\n"
           << ".SH ENVIRONMENT\n.TP\n.B https_proxy\nThe HTTP CONNECT proxy for fetches, unless \\-\\-proxy is given.\n"
              ".TP\n.B TRUSTSCOPE_DATA_DIR\nWhere trust exceptions and settings live (default: the user's data "
              "folder).\n"
           << ".SH SEE ALSO\n.BR trustscope (1),\n.BR openssl (1)\n";
}

int runCommand(const Command &command, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(command.summary);
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser.addOptions(command.options());
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."));
    parser.addOption(help);
    if (!parser.parse(arguments)) {
        err() << "trustscope-cli " << command.name << ": " << parser.errorText() << '\n';
        return ExitUsage;
    }
    if (parser.isSet(help)) {
        out() << "Usage: trustscope-cli " << command.name << ' ' << command.synopsis << "\n\n"
              << parser.helpText().section(QLatin1Char('\n'), 2);
        return ExitOk;
    }
    return command.run(parser.positionalArguments(), parser);
}

} // namespace
} // namespace trustscope::cli

int main(int argc, char **argv)
{
    using namespace trustscope::cli;
    // A short-lived process: let the kernel reclaim OpenSSL's tables instead of freeing them
    // one by one at exit (about a millisecond of every run).
    OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, nullptr);
    std::signal(SIGPIPE, SIG_IGN); // a peer that hangs up is an error to report, not a reason to die
    // No QCoreApplication: the CLI has no event loop, and without it a run starts about a
    // third faster (it is measured against openssl s_client in ./dev bench).
    QCoreApplication::setApplicationName(QStringLiteral("trustscope"));
    QCoreApplication::setApplicationVersion(trustscope::core::applicationVersion());
    QStringList arguments;
    for (int index = 0; index < argc; ++index)
        arguments.append(QString::fromLocal8Bit(argv[index]));
    if (arguments.size() < 2) {
        printUsage(err());
        return ExitUsage;
    }
    const QString first = arguments.at(1);
    if (first == QLatin1String("--version") || first == QLatin1String("-V")) {
        if (arguments.value(2) == QLatin1String("--json")) {
            out() << QJsonDocument(trustscope::core::versionJson()).toJson(QJsonDocument::Indented);
            return ExitOk;
        }
        out() << trustscope::core::versionReport();
        return ExitOk;
    }
    if (first == QLatin1String("--man")) {
        printManPage(out());
        return ExitOk;
    }
    if (first == QLatin1String("--help") || first == QLatin1String("-h") || first == QLatin1String("help")) {
        printUsage(out());
        return ExitOk;
    }
    for (const Command &command : commands()) {
        if (command.name == first) {
            arguments.removeAt(1); // the parser sees "trustscope-cli OPTIONS ARGS"
            const int code = runCommand(command, arguments);
            out().flush();
            err().flush();
            return code;
        }
    }
    err() << "trustscope-cli: unknown command '" << first << "'\n\n";
    printUsage(err());
    return ExitUsage;
}
