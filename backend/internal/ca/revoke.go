package ca

import (
	"context"
	"crypto/x509"
	"math/big"
	"strings"
	"time"

	"custos/internal/platform/apperr"
	"custos/internal/platform/db"
	"custos/internal/platform/worker"
)

// Revoke marks the certificate with serial (hex) revoked with an RFC 5280 reason code,
// inside ctx's transaction; the CRL is regenerated after the commit and the other
// replicas learn of it through the changes topic. Revoking a revoked certificate again
// keeps its first revocation and is no error.
func (s *Service) Revoke(ctx context.Context, serial string, reason int) error {
	if ReasonName(reason) == "" {
		return invalid("reason", "invalidValue", "must be one of "+strings.Join(ReasonNames, ", "))
	}
	serial = strings.ToLower(strings.TrimLeft(serial, "0"))
	return s.db.Tx(ctx, func(ctx context.Context) error {
		found, err := s.store.revoke(ctx, serial, reason, s.now())
		if err != nil {
			return err
		}
		if !found {
			return errUnknownSerial
		}
		db.AfterCommit(ctx, s.refreshAfterCommit)
		return s.publish(ctx)
	})
}

// refreshAfterCommit remakes the CRL once a revocation is committed. Should it fail
// (or the process stop first), the CRL job sees the revocation is newer than the CRL.
func (s *Service) refreshAfterCommit() {
	ctx, cancel := fresh()
	defer cancel()
	if err := s.RefreshCRL(ctx); err != nil {
		s.log.Error("regenerate the CRL after a revocation", "err", err)
	}
}

// CRL returns the current CRL (DER) of the active CA.
func (s *Service) CRL(ctx context.Context) ([]byte, error) {
	s.mu.Lock()
	cached := s.crl
	s.mu.Unlock()
	if cached != nil {
		return cached, nil
	}
	a, err := s.active(ctx)
	if err != nil {
		return nil, err
	}
	r, ok, err := s.store.crl(ctx, a.id)
	if err != nil {
		return nil, err
	}
	if !ok {
		if err := s.RefreshCRL(ctx); err != nil {
			return nil, err
		}
		if r, _, err = s.store.crl(ctx, a.id); err != nil {
			return nil, err
		}
	}
	s.mu.Lock()
	s.crl = r.DER
	s.mu.Unlock()
	return r.DER, nil
}

// RefreshCRL signs a new CRL of the active CA, numbered one past the stored one, and
// stores it unless another replica stored that number first (then it tries again on
// top of theirs, so the stored CRL always lists every committed revocation).
func (s *Service) RefreshCRL(ctx context.Context) error {
	a, err := s.active(ctx)
	if err != nil {
		return err
	}
	for range 5 {
		cur, ok, err := s.store.crl(ctx, a.id)
		if err != nil {
			return err
		}
		var prev int64
		if ok {
			prev = cur.Number
		}
		row, err := s.makeCRL(ctx, a, prev+1)
		if err != nil {
			return err
		}
		var won bool
		err = s.db.Tx(ctx, func(ctx context.Context) error {
			if won, err = s.store.putCRL(ctx, prev, &row); err != nil || !won {
				return err
			}
			return s.publish(ctx)
		})
		if err != nil {
			return err
		}
		if won {
			s.mu.Lock()
			s.crl = row.DER
			s.mu.Unlock()
			return nil
		}
	}
	return apperr.New(apperr.KindUnavailable, "ca.crlContention", "The CRL is being regenerated elsewhere; try again.")
}

func (s *Service) makeCRL(ctx context.Context, a *authority, number int64) (crlRow, error) {
	now := s.now()
	revoked, err := s.store.revoked(ctx, a.id, now)
	if err != nil {
		return crlRow{}, err
	}
	entries := make([]x509.RevocationListEntry, 0, len(revoked))
	for _, r := range revoked {
		n, ok := new(big.Int).SetString(r.Serial, 16)
		if !ok {
			continue
		}
		e := x509.RevocationListEntry{SerialNumber: n, RevocationTime: r.RevokedAt.UTC()}
		if r.Reason != nil && *r.Reason != 0 {
			e.ReasonCode = *r.Reason
		}
		entries = append(entries, e)
	}
	tmpl := &x509.RevocationList{Number: big.NewInt(number), ThisUpdate: now, NextUpdate: now.Add(CRLLifetime),
		RevokedCertificateEntries: entries}
	der, err := x509.CreateRevocationList(randReader, tmpl, a.cert, a.key)
	if err != nil {
		return crlRow{}, err
	}
	return crlRow{CAID: a.id, Number: number, DER: der, ThisUpdate: now, NextUpdate: now.Add(CRLLifetime)}, nil
}

// CRLJob remakes the CRL when half its life is gone, when it is missing, and when a
// revocation is newer than it (committed on a replica that stopped before remaking
// it). One replica a period runs it (a lease, platform/worker Once); the number check
// in RefreshCRL keeps concurrent refreshes (a revocation's own) in order.
func (s *Service) CRLJob() worker.Job {
	return worker.Job{Name: "ca crl refresh", Every: time.Minute, Once: true, Run: func(ctx context.Context) error {
		stale, err := s.crlStale(ctx)
		if err != nil || !stale {
			return err
		}
		return s.RefreshCRL(ctx)
	}}
}

func (s *Service) crlStale(ctx context.Context) (bool, error) {
	a, err := s.active(ctx)
	if err != nil {
		return false, err
	}
	cur, ok, err := s.store.crl(ctx, a.id)
	if err != nil || !ok {
		return !ok, err
	}
	if s.now().After(cur.NextUpdate.Add(-CRLLifetime / 2)) {
		return true, nil
	}
	last, err := s.store.lastRevocation(ctx, a.id)
	return last.After(cur.ThisUpdate), err
}
