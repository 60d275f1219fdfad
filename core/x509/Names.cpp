#include "ossl/OpenSslError.h"
#include "x509/Decode.h"

#include "net/Socket.h"
#include <QTimeZone>
#include <QtEndian>

namespace trustscope::core::x509 {

using namespace trustscope::ossl;

namespace {
constexpr char kUpnOid[] = "1.3.6.1.4.1.311.20.2.3";
}

QString hexColon(const QByteArray &bytes)
{
    return QString::fromLatin1(bytes.toHex(':').toUpper());
}

QDateTime toDateTime(const ASN1_TIME *time)
{
    struct tm parts{};
    if (!time || ASN1_TIME_to_tm(time, &parts) != 1) {
        clearOpenSslErrors();
        return {};
    }
    return QDateTime(QDate(parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday),
                     QTime(parts.tm_hour, parts.tm_min, parts.tm_sec), QTimeZone::UTC);
}

QString integerToHex(const ASN1_INTEGER *integer)
{
    if (!integer)
        return {};
    BignumPtr number(ASN1_INTEGER_to_BN(integer, nullptr));
    if (!number) {
        clearOpenSslErrors();
        return {};
    }
    OpenSslStringPtr hex(BN_bn2hex(number.get()));
    QString text = QString::fromLatin1(hex.get());
    const bool negative = text.startsWith(QLatin1Char('-'));
    if (negative)
        text.remove(0, 1);
    if (text.size() % 2) // whole bytes, like every other tool prints serials
        text.prepend(QLatin1Char('0'));
    return negative ? QLatin1Char('-') + text : text;
}

QString integerToDecimal(const ASN1_INTEGER *integer)
{
    if (!integer)
        return {};
    BignumPtr number(ASN1_INTEGER_to_BN(integer, nullptr));
    if (!number)
        return {};
    OpenSslStringPtr decimal(BN_bn2dec(number.get()));
    return QString::fromLatin1(decimal.get());
}

DistinguishedName decodeName(const X509_NAME *name)
{
    DistinguishedName result;
    if (!name)
        return result;
    const int count = X509_NAME_entry_count(name);
    for (int index = 0; index < count; ++index) {
        const X509_NAME_ENTRY *entry = X509_NAME_get_entry(name, index);
        const ASN1_OBJECT *object = X509_NAME_ENTRY_get_object(entry);
        const int nid = OBJ_obj2nid(object);
        NameAttribute attribute;
        attribute.oid = objectToDottedOid(object);
        attribute.shortName = nid != NID_undef ? QString::fromLatin1(OBJ_nid2sn(nid)) : attribute.oid;
        attribute.value = toQString(X509_NAME_ENTRY_get_data(entry));
        result.attributes.append(attribute);
    }
    // RFC 4514 order and escaping, but UTF-8 left readable instead of \XX-escaped.
    BioPtr bio(BIO_new(BIO_s_mem()));
    const unsigned long flags = (XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) | ASN1_STRFLGS_UTF8_CONVERT;
    if (bio && X509_NAME_print_ex(bio.get(), name, 0, flags) >= 0) {
        char *data = nullptr;
        const long length = BIO_get_mem_data(bio.get(), &data);
        result.rfc4514 = QString::fromUtf8(data, length);
    }
    unsigned char *der = nullptr;
    const int derLength = i2d_X509_NAME(name, &der);
    if (derLength > 0) {
        OpenSslBytesPtr owned(der);
        result.der = toByteArray(der, derLength);
    }
    clearOpenSslErrors();
    return result;
}

QString formatIpAddress(const QByteArray &bytes)
{
    const auto *data = reinterpret_cast<const quint8 *>(bytes.constData());
    switch (bytes.size()) {
    case 4:
    case 16:
        return net::formatIpAddress(data, int(bytes.size()));
    case 8: // name constraints: address and mask
    case 32: {
        const qsizetype half = bytes.size() / 2;
        const QString address = formatIpAddress(bytes.left(half));
        const QString mask = formatIpAddress(bytes.mid(half));
        // Print as a prefix length when the mask is contiguous, like RFC 5280 examples.
        int prefix = 0;
        bool contiguous = true;
        for (qsizetype i = half; i < bytes.size(); ++i) {
            const auto byte = quint8(bytes[i]);
            for (int bit = 7; bit >= 0; --bit) {
                const bool set = byte & (1 << bit);
                if (set && !contiguous)
                    return address + QLatin1Char('/') + mask;
                if (set)
                    ++prefix;
                else
                    contiguous = false;
            }
        }
        return address + QLatin1Char('/') + QString::number(prefix);
    }
    default:
        return QStringLiteral("invalid IP address (%1 bytes: %2)").arg(bytes.size()).arg(hexColon(bytes));
    }
}

GeneralName decodeGeneralName(const GENERAL_NAME *name)
{
    int type = 0;
    void *value = GENERAL_NAME_get0_value(name, &type);
    switch (type) {
    case GEN_DNS:
        return {QStringLiteral("DNS"), toQString(static_cast<ASN1_IA5STRING *>(value))};
    case GEN_EMAIL:
        return {QStringLiteral("email"), toQString(static_cast<ASN1_IA5STRING *>(value))};
    case GEN_URI:
        return {QStringLiteral("URI"), toQString(static_cast<ASN1_IA5STRING *>(value))};
    case GEN_IPADD: {
        const auto *octets = static_cast<ASN1_OCTET_STRING *>(value);
        return {QStringLiteral("IP"),
                formatIpAddress(toByteArray(ASN1_STRING_get0_data(octets), ASN1_STRING_length(octets)))};
    }
    case GEN_DIRNAME:
        return {QStringLiteral("dirName"), decodeName(static_cast<X509_NAME *>(value)).rfc4514};
    case GEN_RID:
        return {QStringLiteral("RID"), objectToDottedOid(static_cast<ASN1_OBJECT *>(value))};
    case GEN_OTHERNAME: {
        ASN1_OBJECT *typeId = nullptr;
        ASN1_TYPE *otherValue = nullptr;
        GENERAL_NAME_get0_otherName(name, &typeId, &otherValue);
        const QString oid = objectToDottedOid(typeId);
        QString text;
        if (otherValue && (otherValue->type == V_ASN1_UTF8STRING || otherValue->type == V_ASN1_IA5STRING ||
                           otherValue->type == V_ASN1_PRINTABLESTRING))
            text = toQString(otherValue->value.asn1_string);
        else if (otherValue && otherValue->type != V_ASN1_BOOLEAN && otherValue->type != V_ASN1_NULL &&
                 otherValue->type != V_ASN1_OBJECT && otherValue->value.asn1_string)
            text = hexColon(toByteArray(ASN1_STRING_get0_data(otherValue->value.asn1_string),
                                        ASN1_STRING_length(otherValue->value.asn1_string)));
        const QString label = oid == QLatin1String(kUpnOid) ? QStringLiteral("UPN") : oid;
        return {QStringLiteral("otherName"), label + QStringLiteral(": ") + text};
    }
    case GEN_X400:
        return {QStringLiteral("x400"), QStringLiteral("(X.400 address)")};
    case GEN_EDIPARTY:
        return {QStringLiteral("ediParty"), QStringLiteral("(EDI party name)")};
    default:
        return {QStringLiteral("unknown"), QString()};
    }
}

QList<GeneralName> decodeGeneralNames(const GENERAL_NAMES *names)
{
    QList<GeneralName> result;
    for (int index = 0; names && index < sk_GENERAL_NAME_num(names); ++index)
        result.append(decodeGeneralName(sk_GENERAL_NAME_value(names, index)));
    return result;
}

} // namespace trustscope::core::x509
