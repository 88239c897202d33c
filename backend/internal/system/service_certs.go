package system

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"

	"github.com/google/uuid"

	"custos/internal/audit"
	"custos/internal/ca"
	"custos/internal/platform/apperr"
	"custos/internal/platform/list"
	"custos/internal/platform/validate"
)

// ListCertificates lists the certificates of system id.
func (s *Service) ListCertificates(ctx context.Context, id string, p list.Params) (list.Page[Certificate], error) {
	if _, err := s.store.getSystem(ctx, id, false); err != nil {
		return list.Page[Certificate]{}, err
	}
	now := s.now()
	page, err := s.store.listCerts(ctx, id, p, now)
	if err != nil {
		return list.Page[Certificate]{}, err
	}
	return list.Map(page, func(r certRow) Certificate { return r.toAPI(now) }), nil
}

// GetCertificate returns certificate cid of system id.
func (s *Service) GetCertificate(ctx context.Context, id, cid string) (Certificate, error) {
	r, err := s.store.getCert(ctx, id, cid, false)
	if err != nil {
		return Certificate{}, err
	}
	return r.toAPI(s.now()), nil
}

// checkCertInput validates the method's own fields before anything is issued.
func checkCertInput(in CertificateInput) error {
	var c validate.Checks
	c.OneOf("method", in.Method, OriginCSR, OriginP12, OriginManual)
	if in.Method == OriginCSR || in.Method == OriginP12 {
		if in.ValidityDays < 0 {
			c.Add("validity_days", "outOfRange", "must be at least 1 day")
		}
	}
	if in.Method == OriginCSR && in.CSR == "" {
		c.Add("csr", "required", "is required")
	}
	if in.Method == OriginP12 && len(in.Password) > maxPassword {
		c.Add("password", "tooLong", "must be at most 128 bytes")
	}
	return c.Err()
}

// AddCertificate adds a certificate to system id by one of the three methods. What the
// CA issues and the row that records it are written in one transaction with the audit
// event: on any error nothing is issued and nothing is kept.
func (s *Service) AddCertificate(ctx context.Context, id string, in CertificateInput) (CreatedCertificate, error) {
	if err := checkCertInput(in); err != nil {
		return CreatedCertificate{}, err
	}
	if in.Method == OriginP12 {
		if err := ca.CheckBundlePassword(in.Password); err != nil {
			return CreatedCertificate{}, err
		}
	}
	var manual *x509.Certificate
	if in.Method == OriginManual {
		c, err := ca.ParseCertificatePEM(in.PEM, s.now())
		if err != nil {
			return CreatedCertificate{}, err
		}
		manual = c
	} else if s.issuer == nil {
		return CreatedCertificate{}, errNoIssuer
	}
	var pub any
	if in.Method == OriginCSR {
		req, err := ca.ParseCSR(in.CSR)
		if err != nil {
			return CreatedCertificate{}, err
		}
		pub = req.PublicKey
	}
	var out CreatedCertificate
	err := s.tx(ctx, func(ctx context.Context) error {
		// No row lock: issuances for one system run side by side; a system deleted
		// meanwhile makes the insert fail on its foreign key (404).
		sys, err := s.store.getSystem(ctx, id, false)
		if err != nil {
			return err
		}
		r := certRow{ID: uuid.Must(uuid.NewV7()).String(), SystemID: id, Origin: in.Method, Enabled: true, Version: 1}
		if manual != nil {
			fillFromX509(&r, manual)
		} else if err := s.issue(ctx, &r, &out, sys, pub, in); err != nil {
			return err
		}
		if taken, err := s.store.fingerprintTaken(ctx, r.FingerprintSHA256); err != nil || taken {
			return firstErr(err, errDuplicate)
		}
		r.CreatedAt, r.UpdatedAt = s.now(), s.now()
		if err := s.store.insertCert(ctx, &r); err != nil {
			return err
		}
		out.Certificate = r.toAPI(s.now())
		return audit.Record(ctx, audit.Entry{Action: "create", ResourceType: ResourceCertificate, ResourceID: r.ID,
			ResourceName: sys.Name + " · " + r.Subject, After: certAudit(out.Certificate, sys.Name)})
	})
	if err != nil {
		return CreatedCertificate{}, err
	}
	return out, nil
}

// issue has the CA sign the certificate of r (inside ctx's transaction) and, for a
// bundle, puts the PKCS#12 and the CA certificate in out.
func (s *Service) issue(ctx context.Context, r *certRow, out *CreatedCertificate, sys systemRow, pub any, in CertificateInput) error {
	days := in.ValidityDays
	if days == 0 {
		days = DefaultValidityDays
	}
	req := ca.IssueRequest{PublicKey: pub, CommonName: sys.Name, Purpose: ca.PurposeSystem, OwnerID: sys.ID, ValidityDays: days}
	var issued ca.Issued
	var err error
	if in.Method == OriginP12 {
		var bundle []byte
		if issued, bundle, err = s.issuer.IssueBundle(ctx, req, in.Password); err != nil {
			return err
		}
		if out.CACertificate, err = s.issuer.CertificatePEM(ctx); err != nil {
			return err
		}
		out.P12 = base64.StdEncoding.EncodeToString(bundle)
	} else if issued, err = s.issuer.Issue(ctx, req); err != nil {
		return err
	}
	b, _ := pem.Decode([]byte(issued.PEM))
	if b == nil {
		return apperr.Wrap(apperr.KindInternal, "certificate.issueFailed", "The CA answered no certificate.", nil)
	}
	c, err := x509.ParseCertificate(b.Bytes)
	if err != nil {
		return err
	}
	fillFromX509(r, c)
	r.Serial, r.FingerprintSHA256, r.KeyAlgorithm = issued.Serial, issued.FingerprintSHA256, issued.KeyAlgorithm
	return nil
}

// fillFromX509 copies what the API shows of a certificate into r.
func fillFromX509(r *certRow, c *x509.Certificate) {
	r.Subject, r.Issuer = c.Subject.String(), c.Issuer.String()
	r.Serial, r.FingerprintSHA256, r.KeyAlgorithm = serialHex(c), ca.Fingerprint(c.Raw), ca.KeyAlgorithm(c.PublicKey)
	r.NotBefore, r.NotAfter = c.NotBefore.UTC(), c.NotAfter.UTC()
	r.PEM = string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw}))
}

// certAudit is a certificate's audit diff: its fields and its system's name.
func certAudit(c Certificate, systemName string) map[string]any {
	return map[string]any{"system_id": c.SystemID, "system_name": systemName, "origin": c.Origin,
		"subject": c.Subject, "issuer": c.Issuer, "serial": c.Serial, "fingerprint_sha256": c.FingerprintSHA256,
		"not_before": c.NotBefore, "not_after": c.NotAfter, "enabled": c.Enabled, "status": c.Status,
		"revoked_at": c.RevokedAt, "revocation_reason": c.RevocationReason, "version": c.Version}
}

// UpdateCertificate switches certificate cid on or off, guarded by its version. Off
// takes effect at once on every replica.
func (s *Service) UpdateCertificate(ctx context.Context, id, cid string, in CertificatePatch) (Certificate, error) {
	var c validate.Checks
	if in.Version < 1 {
		c.Add("version", "required", "is required (the version you edited)")
	}
	if err := c.Err(); err != nil {
		return Certificate{}, err
	}
	var out Certificate
	err := s.tx(ctx, func(ctx context.Context) error {
		sys, err := s.store.getSystem(ctx, id, false)
		if err != nil {
			return err
		}
		r, err := s.store.getCert(ctx, id, cid, true)
		if err != nil {
			return err
		}
		now := s.now()
		before := r.toAPI(now)
		if r.Version != in.Version {
			return apperr.Conflict(before)
		}
		if r.RevokedAt != nil && in.Enabled != nil && *in.Enabled {
			return errRevokedEdit
		}
		fields := map[string]any{"version": r.Version + 1, "updated_at": now}
		if in.Enabled != nil {
			fields["enabled"] = *in.Enabled
		}
		if ok, err := s.store.updateCert(ctx, cid, in.Version, fields); err != nil || !ok {
			return firstErr(err, apperr.Conflict(before))
		}
		if r, err = s.store.getCert(ctx, id, cid, false); err != nil {
			return err
		}
		out = r.toAPI(now)
		if err := audit.Record(ctx, audit.Entry{Action: "update", ResourceType: ResourceCertificate, ResourceID: cid,
			ResourceName: sys.Name + " · " + r.Subject, Before: certAudit(before, sys.Name), After: certAudit(out, sys.Name)}); err != nil {
			return err
		}
		if before.Enabled && !out.Enabled {
			return s.certEvent(ctx, "certificate.disabled", out)
		}
		return nil
	})
	return out, err
}

// RevokeCertificate revokes certificate cid with an RFC 5280 reason: refused at once on
// every replica; a CA-issued one is revoked in the CA too (CRL, OCSP), a manual one in
// our trust store only. Revoking twice changes nothing.
func (s *Service) RevokeCertificate(ctx context.Context, id, cid string, in RevokeInput) (Certificate, error) {
	code, ok := ca.Reasons[in.Reason]
	if !ok {
		return Certificate{}, apperr.Invalid(apperr.Field("reason", "invalid",
			"must be one of unspecified, keyCompromise, affiliationChanged, superseded, cessationOfOperation, privilegeWithdrawn"))
	}
	var out Certificate
	err := s.tx(ctx, func(ctx context.Context) error {
		sys, err := s.store.getSystem(ctx, id, false)
		if err != nil {
			return err
		}
		r, err := s.store.getCert(ctx, id, cid, true)
		if err != nil {
			return err
		}
		now := s.now()
		before := r.toAPI(now)
		if out = before; r.RevokedAt != nil {
			return nil
		}
		if r.Origin != OriginManual {
			if s.issuer == nil {
				return errNoIssuer
			}
			if err := s.issuer.Revoke(ctx, r.Serial, code); err != nil {
				return err
			}
		}
		reason := in.Reason
		if _, err := s.store.updateCert(ctx, cid, r.Version, map[string]any{"revoked_at": now,
			"revocation_reason": reason, "version": r.Version + 1, "updated_at": now}); err != nil {
			return err
		}
		if r, err = s.store.getCert(ctx, id, cid, false); err != nil {
			return err
		}
		out = r.toAPI(now)
		if err := audit.Record(ctx, audit.Entry{Action: "revoke", ResourceType: ResourceCertificate, ResourceID: cid,
			ResourceName: sys.Name + " · " + r.Subject, Before: certAudit(before, sys.Name), After: certAudit(out, sys.Name)}); err != nil {
			return err
		}
		return s.certEvent(ctx, "certificate.revoked", out)
	})
	return out, err
}
