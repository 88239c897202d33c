package webhook

import (
	"context"
	"time"

	"custos/internal/platform/worker"
	"custos/internal/system"
)

// ExpiryJob emits certificate.expiring once a day: 30, 7 and 1 days before a
// certificate's end, each once (a notice row per certificate and threshold, so replicas
// and restarts never send one twice).
func (s *Service) ExpiryJob() worker.Job {
	return worker.Job{Name: "certificate expiry warnings", Every: 24 * time.Hour, First: time.Minute, Run: s.WarnExpiring, Once: true}
}

// WarnExpiring emits the certificate.expiring events that are due now.
func (s *Service) WarnExpiring(ctx context.Context) error {
	now := s.now()
	certs, err := s.systems.ExpiringCertificates(ctx, now, now.Add(time.Duration(ExpiryDays[0])*24*time.Hour))
	if err != nil {
		return err
	}
	for _, c := range certs {
		if err := s.warn(ctx, c, now); err != nil {
			return err
		}
	}
	return nil
}

// warn sends the nearest due threshold of c (marking the farther ones as passed).
func (s *Service) warn(ctx context.Context, c system.Certificate, now time.Time) error {
	left := c.NotAfter.Sub(now)
	return s.db.Tx(ctx, func(ctx context.Context) error {
		due := 0
		for _, d := range ExpiryDays {
			if left > time.Duration(d)*24*time.Hour {
				continue
			}
			fresh, err := s.store.noticeOnce(ctx, c.ID, d, now)
			if err != nil {
				return err
			}
			if fresh {
				due = d
			}
		}
		if due == 0 {
			return nil
		}
		return s.Emit(ctx, c.SystemID, CertificateExpiring, map[string]any{"certificate": certData(c),
			"days": due, "not_after": c.NotAfter})
	})
}

// certData is what an event says of a certificate.
func certData(c system.Certificate) map[string]any {
	return map[string]any{"id": c.ID, "subject": c.Subject, "serial": c.Serial,
		"fingerprint_sha256": c.FingerprintSHA256, "not_after": c.NotAfter, "status": c.Status}
}
