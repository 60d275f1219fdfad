#pragma once

// One inspection pipeline for the CLI and the GUI: what was inspected (a file, an endpoint, a
// comparison of an endpoint's backends), what came of it, and the single place where the user's
// trust settings turn into a verdict (evaluation, trust exceptions, the Apple diagnosis).

#include "Error.h"
#include "apple/AppleDiagnosis.h"
#include "roots/RootPrograms.h"
#include "tls/Backends.h"
#include "tls/TlsFetch.h"
#include "trust/Exceptions.h"
#include "trust/TrustEvaluation.h"
#include "x509/Document.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <optional>

namespace trustscope::core::inspect {

// Where the trust exceptions applied to a verdict come from.
enum class ExceptionSource {
    Store, // the user's store (ExceptionStore; `exceptionsPath` overrides its location)
    File,  // a property list given for this verification only (`verify --exceptions FILE`)
    None,
};

// Everything the user chose about trust, as files and values: the one input of evaluate().
struct TrustSettings {
    trust::Policy policy;          // kind, host, time, pins, revocation, proxy …; anchors given as values stay
    QStringList anchorFiles;       // read when the verdict is made; one that fails is a problem
    QStringList intermediateFiles; // likewise
    QStringList crlFiles;          // CRLs used before any download (delta CRLs are set aside, and said so)
    QStringList distrustFiles;     // certificates never to trust
    QStringList trustLeafFiles;    // leaves accepted as their own anchor
    QStringList ctLogListFiles;    // private CT log lists (Apple v5 / Chrome v3 schema)
    int port = 443;                // the server's port, for matching trust exceptions
    QString rootsProgram;          // --roots: the program whose roots anchor the verdict (empty, system: the host's)
    QStringList rootPrograms;      // --root-program: a verdict in each of these programs too
    ExceptionSource exceptions = ExceptionSource::Store;
    QString exceptionsPath; // File: the property list; Store: the store's path (empty: the default)
};

// The trust inputs read from files, and what did not load. Strict loading fails on the first
// file that does not load (the CLI's exit 2); lenient loading records it in `problems` and goes
// on (the GUI shows it). A store that cannot be read applies no exceptions: stricter, never looser.
struct TrustInputs {
    trust::Policy policy; // with the files' anchors and intermediates added
    QList<trust::TrustException> exceptions;
    QStringList problems; // inputs that did not load: the verdict was made without them
    QStringList warnings; // e.g. a damaged exception store was moved aside (its new path named)
};
[[nodiscard]] Result<TrustInputs> loadTrustInputs(const TrustSettings &settings, bool strict);

// The CRLs of a document (a --crl file, or one the GUI has open beside a chain) that can serve as
// revocation evidence, each named by `origin`. A delta CRL only amends a base CRL, and judging with
// it alone would call revoked certificates good: it is left out, with a warning naming `name`.
[[nodiscard]] QList<trust::LocalCrl> usableCrls(const Document &document, const QString &origin, const QString &name,
                                                QStringList &warnings);

struct Inspection {
    enum class Kind { File, Endpoint, Backends };
    Kind kind = Kind::File;
    QString source;                                   // the file's path, or host:port
    std::optional<Document> document;                 // a file's objects; an endpoint's chain(s) as objects
    std::optional<tls::FetchResult> connection;       // an endpoint's handshake
    std::optional<tls::BackendReport> backends;       // a comparison's connections and distinct chains
    QList<Certificate> chain;                         // what is evaluated, leaf first, as presented
    std::optional<trust::Evaluation> evaluation;      // with trust exceptions applied
    std::optional<apple::AppleView> apple;            // what iOS / macOS would report
    std::optional<trust::Evaluation> appleEvaluation; // behind `apple`: under Apple's roots and the user's anchors
    QList<roots::ProgramVerdict> rootPrograms;        // one per program asked for (settings.rootPrograms)
    QStringList problems;                             // trust inputs that did not load (see TrustInputs)
    QStringList warnings;
};

// The certificates of a document, in order (the chain a file or a paste presents).
[[nodiscard]] QList<Certificate> certificatesOf(const Document &document);

// A file of any PKI format; its certificates form the chain. No verdict yet.
[[nodiscard]] Result<Inspection> inspectFile(const QString &path, PasswordProvider *passwords = nullptr);
// An already loaded document (a paste, a drop, a document the GUI holds).
[[nodiscard]] Inspection inspectDocument(Document document, const QString &source);
// One TLS connection; a failed handshake is an inspection with connection->ok() false.
[[nodiscard]] Inspection inspectEndpoint(const tls::FetchOptions &options, const std::atomic_bool *cancel = nullptr);
// Many connections to one endpoint, grouped by the chain each got.
[[nodiscard]] Result<Inspection> compareEndpoint(const tls::BackendOptions &options,
                                                 const std::atomic_bool *cancel = nullptr,
                                                 const std::function<void(int, int)> &progress = {});

// The verdict: the one place where TrustSettings become an evaluation. Loads the trust inputs
// (leniently: what fails is in `problems`), uses the connection's host and stapled OCSP response
// when the settings give none, evaluates, applies trust exceptions and adds the Apple diagnosis.
// A backends comparison gets one verdict per distinct chain, each with exceptions applied.
// Blocking (AIA, revocation): call it from a worker.
void evaluate(Inspection &inspection, const TrustSettings &settings, const std::atomic_bool *cancel = nullptr);
// The same with inputs already loaded (strictly, by the caller).
void evaluate(Inspection &inspection, const TrustSettings &settings, const TrustInputs &inputs,
              const std::atomic_bool *cancel = nullptr);

// The SCTs of a connection (embedded, TLS extension, stapled OCSP) verified and both CT policies
// applied, for `fetch`: the chain as sent is evaluated (no downloads) to know whether it ends at a
// platform root. Empty without a presented chain.
[[nodiscard]] std::optional<ct::Report> certificateTransparencyOf(const tls::FetchResult &result,
                                                                  const trust::Policy &base);

// What a line typed in the address bar (or given on the command line) names: an existing file,
// PEM text, an error message to explain (NSURLErrorDomain -1202, 3:-9807 … — never something
// that parses as a server), or else a server to fetch.
enum class InputKind { File, PemText, ErrorMessage, Server };
struct ClassifiedInput {
    InputKind kind = InputKind::Server;
    apple::Explanation explanation; // ErrorMessage: the codes found and their remedies
};
[[nodiscard]] ClassifiedInput classifyInput(const QString &text);

// The failed check keys of a verdict, "key@index", sorted: what two front ends must agree on.
[[nodiscard]] QStringList failedCheckKeys(const trust::Evaluation &evaluation);

} // namespace trustscope::core::inspect
