package ca

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/x509/pkix"
	"encoding/asn1"
	"time"

	"golang.org/x/crypto/ocsp"
)

var randReader = rand.Reader

// OCSP answers a DER OCSP request (RFC 6960) with a DER response signed by the CA that
// issued the certificate asked about: good, revoked (with its time and reason), or
// unknown for a serial not in that CA's ledger. A request that does not parse gets the
// malformedRequest answer; one about another issuer gets unauthorized.
func (s *Service) OCSP(ctx context.Context, der []byte) ([]byte, error) {
	req, err := ocsp.ParseRequest(der)
	if err != nil {
		return ocsp.MalformedRequestErrorResponse, nil
	}
	all, err := s.authorities(ctx)
	if err != nil {
		return nil, err
	}
	var a *authority
	for _, c := range all {
		if issuedBy(c, req) {
			a = c
			break
		}
	}
	if a == nil {
		return ocsp.UnauthorizedErrorResponse, nil
	}
	row, found, err := s.store.certBySerial(ctx, a.id, hexSerial(req.SerialNumber))
	if err != nil {
		return nil, err
	}
	now := s.now().Truncate(time.Second)
	tmpl := ocsp.Response{Status: ocsp.Unknown, SerialNumber: req.SerialNumber, ThisUpdate: now,
		NextUpdate: now.Add(OCSPLifetime), IssuerHash: req.HashAlgorithm}
	switch {
	case found && row.RevokedAt != nil:
		tmpl.Status, tmpl.RevokedAt = ocsp.Revoked, row.RevokedAt.UTC().Truncate(time.Second)
		if row.Reason != nil {
			tmpl.RevocationReason = *row.Reason
		}
	case found:
		tmpl.Status = ocsp.Good
	}
	return ocsp.CreateResponse(a.cert, a.cert, tmpl, a.key)
}

// issuedBy reports whether req names a's certificate as the issuer: the hashes of its
// subject name and of its public key (the BIT STRING of the SubjectPublicKeyInfo).
func issuedBy(a *authority, req *ocsp.Request) bool {
	if !req.HashAlgorithm.Available() || req.HashAlgorithm == crypto.Hash(0) {
		return false
	}
	var spki struct {
		Algorithm pkix.AlgorithmIdentifier
		PublicKey asn1.BitString
	}
	if _, err := asn1.Unmarshal(a.cert.RawSubjectPublicKeyInfo, &spki); err != nil {
		return false
	}
	h := req.HashAlgorithm.New()
	h.Write(a.cert.RawSubject)
	name := h.Sum(nil)
	h.Reset()
	h.Write(spki.PublicKey.RightAlign())
	return bytes.Equal(name, req.IssuerNameHash) && bytes.Equal(h.Sum(nil), req.IssuerKeyHash)
}
