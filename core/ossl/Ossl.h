#pragma once

// The one header that owns OpenSSL objects. Business logic never calls *_free by hand.
// Vocabulary follows OpenSSL: get0 borrows, get1/dup returns an owner, set0 hands ownership over.

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/cms.h>
#include <openssl/ct.h>
#include <openssl/evp.h>
#include <openssl/ocsp.h>
#include <openssl/pkcs12.h>
#include <openssl/pkcs7.h>
#include <openssl/provider.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace trustscope::ossl {

template <auto FreeFunction> struct Deleter {
    template <typename T> void operator()(T *object) const noexcept { FreeFunction(object); }
};

template <typename T, auto FreeFunction> using Owned = std::unique_ptr<T, Deleter<FreeFunction>>;

inline void freeX509Stack(STACK_OF(X509) * stack) noexcept
{
    sk_X509_pop_free(stack, X509_free);
}
inline void freeX509CrlStack(STACK_OF(X509_CRL) * stack) noexcept
{
    sk_X509_CRL_pop_free(stack, X509_CRL_free);
}
inline void freeExtensionStack(STACK_OF(X509_EXTENSION) * stack) noexcept
{
    sk_X509_EXTENSION_pop_free(stack, X509_EXTENSION_free);
}
inline void freeGeneralNames(GENERAL_NAMES *names) noexcept
{
    GENERAL_NAMES_free(names);
}
inline void freeOpenSslString(char *text) noexcept
{
    OPENSSL_free(text);
}
inline void freeOpenSslBytes(unsigned char *bytes) noexcept
{
    OPENSSL_free(bytes);
}
inline void freeDistributionPoints(STACK_OF(DIST_POINT) * points) noexcept
{
    CRL_DIST_POINTS_free(points);
}
inline void freePolicyMappings(POLICY_MAPPINGS *mappings) noexcept
{
    sk_POLICY_MAPPING_pop_free(mappings, POLICY_MAPPING_free);
}
inline void freeStringStack(STACK_OF(OPENSSL_STRING) * strings) noexcept
{
    X509_email_free(strings); // what X509_get1_ocsp() documents as its free function
}

using X509Ptr = Owned<X509, X509_free>;
using X509CrlPtr = Owned<X509_CRL, X509_CRL_free>;
using X509ReqPtr = Owned<X509_REQ, X509_REQ_free>;
using X509StorePtr = Owned<X509_STORE, X509_STORE_free>;
using X509StoreCtxPtr = Owned<X509_STORE_CTX, X509_STORE_CTX_free>;
using X509NamePtr = Owned<X509_NAME, X509_NAME_free>;
using X509ExtensionPtr = Owned<X509_EXTENSION, X509_EXTENSION_free>;
using StackOfX509Ptr = Owned<STACK_OF(X509), freeX509Stack>;
using StackOfX509CrlPtr = Owned<STACK_OF(X509_CRL), freeX509CrlStack>;
using ExtensionStackPtr = Owned<STACK_OF(X509_EXTENSION), freeExtensionStack>;
using GeneralNamesPtr = Owned<GENERAL_NAMES, freeGeneralNames>;
using EvpPkeyPtr = Owned<EVP_PKEY, EVP_PKEY_free>;
using EvpPkeyCtxPtr = Owned<EVP_PKEY_CTX, EVP_PKEY_CTX_free>;
using EvpMdCtxPtr = Owned<EVP_MD_CTX, EVP_MD_CTX_free>;
using BioPtr = Owned<BIO, BIO_free_all>;
using BignumPtr = Owned<BIGNUM, BN_free>;
using Asn1IntegerPtr = Owned<ASN1_INTEGER, ASN1_INTEGER_free>;
using Asn1ObjectPtr = Owned<ASN1_OBJECT, ASN1_OBJECT_free>;
using Asn1TimePtr = Owned<ASN1_TIME, ASN1_TIME_free>;
using Asn1EnumeratedPtr = Owned<ASN1_ENUMERATED, ASN1_ENUMERATED_free>;
using Pkcs7Ptr = Owned<PKCS7, PKCS7_free>;
using Pkcs12Ptr = Owned<PKCS12, PKCS12_free>;
using Pkcs8PrivKeyInfoPtr = Owned<PKCS8_PRIV_KEY_INFO, PKCS8_PRIV_KEY_INFO_free>;
using X509SigPtr = Owned<X509_SIG, X509_SIG_free>;
using OcspResponsePtr = Owned<OCSP_RESPONSE, OCSP_RESPONSE_free>;
using OcspBasicResponsePtr = Owned<OCSP_BASICRESP, OCSP_BASICRESP_free>;
using OcspRequestPtr = Owned<OCSP_REQUEST, OCSP_REQUEST_free>;
using OcspCertIdPtr = Owned<OCSP_CERTID, OCSP_CERTID_free>;
using DistributionPointsPtr = Owned<STACK_OF(DIST_POINT), freeDistributionPoints>;
using CertificatePoliciesPtr = Owned<CERTIFICATEPOLICIES, CERTIFICATEPOLICIES_free>;
using PolicyMappingsPtr = Owned<POLICY_MAPPINGS, freePolicyMappings>;
using PolicyConstraintsPtr = Owned<POLICY_CONSTRAINTS, POLICY_CONSTRAINTS_free>;
using StringStackPtr = Owned<STACK_OF(OPENSSL_STRING), freeStringStack>;
using SslCtxPtr = Owned<SSL_CTX, SSL_CTX_free>;
using SslPtr = Owned<SSL, SSL_free>;
using OpenSslStringPtr = Owned<char, freeOpenSslString>;
using OpenSslBytesPtr = Owned<unsigned char, freeOpenSslBytes>;
using Asn1OctetStringPtr = Owned<ASN1_OCTET_STRING, ASN1_OCTET_STRING_free>;
using SctPtr = Owned<SCT, SCT_free>;
using SctListPtr = Owned<STACK_OF(SCT), SCT_LIST_free>;
using CtLogStorePtr = Owned<CTLOG_STORE, CTLOG_STORE_free>;
using CtPolicyEvalCtxPtr = Owned<CT_POLICY_EVAL_CTX, CT_POLICY_EVAL_CTX_free>;

// Pushes `certificate` onto `stack` with a reference of its own (what the stack frees); false,
// with nothing leaked, when either step fails.
[[nodiscard]] inline bool pushWithReference(STACK_OF(X509) * stack, X509 *certificate)
{
    if (X509_up_ref(certificate) != 1)
        return false;
    if (sk_X509_push(stack, certificate) <= 0) {
        X509_free(certificate);
        return false;
    }
    return true;
}

} // namespace trustscope::ossl
